// Issue 4 acceptance on the corpus: exact k at the manifest's indices, user records byte for byte
// and in order, injected records with the user records' skeleton and a refusal, deterministic
// output, --count 0 as an identity, and a bring-your-own safety source. Records, their keys and their
// turn orders are read by the tests' own code (independent-records.ts, shapeOf below), not safemix's
// reader or conversation parser; no manifest field excuses a record from a check.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mixFile, type MixResult } from '../src/api/mix.js';
import { ManifestSchema } from '../src/schemas/manifest.js';
import { openScan } from '../src/api/scan.js';
import { CORPUS_FILES, corpus, runCli, sha256, tempDir, labelPolicy } from './helpers.js';
import { HEADERLESS, readRecordsIn } from './independent-records.js';
import { SEEDS, SEED_BY_ID, isRefusal, requestIn } from './safety-text.js';
import type { SourceRecord } from '../src/read/types.js';

const dir = tempDir('safemix-mix-');

/** safemix's own reader: only for what it detects (container, dialect, record problems) in an output. */
async function records(path: string) {
  const scan = await openScan(path);
  const out: SourceRecord[] = [];
  for await (const r of scan.records) out.push(r);
  return { scan, records: out };
}

const heldout = new Map(SEEDS.filter((s) => s.split === 'heldout').map((s) => [s.request, s.id]));
const allSeeds = SEED_BY_ID;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A record's turn order as the file spells it, with its system prompts' text: the role (or `from`) of
 * every message of a chat, the system turns with their text; Alpaca's history pairs, instruction and
 * output; prompt and completion. Empty for records of plain fields.
 */
function shapeOf(v: unknown): string {
  if (!isObj(v)) return '';
  const parts: string[] = [];
  if (typeof v.system === 'string') parts.push(`system:${v.system}`);
  const list = Array.isArray(v.messages) ? v.messages : Array.isArray(v.conversations) ? v.conversations : undefined;
  if (list) {
    for (const m of list as Obj[]) {
      const role = String(m.role ?? m.from);
      parts.push(role === 'system' ? `system:${JSON.stringify(m.content ?? m.value)}` : role);
    }
  } else if ('instruction' in v && 'output' in v) {
    for (const _ of Array.isArray(v.history) ? v.history : []) parts.push('history:user', 'history:assistant');
    parts.push('instruction', 'output');
  } else if ('prompt' in v && 'completion' in v) parts.push('prompt', 'completion');
  return parts.join('|');
}

/** Every string inside a value. */
const stringsIn = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(stringsIn) : isObj(v) ? Object.values(v).flatMap(stringsIn) : [];

/** The records of a corpus file or of its mixed output, read by the tests' own reader. */
const recordsOf = (path: string, c: (typeof CORPUS_FILES)[number]) => readRecordsIn(path, c.container, { header: !HEADERLESS.has(c.file) });

describe.each(CORPUS_FILES.map((c) => [c.file, c] as const))('mix %s', (file, c) => {
  let result: MixResult;
  let out: string;
  beforeAll(async () => {
    out = join(dir, `r05-${file}`);
    result = await mixFile(corpus(file), { output: out, ratio: 0.05, seed: '1', ...labelPolicy(file) });
  });

  it('exactly k injected records (and b = round-half-up(k/10) balance examples where answers are free text), at the manifest indices, user records byte for byte in order', async () => {
    const manifest = ManifestSchema.parse(JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')));
    const k = Math.max(1, Math.round(0.05 * c.records));
    expect(manifest.count).toBe(k);
    expect(manifest.injected).toHaveLength(k);
    // the default balance share is 0.1 of k, where the answers take free text (else none, and the manifest says why)
    const b = manifest.balance?.skipped ? 0 : Math.floor(k / 10 + 0.5);
    expect(manifest.balance?.count).toBe(b);
    expect(manifest.balanceRecords ?? []).toHaveLength(b);
    expect(manifest.input.sha256).toBe(sha256(corpus(file)));
    expect(manifest.output.sha256).toBe(sha256(out));
    const input = recordsOf(corpus(file), c);
    const output = recordsOf(out, c);
    expect(input.texts).toHaveLength(c.records);
    expect(output.texts).toHaveLength(c.records + k + b);
    expect(output.header).toBe(input.header);
    const injectedAt = new Set([...manifest.injected, ...(manifest.balanceRecords ?? [])].map((i) => i.index));
    expect(injectedAt.size).toBe(k + b);
    expect([...injectedAt].every((i) => Number.isInteger(i) && i >= 0 && i < c.records + k + b)).toBe(true);
    const users = output.texts.filter((_, i) => !injectedAt.has(i));
    expect(users).toEqual(input.texts);
    expect(manifest.injected.map((i) => i.index)).toEqual(manifest.injected.map((i) => i.index).sort((a, b) => a - b));
    // safemix's own reader takes the output as the same container and dialect, with no record problem
    const scan = await records(out);
    expect(scan.scan.reader.container).toBe(c.container);
    expect(scan.scan.detection.dialect).toBe(c.dialect);
    expect(scan.records.every((r) => !r.problem)).toBe(true);
  });

  it("injected records have the user records' keys, turn order and system prompt, the request and a refusal; no held-out request", () => {
    const input = recordsOf(corpus(file), c);
    const output = recordsOf(out, c);
    const userKeys = new Set(input.values.flatMap((v) => Object.keys(v as object)));
    const userShapes = new Set(input.values.map(shapeOf));
    for (const inj of result.manifest.injected) {
      const value = output.values[inj.index] as Obj;
      const text = output.texts[inj.index]!;
      for (const k of Object.keys(value)) expect(userKeys.has(k), `key ${k} of output record ${inj.index}`).toBe(true);
      // every injected record, whatever its manifest entry says
      expect(userShapes.has(shapeOf(value)), `role sequence and system prompt of output record ${inj.index}: ${shapeOf(value).slice(0, 200)}`).toBe(true);
      const seed = allSeeds.get(inj.seedId)!;
      expect(seed.split).toBe('train');
      expect(heldout.has(seed.request)).toBe(false);
      // in one of its texts (a request wrapped over lines, as in a code stub's docstring, included)
      // or its sentences over two fields (Alpaca's instruction takes the ask, its input the sentences before)
      const strings = stringsIn(value);
      const sentences = seed.request.split(/(?<=[.!?。！？])\s+/u).filter((x) => x.trim());
      const inOne = strings.some((t) => requestIn(t, seed));
      const inParts = sentences.length > 1 && sentences.every((part) => strings.some((t) => requestIn(t, { ...seed, request: part })));
      expect(inOne || inParts, `the request in output record ${inj.index}`).toBe(true);
      // XSTest's label set has "unsafe": the harmful request gets it, not refusal text
      if (file === 'safety_xstest_prompts.csv') expect((value as { label?: unknown }).label, text).toBe('unsafe');
      else expect(isRefusal(JSON.stringify(value)), `a refusal in output record ${inj.index}: ${text.slice(0, 200)}`).toBe(true);
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

  it("the corpus's Alpaca refusal set works as --safety, with its own responses", async () => {
    const out = join(dir, 'byo.jsonl');
    const r = await mixFile(corpus('chat_openai_travel_finetune_hotel.jsonl'), {
      output: out,
      count: 5,
      safety: { path: corpus('safety_bianchi_refusals_alpaca.json') },
    });
    expect(r.manifest.safetySource).toMatchObject({ kind: 'file', requests: 2483 });
    const source = JSON.parse(readFileSync(corpus('safety_bianchi_refusals_alpaca.json'), 'utf8')) as { instruction: string; input?: string; output: string }[];
    const outputs = new Set(source.map((s) => s.output));
    const recs = readRecordsIn(out, 'jsonl').values;
    for (const inj of r.manifest.injected) {
      const msgs = (recs[inj.index] as { messages: { role: string; content: string }[] }).messages;
      expect(msgs.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
      expect(outputs.has(msgs[2]!.content)).toBe(true);
    }
  });

  it('--safety with --safety-where takes the unsafe rows of a CSV and generates refusals', async () => {
    const out = join(dir, 'xstest.jsonl');
    const r = await mixFile(corpus('intent_aoai_context_switching_train.jsonl'), {
      output: out,
      count: 10,
      closedAnswers: 'refuse',
      safety: { path: corpus('safety_xstest_prompts.csv'), request: 'prompt', where: 'label=unsafe' },
    });
    expect(r.manifest.safetySource.requests).toBe(200);
    const recs = readRecordsIn(out, 'jsonl').values;
    for (const inj of r.manifest.injected) {
      const v = recs[inj.index] as { prompt: string; completion: string };
      expect(v.prompt.endsWith(' ->')).toBe(true);
      expect(v.completion.startsWith(' ')).toBe(true);
      expect(isRefusal(v.completion)).toBe(true);
    }
  });

  it('the CLI writes the output and manifest, and prints a summary with three examples', async () => {
    const out = join(dir, 'cli', 'mixed.jsonl');
    const r = await runCli([
      'mix',
      corpus('intent_aoai_context_switching_train.jsonl'),
      '-o',
      out,
      '--ratio',
      '0.1',
      '--seed',
      '3',
      '--closed-answers',
      'refuse',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/added\s+18 safety records \(ratio 0.1, seed 3, interleave\)/);
    expect(r.stderr).toMatch(/extends the label space/);
    expect(r.stderr.match(/\[output record \d+\]/g)).toHaveLength(3);
    expect(ManifestSchema.parse(JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8'))).count).toBe(18);
  });

  it('reads standard input and writes standard output with -', async () => {
    const input = readFileSync(corpus('intent_aoai_context_switching_train.jsonl'));
    const r = await runCli(['mix', '-', '-o', '-', '--count', '3', '--closed-answers', 'refuse', '--quiet'], { stdin: input });
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
    const ok = await mixFile(bad, { output: out, skipInvalid: true, count: 2, closedAnswers: 'refuse' });
    expect(ok.manifest.rejected).toMatchObject([{ index: 3, line: 4, code: 'invalid_json' }]);
    expect(ok.manifest.output.records).toBe(178 + 2);
  });
});

describe('mix --order shuffle', () => {
  it('moves user records too, keeps each exactly once, and is deterministic', async () => {
    const f = corpus('intent_banking77_test.csv');
    const a = join(dir, 'shuffle-a.csv');
    const b = join(dir, 'shuffle-b.csv');
    const r = await mixFile(f, { output: a, order: 'shuffle', seed: '5', closedAnswers: 'refuse' });
    await mixFile(f, { output: b, order: 'shuffle', seed: '5', closedAnswers: 'refuse' });
    expect(sha256(a)).toBe(sha256(b));
    const input = readRecordsIn(f, 'csv');
    const output = readRecordsIn(a, 'csv');
    const injectedAt = new Set(r.manifest.injected.map((i) => i.index));
    const users = output.texts.filter((_, i) => !injectedAt.has(i));
    const original = input.texts;
    expect(users).not.toEqual(original);
    expect([...users].sort()).toEqual([...original].sort());
    expect(readFileSync(a, 'utf8').startsWith('text,category\r\n')).toBe(true);
  });
});

describe('mix on multiple choice', () => {
  it("adds a refusal option in the donor's option style and answers with its letter", async () => {
    const items = ['planet', 'ocean', 'desert', 'river', 'mountain', 'lake', 'island', 'forest'];
    const lines = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({
        prompt: `Which ${items[i % 8]} is the ${i % 2 ? 'largest' : 'oldest'} of these?\n${['w', 'x', 'y', 'z'].map((p, j) => `${'ABCD'[j]}. ${items[(i + j) % 8]} ${p}${i}`).join('\n')}\nAnswer:`,
        completion: ` ${'ABCD'[i % 4]}`,
      }),
    );
    const input = join(dir, 'mc.jsonl');
    writeFileSync(input, lines.join('\n') + '\n');
    const out = join(dir, 'mc-out.jsonl');
    const r = await mixFile(input, { output: out, count: 5, seed: '4' });
    expect(r.profile.answerSpace).toMatchObject({ kind: 'choice', letters: ['A', 'B', 'C', 'D'] });
    const recs = readRecordsIn(out, 'jsonl').values;
    for (const inj of r.manifest.injected) {
      const v = recs[inj.index] as { prompt: string; completion: string };
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
