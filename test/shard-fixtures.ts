// Shards built from corpus files for the sharded-mixing tests: one upload of one dialect (alpaca)
// in two containers: three JSON-array shards from instruct_alpaca_en_demo.json (pretty, two-space
// indent, as the corpus file is) and three JSONL shards from instruct_alpaca_identity.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openScan } from '../src/api/scan.js';
import type { SourceRecord } from '../src/read/types.js';
import { corpus } from './helpers.js';

const third = <T>(xs: T[], i: number, n = 3) => xs.slice(Math.floor((xs.length * i) / n), Math.floor((xs.length * (i + 1)) / n));

const asArray = (els: unknown[]) =>
  '[\n' +
  els
    .map((e) =>
      JSON.stringify(e, null, 2)
        .split('\n')
        .map((l) => '  ' + l)
        .join('\n'),
    )
    .join(',\n') +
  '\n]\n';
const asJsonl = (els: unknown[]) => els.map((e) => JSON.stringify(e)).join('\n') + '\n';

/** Writes the six shards into `dir`; returns their paths in plan order. */
export function sixAlpacaShards(dir: string): string[] {
  const demo = JSON.parse(readFileSync(corpus('instruct_alpaca_en_demo.json'), 'utf8')) as unknown[];
  const identity = JSON.parse(readFileSync(corpus('instruct_alpaca_identity.json'), 'utf8')) as unknown[];
  const paths: string[] = [];
  for (let i = 0; i < 3; i++) {
    const p = join(dir, `train-0000${i}-of-00006.json`);
    writeFileSync(p, asArray(third(demo, i)));
    paths.push(p);
  }
  for (let i = 0; i < 3; i++) {
    const p = join(dir, `train-0000${i + 3}-of-00006.jsonl`);
    writeFileSync(p, asJsonl(third(identity, i)));
    paths.push(p);
  }
  return paths;
}

/** `n` JSONL shards cut from a corpus JSONL file's lines (the corpus bytes, unchanged). */
export function jsonlShards(dir: string, file: string, n: number, prefix = 'part'): string[] {
  const lines = readFileSync(corpus(file), 'utf8')
    .split('\n')
    .filter((l) => l.length);
  return Array.from({ length: n }, (_, i) => {
    const p = join(dir, `${prefix}-${i}.jsonl`);
    writeFileSync(p, third(lines, i, n).join('\n') + '\n');
    return p;
  });
}

export async function readRecords(path: string): Promise<SourceRecord[]> {
  const scan = await openScan(path);
  const out: SourceRecord[] = [];
  for await (const r of scan.records) out.push(r);
  return out;
}

/** The user records of an output (injected indices removed) are the shard's records, byte for byte and in order. */
export async function userRecordsKept(shard: string, output: string, injected: number[]): Promise<{ ok: boolean; why?: string }> {
  const input = await readRecords(shard);
  const out = await readRecords(output);
  const skip = new Set(injected);
  const kept = out.filter((r) => !skip.has(r.index));
  if (kept.length !== input.length) return { ok: false, why: `${kept.length} user records in the output, ${input.length} in the shard` };
  for (let i = 0; i < input.length; i++) if (!kept[i]!.raw.equals(input[i]!.raw)) return { ok: false, why: `record ${i} differs` };
  return { ok: true };
}
