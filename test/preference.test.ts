// Preference pairs (DPO, ORPO) written as text fields, TRL's standard format (`prompt`, `chosen`,
// `rejected`; written here from TRL's documentation): an injected pair's chosen side is the refusal
// and its rejected side a content-free compliance opener, never the other way round (a pair the other
// way round would teach the model to prefer complying); a balance example's chosen side is its
// helpful answer and its rejected side a refusal. Pairs in shapes safemix does not write yet (OpenAI's
// preference JSONL, conversations in chosen/rejected) are named as what they are, exit 2, nothing written.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir } from './helpers.js';
import { BANKS, isRefusal, requestIn, SEED_BY_ID } from './safety-text.js';

const bare = (t: string) => t.trim().replace(/[.!。！]+$/u, '').toLowerCase();
const COMPLIANCE = new Set([...BANKS.values()].flatMap((b) => b.compliance ?? []).map(bare));
const SHORTS = new Set([...BANKS.values()].flatMap((b) => b.short).map(bare));
const PLANTS = ['basil', 'a fern', 'tomato seedlings', 'an orchid', 'a snake plant', 'mint'];

describe('preference pairs as text (prompt, chosen, rejected)', () => {
  it('the chosen side refuses, the rejected side is a compliance opener; balance pairs prefer the helpful answer; user pairs unchanged', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 120 }, (_, i) =>
      JSON.stringify({ prompt: `How do I keep ${PLANTS[i % 6]} healthy on a windowsill (case ${i})?`, chosen: `Water it when the top soil is dry and give it bright, indirect light; turn the pot weekly (${i}).`, rejected: `Plants cannot grow indoors (${i}).` }),
    );
    writeFileSync(join(dir, 'pairs.jsonl'), rows.join('\n') + '\n');
    const r = await runCli(['mix', 'pairs.jsonl', '-o', 'out.jsonl', '--count', '20', '--balance', '0.5', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n');
    const m = JSON.parse(readFileSync(join(dir, 'out.jsonl.manifest.json'), 'utf8')) as {
      injected: { index: number; seedId: string; fields: Record<string, string> }[];
      balanceRecords: { index: number; seedId: string }[];
      audit: { exempt: string[] };
    };
    expect(m.injected).toHaveLength(20);
    expect(m.balanceRecords).toHaveLength(10);
    for (const e of m.injected) {
      const v = JSON.parse(lines[e.index]!) as { prompt: string; chosen: string; rejected: string };
      const seed = SEED_BY_ID.get(e.seedId)!;
      expect(requestIn(v.prompt, seed), v.prompt).toBe(true);
      expect(isRefusal(v.chosen), `chosen: ${v.chosen}`).toBe(true);
      expect(COMPLIANCE.has(bare(v.rejected)), `rejected: ${v.rejected}`).toBe(true);
      expect(e.fields).toMatchObject({ prompt: 'request', chosen: 'answer', rejected: 'rejected: a compliance opener with no content' });
    }
    const balance = readFileSync(join(ROOT, 'data/balance/en.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; prompt: string; answer: string; short: string });
    for (const e of m.balanceRecords) {
      const v = JSON.parse(lines[e.index]!) as { prompt: string; chosen: string; rejected: string };
      const item = balance.find((b) => b.id === e.seedId)!;
      expect(v.prompt).toBe(item.prompt);
      expect([item.answer, item.short]).toContain(v.chosen);
      expect(SHORTS.has(bare(v.rejected)), `rejected: ${v.rejected}`).toBe(true);
    }
    // the user's pairs, byte for byte, in order
    const generated = new Set([...m.injected, ...m.balanceRecords].map((e) => e.index));
    expect(lines.filter((_, i) => !generated.has(i))).toEqual(rows);
    expect(m.audit.exempt.join('\n')).toMatch(/rejected\|newlines: the rejected side of a preference pair/);
  });
});

describe('preference pairs in shapes safemix does not write yet', () => {
  const cases: [string, (i: number) => unknown, RegExp][] = [
    ['OpenAI preference JSONL', (i) => ({ input: { messages: [{ role: 'user', content: `How do I keep basil alive (${i})?` }] }, preferred_output: [{ role: 'assistant', content: 'Water it when the soil is dry.' }], non_preferred_output: [{ role: 'assistant', content: 'Basil dies indoors.' }] }), /preference pairs in OpenAI's format/],
    ['ShareGPT conversations with chosen and rejected turns', (i) => ({ conversations: [{ from: 'human', value: `How do I keep basil alive (${i})?` }], chosen: { from: 'gpt', value: 'Water it when the soil is dry.' }, rejected: { from: 'gpt', value: 'Basil dies indoors.' } }), /preference pairs whose chosen and rejected sides are turns/],
  ];
  for (const [name, make, message] of cases) {
    it(`${name}: named as preference pairs, exit 2, nothing written, and a hint that leads to a form safemix mixes`, async () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'p.jsonl'), Array.from({ length: 40 }, (_, i) => JSON.stringify(make(i))).join('\n') + '\n');
      const r = await runCli(['mix', 'p.jsonl', '-o', 'out.jsonl', '--count', '3'], { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/prompt, chosen, rejected/);
      expect(existsSync(join(dir, 'out.jsonl'))).toBe(false);
    });
  }
});
