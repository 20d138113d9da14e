// The package as a user gets it (issue 10, items 23–24): `npm pack` builds dist/ (prepack) into a
// tarball with a working bin and library; installed with `--omit=dev --prefer-offline` into an empty
// folder, `npx safemix --version` runs, and the README's library example runs as ESM and compiles
// as TypeScript (moduleResolution node16). The build runs in a staging copy, so the work tree
// is never written; and the JSON Schema files shipped in schemas/ match the zod schemas.
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from './helpers.js';
import { jsonSchemas, schemaText } from '../src/api/json-schemas.js';
import { ManifestSchema } from '../src/schemas/manifest.js';

const NPM_TIMEOUT = 240_000;

/** The ```ts block of the README's "Library" section. */
export function readmeLibraryExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Library'));
  const m = /```ts\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('the README has no ```ts block under "## Library"');
  return m[1]!;
}

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  try {
    return execFileSync(cmd, args, {
      cwd,
      encoding: 'utf8',
      timeout: NPM_TIMEOUT,
      env: { ...process.env, npm_config_update_notifier: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  }
}

const chat = (i: number) =>
  JSON.stringify({
    messages: [
      { role: 'user', content: `How do I reset my router, question ${i}?` },
      { role: 'assistant', content: `Hold the reset button for ten seconds, then wait for the lights (${i}).` },
    ],
  });

describe('schemas/*.json', () => {
  it('match the zod schemas (run `npm run schemas` after changing src/schemas/)', () => {
    for (const { file, schema } of jsonSchemas()) {
      const path = join(ROOT, 'schemas', file);
      expect(existsSync(path), `${path} is missing: run npm run schemas`).toBe(true);
      expect(readFileSync(path, 'utf8'), `schemas/${file} is stale: run npm run schemas`).toBe(schemaText(schema));
    }
    expect(readdirSync(join(ROOT, 'schemas')).sort()).toEqual(
      jsonSchemas()
        .map((s) => s.file)
        .sort(),
    );
  });
});

describe('the packed tarball', () => {
  let tarball = '';
  let files: string[] = [];
  let app = '';

  beforeAll(() => {
    // a staging copy of what the package is built from, with the project's node_modules linked in
    const stage = tempDir('safemix-stage-');
    for (const name of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'README.md',
      'src',
      'bin',
      'data',
      'templates',
      'scripts',
      'schemas',
      'test',
      'docs',
      'bench',
    ]) {
      if (existsSync(join(ROOT, name))) cpSync(join(ROOT, name), join(stage, name), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(stage, 'node_modules'), 'dir');
    const packs = tempDir('safemix-pack-');
    run('npm', ['pack', '--pack-destination', packs], stage);
    const [name] = readdirSync(packs).filter((n) => n.endsWith('.tgz'));
    tarball = join(packs, name!);
    files = run('tar', ['tzf', tarball], packs).split('\n').filter(Boolean);
    app = tempDir('safemix-app-');
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'safemix-consumer', private: true, type: 'module' }, null, 2));
    run('npm', ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', tarball], app);
    writeFileSync(join(app, 'train.jsonl'), Array.from({ length: 40 }, (_, i) => chat(i)).join('\n') + '\n');
  }, NPM_TIMEOUT * 2);

  it('holds the built library, the bin, the schemas and the data, and no TypeScript source or tests', () => {
    for (const f of [
      'package/bin/safemix.js',
      'package/dist/src/index.js',
      'package/dist/src/index.d.ts',
      'package/dist/src/cli/main.js',
      'package/schemas/manifest.schema.json',
      'package/schemas/inspect-report.schema.json',
      'package/schemas/validation-report.schema.json',
      'package/package.json',
      'package/README.md',
    ]) {
      expect(files, f).toContain(f);
    }
    expect(files.some((f) => f.startsWith('package/data/'))).toBe(true);
    expect(files.some((f) => f.startsWith('package/templates/'))).toBe(true);
    expect(
      files.filter(
        (f) => f.startsWith('package/src/') || f.startsWith('package/test/') || f.startsWith('package/dist/test/') || f.startsWith('package/dist/bench/'),
      ),
    ).toEqual([]);
  });

  it('installs without the queue packages (optional peers): the queue commands say what to install, exit 2', () => {
    expect(existsSync(join(app, 'node_modules/bullmq'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/ioredis'))).toBe(false);
    let failure: { status?: number; stderr?: string } = {};
    try {
      execFileSync('npx', ['safemix', 'status', '--redis', 'redis://127.0.0.1:9'], {
        cwd: app,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: NPM_TIMEOUT,
      });
    } catch (e) {
      failure = e as { status?: number; stderr?: string };
    }
    expect(failure.status).toBe(2);
    expect(failure.stderr).toContain('npm install bullmq ioredis');
    const pkg = JSON.parse(readFileSync(join(app, 'node_modules/safemix/package.json'), 'utf8')) as { exports: Record<string, unknown> };
    expect(Object.keys(pkg.exports)).toContain('./queue');
  });

  it('npx safemix --version runs the installed bin', () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
    expect(run('npx', ['safemix', '--version'], app).trim()).toBe(version);
  });

  it('the README library example runs as ESM against the installed package', () => {
    writeFileSync(
      join(app, 'example.mjs'),
      readmeLibraryExample() +
        '\nconsole.log(JSON.stringify({ valid: report.valid, records: report.records, dialect: profile.dialect, injected: manifest.count }));\n',
    );
    const out = JSON.parse(run('node', ['example.mjs'], app).trim().split('\n').pop()!);
    expect(out).toMatchObject({ valid: true, records: 40, dialect: 'openai-chat' });
    expect(out.injected).toBeGreaterThan(0);
    expect(existsSync(join(app, 'train.mixed.jsonl'))).toBe(true);
    ManifestSchema.parse(JSON.parse(readFileSync(join(app, 'train.mixed.jsonl.manifest.json'), 'utf8')));
  });

  it('the README library example compiles as TypeScript (module and moduleResolution node16) and runs', () => {
    const dir = join(app, 'ts');
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'node16',
          moduleResolution: 'node16',
          target: 'ES2022',
          strict: true,
          skipLibCheck: false,
          outDir: dir,
          types: ['node'],
          // the consumer's own @types/node: the project's copy
          typeRoots: [join(ROOT, 'node_modules/@types')],
        },
        files: ['example.ts'],
      }),
    );
    writeFileSync(
      join(app, 'example.ts'),
      readmeLibraryExample() +
        [
          "import { SafemixError, ManifestSchema, InspectReportSchema, ValidationReportSchema, type Manifest } from 'safemix';",
          'const checked: Manifest = ManifestSchema.parse(manifest);',
          'ValidationReportSchema.parse(report);',
          'const inspected = InspectReportSchema.safeParse(profile);',
          "const copied = await copyDataset('train.jsonl', 'copy.jsonl');",
          "const reader = await DatasetReader.open('train.jsonl');",
          'let n = 0;',
          'for await (const r of reader.records()) n += r.raw.length > 0 ? 1 : 0;',
          "const err: SafemixError | undefined = await validateFile('missing.jsonl').then(() => undefined, (e: unknown) => (e instanceof SafemixError ? e : undefined));",
          'console.log(JSON.stringify({ count: checked.count, inspected: inspected.success, copied: copied.records, read: n, missing: err?.code, exit: err?.exitCode }));',
          '',
        ].join('\n'),
    );
    run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app);
    const out = JSON.parse(
      run('node', [join(dir, 'example.js')], app)
        .trim()
        .split('\n')
        .pop()!,
    );
    expect(out).toMatchObject({ copied: 40, read: 40, missing: 'input_missing', exit: 2 });
    expect(out.count).toBeGreaterThan(0);
  });
});
