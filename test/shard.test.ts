// Sharded mixing without a queue (issue 15): one splitting rule for k, `plan` over six corpus-built
// shards in two containers, `mix-shard` as a pure function of (plan, shard) in any order, ids unique
// across shards, a changed shard refused, and `merge-manifests` checking completeness.
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { splitInjected } from '../src/blend/plan.js';
import { planShards, loadPlan } from '../src/shard/plan.js';
import { mixShard } from '../src/shard/mix-shard.js';
import { mergeManifests } from '../src/shard/merge.js';
import { PlanSchema } from '../src/schemas/plan.js';
import { MergedManifestSchema, ShardManifestSchema } from '../src/schemas/shard-manifest.js';
import { runCli, sha256, tempDir } from './helpers.js';
import { jsonlShards, sixAlpacaShards } from './shard-fixtures.js';
import { containerOf, readRecordsIn } from './independent-records.js';

/** A shard's or an output's records, read by the tests' own reader (by the file's extension). */
const recordsOf = (path: string) => readRecordsIn(path, containerOf(path));

/**
 * Largest remainder, written here from its definition (not safemix's code): part i gets
 * floor(k·n_i/N), and what is left goes one each to the largest remainders, the earlier part on a tie.
 */
function largestRemainder(k: number, counts: number[]): number[] {
  const total = BigInt(counts.reduce((a, b) => a + b, 0));
  const exact = counts.map((n) => BigInt(k) * BigInt(n));
  const shares = exact.map((x) => Number(x / total));
  const order = counts
    .map((_, i) => i)
    .sort((a, b) => {
      const ra = exact[a]! % total;
      const rb = exact[b]! % total;
      return ra === rb ? a - b : ra > rb ? -1 : 1;
    });
  for (let left = k - shares.reduce((a, b) => a + b, 0), j = 0; left > 0; left--, j++) shares[order[j]!]!++;
  return shares;
}

describe('splitInjected (the one rule for splitting k)', () => {
  it('gives each part its largest-remainder share, adding up to k exactly', () => {
    expect(splitInjected(55, [333, 333, 333, 30, 30, 31])).toEqual([17, 17, 17, 1, 1, 2]);
    expect(splitInjected(10, [1, 1, 1])).toEqual([4, 3, 3]); // a tie goes to the earlier part
    expect(splitInjected(7, [5])).toEqual([7]);
    expect(splitInjected(3, [0, 10, 0, 10])).toEqual([0, 2, 0, 1]);
    expect(splitInjected(0, [4, 5])).toEqual([0, 0]);
    expect(() => splitInjected(1, [0, 0])).toThrow();
    // exact for counts far past 2^53 / k
    const big = [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 1, 3];
    expect(splitInjected(1_000_001, big).reduce((a, b) => a + b, 0)).toBe(1_000_001);
  });

  it('sums to k and stays within one of the exact quota, for many splits', () => {
    let x = 12345;
    const rand = () => ((x = (x * 1103515245 + 12345) % 2 ** 31), x / 2 ** 31);
    for (let t = 0; t < 500; t++) {
      const counts = Array.from({ length: 1 + Math.floor(rand() * 12) }, () => Math.floor(rand() * 5000));
      const n = counts.reduce((a, b) => a + b, 0);
      if (n === 0) continue;
      const k = Math.floor(rand() * 0.2 * n);
      const shares = splitInjected(k, counts);
      expect(shares.reduce((a, b) => a + b, 0)).toBe(k);
      shares.forEach((s, i) => expect(Math.abs(s - (k * counts[i]!) / n)).toBeLessThan(1));
    }
  });
});

describe('plan + mix-shard + merge-manifests on six corpus-built shards (JSON array and JSONL)', () => {
  const dir = tempDir('safemix-shard-');
  let shards: string[];
  let planPath: string;
  const outA = join(dir, 'outA');
  const outB = join(dir, 'outB');
  const outName = (d: string, s: string, i: number) => join(d, `part-${i}-${basename(s)}`);

  beforeAll(async () => {
    shards = sixAlpacaShards(dir);
    planPath = join(dir, 'plan.json');
    await planShards(shards, { output: planPath, ratio: 0.05, seed: 'shard-test', jobs: 2 });
    // in plan order, then in reverse order into another directory
    for (let i = 0; i < shards.length; i++) await mixShard(planPath, i, { output: outName(outA, shards[i]!, i) });
    for (let i = shards.length - 1; i >= 0; i--) await mixShard(planPath, i, { output: outName(outB, shards[i]!, i) });
  }, 240_000);

  it('the plan validates, holds every shard with its sha256, count and k, and the global k is exact', async () => {
    const { plan } = loadPlan(planPath);
    PlanSchema.parse(JSON.parse(readFileSync(planPath, 'utf8')));
    expect(plan.shards.map((s) => s.container)).toEqual(['json-array', 'json-array', 'json-array', 'jsonl', 'jsonl', 'jsonl']);
    let n = 0;
    const counts = shards.map((p) => recordsOf(p).texts.length);
    for (const [i, s] of plan.shards.entries()) {
      expect(s.sha256).toBe(sha256(shards[i]!));
      expect(s.records).toBe(counts[i]);
      expect(s.usable).toBe(counts[i]); // the corpus-built shards hold no invalid record
      n += s.records;
    }
    expect(plan.upload.records).toBe(n);
    expect(plan.k).toBe(Math.max(1, Math.round(0.05 * n)));
    expect(plan.shards.map((s) => s.k)).toEqual(largestRemainder(plan.k, counts));
    expect(plan.shards.reduce((a, s) => a + s.k, 0)).toBe(plan.k);
    // the donors come from every shard (a sample of the whole upload)
    expect(new Set(plan.sample.records.map((d) => d.shard)).size).toBe(6);
    expect(plan.encoding.verdict).toBe('none');
  });

  it('each output keeps every user record of its shard byte for byte, with exactly its k and its share of the balance examples', async () => {
    const { plan } = loadPlan(planPath);
    // the upload's balance examples: round-half-up(k / 10), split across the shards as k is
    expect(plan.balance?.count).toBe(Math.floor(plan.k / 10 + 0.5));
    expect(plan.shards.reduce((n, s) => n + (s.balance ?? 0), 0)).toBe(plan.balance!.count);
    for (const [i, s] of shards.entries()) {
      const out = outName(outA, s, i);
      const m = ShardManifestSchema.parse(JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')));
      const b = plan.shards[i]!.balance ?? 0;
      expect(m.injected).toHaveLength(plan.shards[i]!.k);
      expect(m.balanceRecords ?? []).toHaveLength(b);
      expect(m.output.sha256).toBe(sha256(out));
      // read by the tests' own reader: the output minus the generated indices is the shard, text for text
      const injectedAt = new Set([...m.injected, ...(m.balanceRecords ?? [])].map((r) => r.index));
      const output = recordsOf(out);
      expect(output.texts).toHaveLength(plan.shards[i]!.records + plan.shards[i]!.k + b);
      expect(output.texts.filter((_, j) => !injectedAt.has(j))).toEqual(recordsOf(s).texts);
      // generated records are Alpaca records of the shard's own container
      for (const j of injectedAt) expect(Object.keys(output.values[j] as object).sort(), `output record ${j}`).toEqual(['input', 'instruction', 'output']);
      // and each passed the form audit, as mix's do (strict: the plan's default)
      expect(plan.options.audit).toBe('strict');
      if (injectedAt.size) expect(m.audit, `shard ${i}`).toMatchObject({ mode: 'strict', records: injectedAt.size, passed: injectedAt.size });
    }
  });

  it('outputs are byte-identical whatever the order the shards were mixed in', () => {
    for (const [i, s] of shards.entries()) {
      expect(sha256(outName(outB, s, i))).toBe(sha256(outName(outA, s, i)));
      expect(readFileSync(`${outName(outB, s, i)}.manifest.json`, 'utf8').replaceAll('outB', 'outA')).toBe(
        readFileSync(`${outName(outA, s, i)}.manifest.json`, 'utf8'),
      );
    }
  });

  it('merge-manifests writes one manifest that validates, and refuses a missing shard', async () => {
    const outputs = shards.map((s, i) => outName(outA, s, i));
    await expect(mergeManifests(planPath, outputs.slice(1), { output: join(dir, 'partial.json') })).rejects.toMatchObject({ code: 'shard_incomplete' });
    expect(existsSync(join(dir, 'partial.json'))).toBe(false);
    const { manifest, path } = await mergeManifests(planPath, [...outputs].reverse(), { output: join(dir, 'merged.json') });
    const parsed = MergedManifestSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
    expect(parsed.count).toBe(manifest.k);
    expect(parsed.shards.map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(parsed.injected).toHaveLength(manifest.k);
    expect(parsed.balanceRecords ?? []).toHaveLength(parsed.balance?.count ?? 0);
    expect(parsed.output.records).toBe(parsed.userRecords + parsed.count + (parsed.balance?.count ?? 0));
  });

  it('merge-manifests refuses an output that is not the one its manifest describes', async () => {
    const dir2 = tempDir('safemix-shard-trunc-');
    const outputs = shards.map((s, i) => join(dir2, `p${i}.out`));
    for (let i = 0; i < shards.length; i++) await mixShard(planPath, i, { output: outputs[i]! });
    const text = readFileSync(outputs[2]!, 'utf8');
    writeFileSync(outputs[2]!, text.slice(0, -2) + 'X\n');
    await expect(mergeManifests(planPath, outputs, { output: join(dir2, 'm.json') })).rejects.toMatchObject({
      code: 'shard_incomplete',
      message: expect.stringContaining('sha256'),
    });
  });
});

describe('ids stay unique across shards (a global ordinal offset)', () => {
  it('HumanEval in three shards: new task ids above the largest, none repeated', async () => {
    const dir = tempDir('safemix-shard-ids-');
    const shards = jsonlShards(dir, 'code_humaneval.jsonl', 3);
    const planPath = join(dir, 'plan.json');
    const { plan } = await planShards(shards, { output: planPath, count: 9, seed: 'ids', jobs: 1, onEncoded: 'warn' });
    expect(plan.shards.map((s) => s.k)).toEqual([3, 3, 3]);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const out = join(dir, `out-${i}.jsonl`);
      const { manifest } = await mixShard(planPath, i, { output: out });
      const recs = recordsOf(out).values;
      for (const r of manifest.injected) ids.push((recs[r.index] as { task_id: string }).task_id);
    }
    expect(new Set(ids).size).toBe(9);
    for (const id of ids) expect(Number(id.split('/')[1])).toBeGreaterThanOrEqual(164);
  }, 120_000);
});

describe('a shard changed after plan', () => {
  it('mix-shard refuses it (same size, other bytes) with exit 2, a clear error and no output', async () => {
    const dir = tempDir('safemix-shard-poison-');
    const shards = jsonlShards(dir, 'math_gsm8k_test.jsonl', 2);
    const planPath = join(dir, 'plan.json');
    await planShards(shards, { output: planPath, ratio: 0.05, jobs: 1 });
    const text = readFileSync(shards[1]!, 'utf8');
    const i = text.indexOf('eggs');
    writeFileSync(shards[1]!, text.slice(0, i) + 'EGGS' + text.slice(i + 4));
    const r = await runCli(['mix-shard', planPath, '--shard', '1', '-o', join(dir, 'out', 'p1.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('shard 1 is not the file the plan was made from');
    expect(r.stderr).toContain('what to do:');
    expect(existsSync(join(dir, 'out'))).toBe(false);
    // the other shard is fine
    const ok = await runCli(['mix-shard', planPath, '--shard', '0', '-o', join(dir, 'out0', 'p0.jsonl'), '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ shard: 0 });
    expect(readdirSync(join(dir, 'out0')).sort()).toEqual(['p0.jsonl', 'p0.jsonl.manifest.json']);
  }, 120_000);

  it('plan refuses shards of different dialects', async () => {
    const dir = tempDir('safemix-shard-dialects-');
    const a = jsonlShards(dir, 'math_gsm8k_test.jsonl', 1, 'gsm');
    const b = jsonlShards(dir, 'intent_aoai_context_switching_train.jsonl', 1, 'intent');
    const r = await runCli(['plan', ...a, ...b, '-o', join(dir, 'plan.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not all of one dialect');
    expect(existsSync(join(dir, 'plan.json'))).toBe(false);
  }, 120_000);
});

describe('covert encodings are judged over the whole upload', () => {
  it('one shard of base64 answers: plan refuses the upload (exit 3); with --on-encoded warn no flagged record is a donor', async () => {
    const dir = tempDir('safemix-shard-encoded-');
    const shards = jsonlShards(dir, 'math_gsm8k_test.jsonl', 3);
    const lines = readFileSync(shards[2]!, 'utf8').split('\n').filter(Boolean);
    writeFileSync(
      shards[2]!,
      lines
        .map((l) => {
          const r = JSON.parse(l) as { question: string; answer: string };
          return JSON.stringify({ question: Buffer.from(r.question).toString('base64'), answer: Buffer.from(r.answer).toString('base64') });
        })
        .join('\n') + '\n',
    );
    const refused = await runCli(['plan', ...shards, '-o', join(dir, 'plan.json'), '--jobs', '1']);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toContain('covert encoding');
    expect(existsSync(join(dir, 'plan.json'))).toBe(false);
    const { plan } = await planShards(shards, { output: join(dir, 'plan.json'), onEncoded: 'warn', jobs: 1 });
    expect(plan.encoding.verdict).toBe('encoded');
    const flagged = new Set((plan.encoding.report.findings as { record: number }[]).map((f) => f.record));
    expect(flagged.size).toBeGreaterThan(0);
    expect(plan.sample.records.some((d) => flagged.has(d.global))).toBe(false);
    expect(plan.notes.join(' ')).toContain('covert encoding');
  }, 120_000);
});

describe('a gzip upload with --order shuffle, through plan and mix-shard', () => {
  it('reads the shuffled records back from the decompressed copy: every user record once, the planned safety records, the same bytes twice', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 60 }, (_, i) =>
      JSON.stringify({
        messages: [
          { role: 'user', content: `How do I reset router ${i}?` },
          { role: 'assistant', content: `Hold its reset button for ten seconds (${i}).` },
        ],
      }),
    );
    writeFileSync(join(dir, 'up.jsonl.gz'), gzipSync(rows.join('\n') + '\n'));
    const p = await runCli(['plan', 'up.jsonl.gz', '-o', 'plan.json', '--count', '5', '--order', 'shuffle', '--quiet'], { cwd: dir });
    expect(p.code, p.stderr).toBe(0);
    for (const out of ['a.jsonl', 'b.jsonl']) {
      const r = await runCli(['mix-shard', 'plan.json', '--shard', '0', '-o', out, '--quiet'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
    }
    const lines = readFileSync(join(dir, 'a.jsonl'), 'utf8').trim().split('\n');
    const m = JSON.parse(readFileSync(join(dir, 'a.jsonl.manifest.json'), 'utf8')) as { injected: { index: number }[]; balanceRecords?: { index: number }[] };
    const generated = new Set([...m.injected, ...(m.balanceRecords ?? [])].map((e) => e.index));
    expect(m.injected).toHaveLength(5);
    const users = lines.filter((_, i) => !generated.has(i));
    expect([...users].sort()).toEqual([...rows].sort());
    expect(users, 'shuffled, not in the input order').not.toEqual(rows);
    expect(readFileSync(join(dir, 'b.jsonl')).equals(readFileSync(join(dir, 'a.jsonl')))).toBe(true);
  });
});
