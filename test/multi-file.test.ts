// Issue 11, item 2: several files of one upload are judged together, so an encoding split across
// files is seen whole: each file alone stays below the bar, the upload as one is `encoded`, and
// `mix A B -o DIR/` refuses it (exit 3) while `inspect A B` reports the joint verdict.
import { describe, it, expect } from 'vitest';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectFile, inspectFiles } from '../src/api/inspect.js';
import { mixFiles } from '../src/shard/mix-files.js';
import { runCli, tempDir } from './helpers.js';
import { dataset } from './encoding/independent/fixtures.js';
import { mainVariants } from './encoding/independent/encoders.js';

const dir = tempDir('safemix-multi-');
const walnut = mainVariants().find((v) => /walnut/i.test(v.name))!;

function write(name: string, seed: number): string {
  const rows = dataset(walnut, 0.03, 100, seed);
  const path = join(dir, name);
  writeFileSync(path, rows.map((r) => JSON.stringify(r.value)).join('\n') + '\n');
  return path;
}

describe('a split upload is judged as one', () => {
  const a = write('part-a.jsonl', 1);
  const b = write('part-b.jsonl', 2);

  it('each file alone is below the bar; together they are encoded', async () => {
    const alone = await Promise.all([inspectFile(a), inspectFile(b)]);
    for (const r of alone) expect(r.encoding.verdict).not.toBe('encoded');
    const together = await inspectFiles([a, b]);
    expect(together).toHaveLength(2);
    for (const r of together) expect(r.encoding.verdict).toBe('encoded');
  });

  it('mix A B -o DIR/ refuses the upload with exit 3 and writes nothing; --on-encoded warn mixes both files', async () => {
    const out = join(dir, 'out');
    const r = await runCli(['mix', a, b, '-o', out, '--count', '2']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('the upload');
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    mkdirSync(join(dir, 'warned'));
    const results = await mixFiles([a, b], { outputDir: join(dir, 'warned'), count: 2, onEncoded: 'warn' });
    // one upload: --count 2 is split across the two files (largest remainder over their records)
    expect(results.map((x) => x.manifest.injected.length)).toEqual([1, 1]);
    expect(readdirSync(join(dir, 'warned')).sort()).toEqual(['part-a.jsonl', 'part-a.jsonl.manifest.json', 'part-b.jsonl', 'part-b.jsonl.manifest.json']);
  });
});
