// One pipeline for every way of mixing: `mix FILE` gives byte for byte what `plan FILE` +
// `mix-shard PLAN --shard 0` gives, and `mix A B -o DIR/` what `plan A B` + `mix-shard` of each
// gives, in every order and every container (JSON Lines, JSON array, CSV, TSV, Parquet). The outputs
// are compared as files; the plan-and-shard side is driven through the library calls a provider's
// workers make, the mix side through the CLI a user runs.
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { planShards } from '../src/shard/plan.js';
import { mixShard } from '../src/shard/mix-shard.js';
import { ROOT, corpus, runCli, tempDir } from './helpers.js';

const ORDERS = ['interleave', 'append', 'shuffle'] as const;

/** A Parquet file of support questions and answers, written by a second implementation (parquet-wasm). */
function parquetFixture(path: string): void {
  const n = 60;
  const table = arrow.tableFromArrays({
    question: Array.from({ length: n }, (_, i) => `How do I change the battery of remote model ${i}?`),
    answer: Array.from({ length: n }, (_, i) => `Slide the back cover down, swap the two AAA cells, and press reset for ${(i % 5) + 2} seconds.`),
  });
  const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.SNAPPY).setMaxRowGroupSize(16).build();
  writeFileSync(path, pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), props));
}

const FILES: { name: string; make: (dir: string) => string; extra?: string[] }[] = [
  { name: 'JSON Lines', make: (d) => copy(d, 'chat_openai_travel_finetune_hotel.jsonl') },
  { name: 'JSON array', make: (d) => copy(d, 'instruct_alpaca_identity.json') },
  { name: 'CSV', make: (d) => copy(d, 'safety_xstest_prompts.csv') },
  { name: 'TSV', make: (d) => copy(d, 'sentiment_sst2_test.tsv'), extra: ['--closed-answers', 'refuse'] },
  {
    name: 'Parquet',
    make: (d) => {
      const p = join(d, 'support.parquet');
      parquetFixture(p);
      return p;
    },
  },
];

function copy(dir: string, name: string): string {
  const p = join(dir, name);
  copyFileSync(corpus(name), p);
  return p;
}

describe('mix FILE is plan FILE + mix-shard', () => {
  for (const f of FILES)
    it.each(ORDERS)(`${f.name}, %s`, async (order) => {
      const dir = tempDir('safemix-pipeline-');
      const input = f.make(dir);
      const ext = input.slice(input.lastIndexOf('.'));
      const r = await runCli(['mix', input, '-o', join(dir, `mixed${ext}`), '--seed', '5', '--order', order, '--quiet', ...(f.extra ?? [])]);
      expect(r.code, r.stderr).toBe(0);
      const closedAnswers = f.extra ? ('refuse' as const) : undefined;
      await planShards([input], { output: join(dir, 'plan.json'), seed: '5', order, jobs: 1, ...(closedAnswers ? { closedAnswers } : {}) });
      await mixShard(join(dir, 'plan.json'), 0, { output: join(dir, `shard${ext}`) });
      expect(readFileSync(join(dir, `shard${ext}`)).equals(readFileSync(join(dir, `mixed${ext}`))), 'the two outputs are the same bytes').toBe(true);
    });
});

describe('mix A B -o DIR/ is plan A B + mix-shard of each', () => {
  it.each(ORDERS)('three JSON Lines and JSON array files, %s', async (order) => {
    const dir = tempDir('safemix-pipeline-');
    // an upload in three files of two containers: the example chat data split, its middle part a JSON array
    const lines = readFileSync(join(ROOT, 'data/example/support_chat.jsonl'), 'utf8').split('\n').filter(Boolean);
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.json');
    const c = join(dir, 'c.jsonl');
    writeFileSync(a, lines.slice(0, 40).join('\n') + '\n');
    writeFileSync(b, '[\n  ' + lines.slice(40, 80).join(',\n  ') + '\n]\n');
    writeFileSync(c, lines.slice(80).join('\n') + '\n');
    const inputs = [a, b, c];
    mkdirSync(join(dir, 'mixed'));
    const r = await runCli(['mix', ...inputs, '-o', join(dir, 'mixed'), '--seed', '9', '--order', order, '--ratio', '0.1', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    await planShards(inputs, { output: join(dir, 'plan.json'), seed: '9', order, ratio: 0.1, jobs: 1 });
    for (const [i, input] of inputs.entries()) {
      const name = input.slice(input.lastIndexOf('/') + 1);
      await mixShard(join(dir, 'plan.json'), i, { output: join(dir, `shard-${name}`) });
      expect(readFileSync(join(dir, `shard-${name}`)).equals(readFileSync(join(dir, 'mixed', name))), name).toBe(true);
    }
    // one upload: one k over both files, split by their sizes
    const ks = inputs.map(
      (p) => (JSON.parse(readFileSync(join(dir, 'mixed', `${p.slice(p.lastIndexOf('/') + 1)}.manifest.json`), 'utf8')) as { count: number }).count,
    );
    expect(ks.reduce((x, y) => x + y, 0)).toBe(Math.max(1, Math.round(0.1 * lines.length)));
  });
});
