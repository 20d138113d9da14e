// The sha256 of every output and manifest `mix` writes for each corpus file in each order (seed 1),
// run from a temp folder with fixed names so the manifests do not name machine paths. `node
// scripts/output-hashes.mjs --write` records them in test/fixtures/output-hashes.json; without
// --write it compares and exits 1 on a difference: a refactoring that moves code must not change them.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = join(root, 'test/corpus');
const record = join(root, 'test/fixtures/output-hashes.json');
const sha = (p) => (existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : null);
const files = readdirSync(corpus)
  .filter((f) => /\.(jsonl|json|csv|tsv)$/.test(f))
  .sort();
const rows = [];
for (const file of files) {
  for (const order of ['interleave', 'append', 'shuffle']) {
    const dir = mkdtempSync(join(tmpdir(), 'safemix-hashes-'));
    try {
      copyFileSync(join(corpus, file), join(dir, file));
      const out = `out.${file.split('.').pop()}`;
      let exit = 0;
      try {
        execFileSync(process.execPath, [join(root, 'bin/safemix.js'), 'mix', file, '-o', out, '--seed', '1', '--order', order, '--quiet'], {
          cwd: dir,
          stdio: 'ignore',
        });
      } catch (e) {
        exit = e.status ?? -1;
      }
      rows.push({ file, order, exit, output: sha(join(dir, out)), manifest: sha(join(dir, `${out}.manifest.json`)) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
if (process.argv.includes('--write')) {
  writeFileSync(record, JSON.stringify(rows, null, 1) + '\n');
  console.log(`${basename(record)}: ${rows.length} runs recorded`);
} else {
  const want = JSON.parse(readFileSync(record, 'utf8'));
  const key = (r) => `${r.file} ${r.order}`;
  const wanted = new Map(want.map((r) => [key(r), r]));
  const diff = rows.filter((r) => JSON.stringify(r) !== JSON.stringify(wanted.get(key(r))));
  for (const r of diff) console.log(`differs: ${key(r)}: ${JSON.stringify(r)} (recorded ${JSON.stringify(wanted.get(key(r)))})`);
  console.log(diff.length ? `${diff.length} of ${rows.length} runs differ` : `all ${rows.length} runs as recorded`);
  process.exitCode = diff.length ? 1 : 0;
}
