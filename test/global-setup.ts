// Once per test run: one temp root (removed at the end, so tests never leave files behind), and the
// CLI built once into it. Tests that spawn `safemix` run that build (plain JavaScript), not the
// TypeScript source through tsx, so a spawn costs Node's start-up and no compiling.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/**
 * Compiles src/ to JavaScript file by file (no bundling: each module keeps its own file, so
 * import.meta.url, the shard child and the package-root lookup work as in the published dist/),
 * beside a copy of the package's bin and package.json, with data/, templates/ and node_modules
 * linked in. Returns the path of the built bin.
 */
export async function buildCli(into: string): Promise<string> {
  await build({
    entryPoints: sources(join(ROOT, 'src')),
    outdir: join(into, 'dist/src'),
    outbase: join(ROOT, 'src'),
    format: 'esm',
    platform: 'node',
    target: 'node20',
    bundle: false,
    logLevel: 'error',
  });
  mkdirSync(join(into, 'bin'));
  cpSync(join(ROOT, 'bin/safemix.js'), join(into, 'bin/safemix.js'));
  cpSync(join(ROOT, 'package.json'), join(into, 'package.json'));
  for (const name of ['data', 'templates', 'schemas', 'node_modules']) symlinkSync(join(ROOT, name), join(into, name), 'dir');
  return join(into, 'bin/safemix.js');
}

export default async function setup(): Promise<() => void> {
  const root = mkdtempSync(join(tmpdir(), 'safemix-tests-'));
  process.env.SAFEMIX_TEST_TMP = root;
  process.env.SAFEMIX_TEST_BIN = await buildCli(join(root, 'cli'));
  // SAFEMIX_TEST_KEEP=1 keeps the tests' temp files for reading after the run (the path is printed)
  if (process.env.SAFEMIX_TEST_KEEP === '1') return () => console.log(`safemix tests: temp files kept in ${root}`);
  return () => rmSync(root, { recursive: true, force: true });
}
