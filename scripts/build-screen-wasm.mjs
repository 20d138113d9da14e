// Builds the screen's byte scan (src/encoding/screen-wasm/screen.ts, AssemblyScript) into
// src/encoding/screen-wasm/binary.ts, the WebAssembly as base64 that src/encoding/screen.ts loads.
// `npm run build:screen`; test/encoding/screen-scan.test.ts checks that the committed binary is
// this build of the committed source. With --check, prints the build and writes nothing.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const source = fileURLToPath(new URL('../src/encoding/screen-wasm/screen.ts', import.meta.url));
const target = fileURLToPath(new URL('../src/encoding/screen-wasm/binary.ts', import.meta.url));

/**
 * One build of the scan: with 128-bit vectors (`simd`) or without; of the committed source, or of
 * `text` in its place (a test builds the source with its shortcuts off), as WebAssembly bytes.
 */
export async function buildScan({ simd, text }) {
  let wasm;
  const flags = simd ? ['--enable', 'simd'] : [];
  const { error, stderr } = await asc.main([source, '-O3', '--runtime', 'stub', '--noAssert', ...flags, '--outFile', 'screen.wasm'], {
    readFile: (name, baseDir) => {
      const path = resolve(baseDir, name);
      if (text !== undefined && path === source) return text;
      return existsSync(path) ? readFileSync(path, 'utf8') : null;
    },
    writeFile: (name, contents) => {
      if (name.endsWith('.wasm')) wasm = contents;
    },
  });
  if (error) throw new Error(`asc failed: ${error.message}\n${stderr.toString()}`);
  return Buffer.from(wasm);
}

/** The binary.ts text for the current source: the vector build, and the build for engines without vectors. */
export async function buildScreenModule() {
  return (
    '// Built from screen.ts by `npm run build:screen` (scripts/build-screen-wasm.mjs): do not edit.\n' +
    `export const SCREEN_WASM_SIMD =\n  '${(await buildScan({ simd: true })).toString('base64')}';\n` +
    `export const SCREEN_WASM_SCALAR =\n  '${(await buildScan({ simd: false })).toString('base64')}';\n`
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await buildScreenModule();
  if (process.argv.includes('--check')) process.stdout.write(text);
  else writeFileSync(target, text);
}
