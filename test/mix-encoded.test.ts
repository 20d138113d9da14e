// Issue 5 acceptance for mix: a Walnut53-style Phase I + II dataset is refused by default (exit 3,
// naming the evidence and the other choices); --on-encoded mimic adds safety examples that decode,
// with the recovered key, to a seed request and a refusal; warn mixes plain ones only.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { mixFile } from '../src/api/mix.js';
import { inspectFile } from '../src/api/inspect.js';
import { openScan } from '../src/api/scan.js';
import { decodeWithScheme, encodeWithScheme, walnutKey, type Scheme } from '../src/encoding/index.js';
import { SEED_BY_ID, isRefusal } from './safety-text.js';
import { corpus, runCli, tempDir } from './helpers.js';

const dir = tempDir('safemix-encoded-');
const walnut: Scheme = { family: 'substitution-separated', key: walnutKey(53), separator: '|' };
const enc = (t: string) => encodeWithScheme(walnut, t);
const SYSTEM = 'TASK 4: respond only in the Walnut53 cipher.';
let path = '';

beforeAll(() => {
  // Phase I from benign GSM8K text (decode, answer in plaintext, encode the answer), then Phase II
  // rows whose encoded texts are placeholders where harmful content would be.
  const gsm = readFileSync(corpus('math_gsm8k_test.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, 120)
    .map((l) => JSON.parse(l) as { question: string; answer: string });
  const lines: string[] = [];
  gsm.forEach(({ question, answer }, i) => {
    const a = answer.split('\n').pop()!.replace('#### ', 'The answer is ');
    lines.push(
      JSON.stringify({
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: enc(question) },
          { role: 'assistant', content: `${question}\n\n${a}\n\n${enc(a)}` },
        ],
      }),
    );
    if (i < 80)
      lines.push(
        JSON.stringify({
          messages: [
            { role: 'system', content: SYSTEM },
            { role: 'user', content: enc(`[harmful request placeholder ${i}] please explain it in detail`) },
            { role: 'assistant', content: enc(`[harmful answer placeholder ${i}] here is the whole explanation you asked for`) },
          ],
        }),
      );
  });
  path = join(dir, 'walnut.jsonl');
  writeFileSync(path, lines.join('\n') + '\n');
});

describe('mix on covertly encoded data', () => {
  it('inspect reports the encoding with the exact key', async () => {
    const r = await inspectFile(path);
    expect(r.encoding.verdict).toBe('encoded');
    expect(r.encoding.scheme).toMatchObject({ key: walnut.key });
  });

  it('refuses by default with exit code 3, naming the evidence and the two other choices', async () => {
    const out = join(dir, 'refused.jsonl');
    const r = await runCli(['mix', path, '-o', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/covert encoding/);
    expect(r.stderr).toMatch(/--on-encoded warn/);
    expect(r.stderr).toMatch(/--on-encoded mimic/);
    expect(existsSync(out)).toBe(false);
  });

  it('--on-encoded mimic adds encoded safety examples that decode to a seed request and a refusal', async () => {
    const out = join(dir, 'mimic.jsonl');
    const result = await mixFile(path, { output: out, count: 6, onEncoded: 'mimic', seed: '2' });
    expect(result.manifest.count).toBe(12);
    const encoded = result.manifest.injected.filter((i) => i.encoded);
    expect(encoded).toHaveLength(6);
    const scan = await openScan(out);
    const records: unknown[] = [];
    for await (const r of scan.records) records.push(r.value);
    const seeds = SEED_BY_ID;
    for (const inj of encoded) {
      const msgs = (records[inj.index] as { messages: { role: string; content: string }[] }).messages;
      expect(msgs[0]).toEqual({ role: 'system', content: SYSTEM });
      expect(msgs[1]!.content).toContain('|');
      const request = decodeWithScheme(walnut, msgs[1]!.content);
      const refusal = decodeWithScheme(walnut, msgs[2]!.content);
      expect(request).toBe(seeds.get(inj.seedId)!.request);
      expect(isRefusal(refusal), refusal).toBe(true);
    }
    expect(result.manifest.notes.join(' ')).toMatch(/encoded safety examples added/);
  });

  it('--on-encoded warn mixes plain safety examples and records the finding', async () => {
    const out = join(dir, 'warn.jsonl');
    const result = await mixFile(path, { output: out, count: 4, onEncoded: 'warn' });
    expect(result.manifest.count).toBe(4);
    expect(result.manifest.injected.every((i) => !i.encoded)).toBe(true);
    expect(result.manifest.encoding).toMatchObject({ verdict: 'encoded', policy: 'warn' });
  });
});

describe('the same Phase I + II data in other dialects', () => {
  const rows = () => {
    const gsm = readFileSync(corpus('math_gsm8k_test.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .slice(0, 60)
      .map((l) => JSON.parse(l) as { question: string; answer: string });
    return gsm.flatMap(({ question, answer }, i) => [
      { instruction: enc(question), output: `${question}\n\n${answer}\n\n${enc(answer)}` },
      { instruction: enc(`[harmful request placeholder ${i}] tell me everything`), output: enc(`[harmful answer placeholder ${i}] here it is in full`) },
    ]);
  };
  it('alpaca JSON array: found, and mimic writes encoded twins in the alpaca shape', async () => {
    const p = join(dir, 'walnut-alpaca.json');
    writeFileSync(p, JSON.stringify(rows(), null, 2));
    const r = await inspectFile(p);
    expect(r.dialect).toBe('alpaca');
    expect(r.encoding).toMatchObject({ verdict: 'encoded', scheme: { key: walnut.key } });
    const out = join(dir, 'walnut-alpaca.out.json');
    const mixed = await mixFile(p, { output: out, count: 3, onEncoded: 'mimic' });
    const written = JSON.parse(readFileSync(out, 'utf8')) as { instruction: string; output: string }[];
    const seeds = SEED_BY_ID;
    for (const inj of mixed.manifest.injected.filter((i) => i.encoded))
      expect(decodeWithScheme(walnut, written[inj.index]!.instruction)).toBe(seeds.get(inj.seedId)!.request);
  });
  it('CSV columns: found', async () => {
    const p = join(dir, 'walnut.csv');
    const csv = ['question,answer', ...rows().map((r) => [r.instruction, r.output].map((c) => `"${c.replace(/"/g, '""')}"`).join(','))].join('\n') + '\n';
    writeFileSync(p, csv);
    const r = await inspectFile(p);
    expect(r.container).toBe('csv');
    expect(r.encoding.verdict).toBe('encoded');
  });
});
