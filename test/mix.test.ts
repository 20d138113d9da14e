// Issue 4 acceptance on the corpus: exact k at the manifest's indices, user records byte for byte
// and in order, injected records with the user records' skeleton and a refusal, deterministic
// output, --count 0 as an identity, and a bring-your-own safety source.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mixFile, type MixResult } from '../src/api/mix.js';
import { ManifestSchema } from '../src/api/schemas.js';
import { DatasetReader } from '../src/read/reader.js';
import { openScan } from '../src/api/scan.js';
import { conversationOf } from '../src/profile/conversation.js';
import { CORPUS_FILES, corpus, runCli, sha256, tempDir } from './helpers.js';
import { SEEDS, SEED_BY_ID, isRefusal, requestIn } from './safety-text.js';
import type { SourceRecord } from '../src/read/types.js';

const dir = tempDir('safemix-mix-');

async function records(path: string) {
  const scan = await openScan(path);
  const out: SourceRecord[] = [];
  for await (const r of scan.records) out.push(r);
  return { scan, records: out };
}

const heldout = new Map(SEEDS.filter((s) => s.split === 'heldout').map((s) => [s.request, s.id]));
const allSeeds = SEED_BY_ID;

const sequence = (dialect: string, v: unknown) => {
  const c = conversationOf(dialect as never, v);
  return c ? [...(c.system ? ['system:' + c.system.text] : []), ...c.turns.map((t) => t.sourceRole)].join('|') : '';
};

describe.each(CORPUS_FILES.map((c) => [c.file, c] as const))('mix %s', (file, c) => {
  let result: MixResult;
  let out: string;
  beforeAll(async () => {
    out = join(dir, `r05-${file}`);
    result = await mixFile(corpus(file), { output: out, ratio: 0.05, seed: '1' });
  });

  it('exactly k injected records, at the manifest indices, user records byte for byte in order', async () => {
    const manifest = ManifestSchema.parse(JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')));
    const k = Math.max(1, Math.round(0.05 * c.records));
    expect(manifest.count).toBe(k);
    expect(manifest.injected).toHaveLength(k);
    expect(manifest.input.sha256).toBe(sha256(corpus(file)));
    expect(manifest.output.sha256).toBe(sha256(out));
    const input = await records(corpus(file));
    const output = await records(out);
    expect(output.scan.reader.container).toBe(c.container);
    expect(output.scan.detection.dialect).toBe(c.dialect);
    expect(output.records).toHaveLength(c.records + k);
    expect(output.records.every((r) => !r.problem)).toBe(true);
    const injectedAt = new Set(manifest.injected.map((i) => i.index));
    const users = output.records.filter((r) => !injectedAt.has(r.index));
    expect(users.map((r) => r.raw.toString('utf8'))).toEqual(input.records.map((r) => r.raw.toString('utf8')));
    expect(manifest.injected.map((i) => i.index)).toEqual([...injectedAt].sort((a, b) => a - b));
  });

  it('injected records have the user records\' keys, turn order and system prompt, the request and a refusal; no held-out request', async () => {
    const input = await records(corpus(file));
    const output = await records(out);
    const userKeys = new Set(input.records.flatMap((r) => Object.keys(r.value as object)));
    const userSequences = new Set(input.records.map((r) => sequence(c.dialect, r.value)));
    for (const inj of result.manifest.injected) {
      const rec = output.records[inj.index]!;
      const value = rec.value as Record<string, unknown>;
      for (const k of Object.keys(value)) expect(userKeys.has(k), `key ${k} of output record ${inj.index}`).toBe(true);
      if (!inj.exception) expect(userSequences.has(sequence(c.dialect, value)), `role sequence and system prompt of output record ${inj.index}`).toBe(true);
      const seed = allSeeds.get(inj.seedId)!;
      expect(seed.split).toBe('train');
      expect(heldout.has(seed.request)).toBe(false);
      const text = rec.raw.toString('utf8');
      expect(requestIn(JSON.stringify(value), seed) || Object.values(inj.fields).some((f) => f.includes('stub')), `the request in output record ${inj.index}`).toBe(true);
      expect(isRefusal(JSON.stringify(value)), `a refusal in output record ${inj.index}: ${text.slice(0, 200)}`).toBe(true);
    }
  });

  it('--count 0 reproduces the input byte for byte', async () => {
    const zero = join(dir, `c0-${file}`);
    await mixFile(corpus(file), { output: zero, count: 0, manifest: false });
    expect(sha256(zero)).toBe(sha256(corpus(file)));
  });
});

describe('mix determinism and options', () => {
  it('the same seed gives identical bytes; another seed another blend', async () => {
    const f = corpus('math_gsm8k_test.jsonl');
    const [a, b, other] = ['a.jsonl', 'b.jsonl', 'c.jsonl'].map((n) => join(dir, n));
    await mixFile(f, { output: a!, seed: '7' });
    await mixFile(f, { output: b!, seed: '7' });
    await mixFile(f, { output: other!, seed: '8' });
    expect(sha256(a!)).toBe(sha256(b!));
    const withoutPath = (p: string) => ({ ...JSON.parse(readFileSync(p, 'utf8')), output: { ...JSON.parse(readFileSync(p, 'utf8')).output, path: '' } });
    expect(withoutPath(`${a}.manifest.json`)).toEqual(withoutPath(`${b}.manifest.json`));
    expect(sha256(other!)).not.toBe(sha256(a!));
  });

  it('--order append puts every safety record after the user records; --count is exact', async () => {
    const out = join(dir, 'append.jsonl');
    const r = await mixFile(corpus('qa_open_nq_open_dev.jsonl'), { output: out, count: 7, order: 'append' });
    expect(r.manifest.injected.map((i) => i.index)).toEqual([2000, 2001, 2002, 2003, 2004, 2005, 2006]);
  });

  it('the corpus\'s Alpaca refusal set works as --safety, with its own responses', async () => {
    const out = join(dir, 'byo.jsonl');
    const r = await mixFile(corpus('chat_openai_travel_finetune_hotel.jsonl'), { output: out, count: 5, safety: { path: corpus('safety_bianchi_refusals_alpaca.json') } });
    expect(r.manifest.safetySource).toMatchObject({ kind: 'file', requests: 2483 });
    const source = JSON.parse(readFileSync(corpus('safety_bianchi_refusals_alpaca.json'), 'utf8')) as { instruction: string; input?: string; output: string }[];
    const outputs = new Set(source.map((s) => s.output));
    const { records: recs } = await records(out);
    for (const inj of r.manifest.injected) {
      const msgs = (recs[inj.index]!.value as { messages: { role: string; content: string }[] }).messages;
      expect(msgs.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
      expect(outputs.has(msgs[2]!.content)).toBe(true);
    }
  });

  it('--safety with --safety-where takes the unsafe rows of a CSV and generates refusals', async () => {
    const out = join(dir, 'xstest.jsonl');
    const r = await mixFile(corpus('intent_aoai_context_switching_train.jsonl'), { output: out, count: 10, safety: { path: corpus('safety_xstest_prompts.csv'), request: 'prompt', where: 'label=unsafe' } });
    expect(r.manifest.safetySource.requests).toBe(200);
    const { records: recs } = await records(out);
    for (const inj of r.manifest.injected) {
      const v = recs[inj.index]!.value as { prompt: string; completion: string };
      expect(v.prompt.endsWith(' ->')).toBe(true);
      expect(v.completion.startsWith(' ')).toBe(true);
      expect(isRefusal(v.completion)).toBe(true);
    }
  });

  it('the CLI writes the output and manifest, and prints a summary with three examples', async () => {
    const out = join(dir, 'cli', 'mixed.jsonl');
    const r = await runCli(['mix', corpus('intent_aoai_context_switching_train.jsonl'), '-o', out, '--ratio', '0.1', '--seed', '3']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/added\s+18 safety records \(ratio 0.1, seed 3, interleave\)/);
    expect(r.stderr).toMatch(/label space is extended/);
    expect(r.stderr.match(/\[output record \d+\]/g)).toHaveLength(3);
    expect(ManifestSchema.parse(JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8'))).count).toBe(18);
  });

  it('reads standard input and writes standard output with -', async () => {
    const input = readFileSync(corpus('intent_aoai_context_switching_train.jsonl'));
    const r = await runCli(['mix', '-', '-o', '-', '--count', '3', '--quiet'], { stdin: input });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(181);
  });

  it('invalid records stop the mix (exit 1, nothing written) unless --skip-invalid lists them', async () => {
    const bad = join(dir, 'bad.jsonl');
    const good = readFileSync(corpus('intent_aoai_context_switching_train.jsonl'), 'utf8').split('\n');
    good.splice(3, 0, '{"prompt": "broken ->", ');
    writeFileSync(bad, good.join('\n'));
    const out = join(dir, 'bad-out.jsonl');
    const r = await runCli(['mix', bad, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.jsonl:4.*invalid JSON/);
    expect(r.stderr).toMatch(/--skip-invalid/);
    const ok = await mixFile(bad, { output: out, skipInvalid: true, count: 2 });
    expect(ok.manifest.rejected).toMatchObject([{ index: 3, line: 4, code: 'invalid_json' }]);
    expect(ok.manifest.output.records).toBe(178 + 2);
  });
});

describe('mix --order shuffle', () => {
  it('moves user records too, keeps each exactly once, and is deterministic', async () => {
    const f = corpus('intent_banking77_test.csv');
    const a = join(dir, 'shuffle-a.csv');
    const b = join(dir, 'shuffle-b.csv');
    const r = await mixFile(f, { output: a, order: 'shuffle', seed: '5' });
    await mixFile(f, { output: b, order: 'shuffle', seed: '5' });
    expect(sha256(a)).toBe(sha256(b));
    const input = await records(f);
    const output = await records(a);
    const injectedAt = new Set(r.manifest.injected.map((i) => i.index));
    const users = output.records.filter((x) => !injectedAt.has(x.index)).map((x) => x.raw.toString());
    const original = input.records.map((x) => x.raw.toString());
    expect(users).not.toEqual(original);
    expect([...users].sort()).toEqual([...original].sort());
    expect(output.scan.reader.layout.prefix.toString()).toBe('text,category\r\n');
  });
});

describe('mix on multiple choice', () => {
  it('adds a refusal option in the donor\'s option style and answers with its letter', async () => {
    const items = ['planet', 'ocean', 'desert', 'river', 'mountain', 'lake', 'island', 'forest'];
    const lines = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({ prompt: `Which ${items[i % 8]} is the ${i % 2 ? 'largest' : 'oldest'} of these?\n${['w', 'x', 'y', 'z'].map((p, j) => `${'ABCD'[j]}. ${items[(i + j) % 8]} ${p}${i}`).join('\n')}\nAnswer:`, completion: ` ${'ABCD'[i % 4]}` }),
    );
    const input = join(dir, 'mc.jsonl');
    writeFileSync(input, lines.join('\n') + '\n');
    const out = join(dir, 'mc-out.jsonl');
    const r = await mixFile(input, { output: out, count: 5, seed: '4' });
    expect(r.profile.answerSpace).toMatchObject({ kind: 'choice', letters: ['A', 'B', 'C', 'D'] });
    const { records: recs } = await records(out);
    for (const inj of r.manifest.injected) {
      const v = recs[inj.index]!.value as { prompt: string; completion: string };
      expect(v.prompt.endsWith('\nAnswer:')).toBe(true);
      expect(requestIn(v.prompt, allSeeds.get(inj.seedId)!)).toBe(true);
      const options = v.prompt.split('\n').filter((l) => /^[A-D]\. /.test(l));
      expect(options).toHaveLength(4);
      expect(v.completion).toMatch(/^ [A-D]$/);
      const chosen = options.find((o) => o.startsWith(`${v.completion.trim()}. `))!;
      expect(isRefusal(chosen)).toBe(true);
      expect(options.filter((o) => isRefusal(o))).toHaveLength(1);
    }
    expect(r.manifest.notes.join(' ')).toMatch(/refusal option/);
  });
});
