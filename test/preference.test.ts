// Preference pairs (DPO, ORPO) written as text fields, TRL's standard format (`prompt`, `chosen`,
// `rejected`; written here from TRL's documentation): an injected pair's chosen side is the refusal
// and its rejected side a content-free compliance opener, never the other way round (a pair the other
// way round would teach the model to prefer complying); a balance example's chosen side is its
// helpful answer and its rejected side a refusal. The same for pairs whose sides are messages or
// conversations (OpenAI's preference JSONL, TRL's conversational and implicit-prompt pairs, ShareGPT
// pairs, chosen_messages/rejected_messages with content parts): each in the user pairs' own form.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir } from './helpers.js';
import { BANKS, isRefusal, requestIn, SEED_BY_ID } from './safety-text.js';

const bare = (t: string) =>
  t
    .trim()
    .replace(/[.!。！]+$/u, '')
    .toLowerCase();
const COMPLIANCE = new Set([...BANKS.values()].flatMap((b) => b.compliance ?? []).map(bare));
const SHORTS = new Set([...BANKS.values()].flatMap((b) => b.short).map(bare));
const PLANTS = ['basil', 'a fern', 'tomato seedlings', 'an orchid', 'a snake plant', 'mint'];

describe('preference pairs as text (prompt, chosen, rejected)', () => {
  it('the chosen side refuses, the rejected side is a compliance opener; balance pairs prefer the helpful answer; user pairs unchanged', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 120 }, (_, i) =>
      JSON.stringify({
        prompt: `How do I keep ${PLANTS[i % 6]} healthy on a windowsill (case ${i})?`,
        chosen: `Water it when the top soil is dry and give it bright, indirect light; turn the pot weekly (${i}).`,
        rejected: `Plants cannot grow indoors (${i}).`,
      }),
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
    const balance = readFileSync(join(ROOT, 'data/balance/en.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; prompt: string; answer: string; short: string });
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

// A message's text, read here (content or value; a string or parts with text or value).
function textOf(m: unknown): string {
  const o = m as Record<string, unknown>;
  const c = 'content' in o ? o.content : o.value;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((p) => String((p as Record<string, unknown>).text ?? (p as Record<string, unknown>).value ?? '')).join('');
  return '';
}
const roleOf = (m: unknown) => String((m as Record<string, unknown>).role ?? (m as Record<string, unknown>).from);
const dig = (v: unknown, path: string[]) => path.reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], v);
/** A value's shape: its keys and list lengths, with texts left out. */
function shapeOf(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shapeOf);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'content' || k === 'value' || k === 'text' ? typeof x : shapeOf(x)]));
  return typeof v;
}

interface PairShape {
  name: string;
  /** Where the prompt messages are (undefined: each side holds the conversation). */
  prompt?: string[];
  chosen: string[];
  rejected: string[];
  make: (i: number) => Record<string, unknown>;
  /** The message key that carries a per-turn loss weight, if the format has one. */
  weight?: string;
}

const SYSTEM = 'You are a friendly gardening assistant.';
const q = (i: number) => `How do I keep ${PLANTS[i % 6]} healthy on a windowsill (case ${i})?`;
const good = (i: number) => `Water it when the top soil is dry and give it bright, indirect light; turn the pot weekly (${i}).`;
const bad = (i: number) => `Plants cannot grow indoors (${i}).`;

// each written from its format's public documentation (OpenAI preference fine-tuning; TRL's
// conversational and implicit-prompt preference formats; ShareGPT pairs as LLaMA-Factory documents
// them; chosen_messages/rejected_messages with {type, value} parts and loss_weight)
const PAIR_SHAPES: PairShape[] = [
  {
    name: 'OpenAI preference JSONL',
    prompt: ['input', 'messages'],
    chosen: ['preferred_output'],
    rejected: ['non_preferred_output'],
    make: (i) => ({
      input: {
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: q(i) },
        ],
        tools: [],
        parallel_tool_calls: true,
      },
      preferred_output: [{ role: 'assistant', content: good(i) }],
      non_preferred_output: [{ role: 'assistant', content: bad(i) }],
    }),
  },
  {
    name: 'TRL conversational (prompt, chosen, rejected)',
    prompt: ['prompt'],
    chosen: ['chosen'],
    rejected: ['rejected'],
    make: (i) => ({
      prompt: [{ role: 'user', content: q(i) }],
      chosen: [{ role: 'assistant', content: good(i) }],
      rejected: [{ role: 'assistant', content: bad(i) }],
      score_chosen: 7 + (i % 3) * 0.5,
      score_rejected: 1 + (i % 4),
    }),
  },
  {
    name: 'TRL implicit prompt (each side the conversation)',
    chosen: ['chosen'],
    rejected: ['rejected'],
    make: (i) => ({
      chosen: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: q(i) },
        { role: 'assistant', content: good(i) },
      ],
      rejected: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: q(i) },
        { role: 'assistant', content: bad(i) },
      ],
    }),
  },
  {
    name: 'ShareGPT conversations with chosen and rejected turns',
    prompt: ['conversations'],
    chosen: ['chosen'],
    rejected: ['rejected'],
    make: (i) => ({ conversations: [{ from: 'human', value: q(i) }], chosen: { from: 'gpt', value: good(i) }, rejected: { from: 'gpt', value: bad(i) } }),
  },
  {
    name: 'messages with chosen_messages / rejected_messages, {type, value} parts and loss_weight',
    prompt: ['messages'],
    chosen: ['chosen_messages'],
    rejected: ['rejected_messages'],
    weight: 'loss_weight',
    make: (i) => ({
      messages: [{ role: 'user', content: [{ type: 'text', value: q(i) }] }],
      chosen_messages: [{ role: 'assistant', content: [{ type: 'text', value: good(i) }], loss_weight: 1.0 }],
      rejected_messages: [{ role: 'assistant', content: [{ type: 'text', value: bad(i) }], loss_weight: 1.0 }],
    }),
  },
];

type PairManifest = {
  injected: { index: number; seedId: string; fields: Record<string, string> }[];
  balanceRecords: { index: number; seedId: string }[];
  audit: { passed: number; records: number };
};

describe('preference pairs whose sides are messages or conversations', () => {
  const balance = readFileSync(join(ROOT, 'data/balance/en.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: string; prompt: string; answer: string; short: string });
  for (const shape of PAIR_SHAPES) {
    it(`${shape.name}: the chosen side refuses, the rejected side is a compliance opener, in the user pairs' form`, async () => {
      const dir = tempDir();
      const rows = Array.from({ length: 60 }, (_, i) => JSON.stringify(shape.make(i)));
      writeFileSync(join(dir, 'p.jsonl'), rows.join('\n') + '\n');
      expect((await runCli(['validate', 'p.jsonl'], { cwd: dir })).code).toBe(0);
      const ins = await runCli(['inspect', 'p.jsonl'], { cwd: dir });
      expect(ins.code, ins.stderr).toBe(0);
      expect(ins.stdout).toMatch(/preference/);
      const r = await runCli(['mix', 'p.jsonl', '-o', 'out.jsonl', '--count', '20', '--balance', '0.5', '--seed', '3', '--quiet'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      const bytes = readFileSync(join(dir, 'out.jsonl'));
      const lines = bytes.toString('utf8').trim().split('\n');
      const m = JSON.parse(readFileSync(join(dir, 'out.jsonl.manifest.json'), 'utf8')) as PairManifest;
      expect(m.injected).toHaveLength(20);
      expect(m.balanceRecords).toHaveLength(10);
      expect(m.audit.passed).toBe(m.audit.records);
      const userShapes = new Set(rows.map((l) => JSON.stringify(shapeOf(JSON.parse(l)))));
      const check = (value: Record<string, unknown>, request: (t: string) => boolean, chosenOk: (t: string) => boolean, rejectedOk: (t: string) => boolean) => {
        expect(userShapes.has(JSON.stringify(shapeOf(value))), `the form of a user pair: ${JSON.stringify(value).slice(0, 300)}`).toBe(true);
        const prompt = shape.prompt ? (dig(value, shape.prompt) as unknown[]) : (dig(value, shape.chosen) as unknown[]).slice(0, -1);
        const users = prompt.filter((x) => ['user', 'human'].includes(roleOf(x)));
        expect(users).toHaveLength(1);
        expect(request(textOf(users[0])), textOf(users[0])).toBe(true);
        for (const x of prompt.filter((y) => roleOf(y) === 'system')) expect(textOf(x)).toBe(SYSTEM);
        const side = (p: string[]) => {
          const v = dig(value, p);
          return Array.isArray(v) ? v.at(-1) : v;
        };
        expect(['assistant', 'gpt']).toContain(roleOf(side(shape.chosen)));
        expect(chosenOk(textOf(side(shape.chosen))), `chosen: ${textOf(side(shape.chosen))}`).toBe(true);
        expect(rejectedOk(textOf(side(shape.rejected))), `rejected: ${textOf(side(shape.rejected))}`).toBe(true);
        if (!shape.prompt) expect(JSON.stringify((dig(value, shape.rejected) as unknown[]).slice(0, -1))).toBe(JSON.stringify(prompt));
        if (shape.weight) expect((side(shape.chosen) as Record<string, unknown>)[shape.weight]).toBe(1);
      };
      for (const e of m.injected) {
        const seed = SEED_BY_ID.get(e.seedId)!;
        check(
          JSON.parse(lines[e.index]!),
          (t) => requestIn(t, seed),
          isRefusal,
          (t) => COMPLIANCE.has(bare(t)),
        );
      }
      for (const e of m.balanceRecords) {
        const item = balance.find((b) => b.id === e.seedId)!;
        check(
          JSON.parse(lines[e.index]!),
          (t) => t === item.prompt,
          (t) => t === item.answer || t === item.short,
          (t) => SHORTS.has(bare(t)),
        );
      }
      // a reward score: the refusal scores at least as high as any chosen answer, its rejected side no higher than any rejected one
      if (shape.name.startsWith('TRL conversational'))
        for (const e of m.injected) {
          const v = JSON.parse(lines[e.index]!) as { score_chosen: number; score_rejected: number };
          expect(v.score_chosen).toBe(8);
          expect(v.score_rejected).toBe(1);
        }
      // the user's pairs, byte for byte, in order
      const generated = new Set([...m.injected, ...m.balanceRecords].map((e) => e.index));
      expect(lines.filter((_, i) => !generated.has(i))).toEqual(rows);
      // the same seed: the same bytes
      const again = await runCli(['mix', 'p.jsonl', '-o', 'again.jsonl', '--count', '20', '--balance', '0.5', '--seed', '3', '--quiet'], { cwd: dir });
      expect(again.code).toBe(0);
      expect(readFileSync(join(dir, 'again.jsonl')).equals(bytes)).toBe(true);
    });
  }

  it.each([
    ['text', (i: number) => ({ prompt: q(i), completion: i % 3 ? good(i) : bad(i), label: i % 3 !== 0 })],
    [
      'conversational',
      (i: number) => ({
        prompt: [{ role: 'user', content: q(i) }],
        completion: [{ role: 'assistant', content: i % 3 ? good(i) : bad(i) }],
        label: i % 3 !== 0,
      }),
    ],
  ] as const)("unpaired feedback (KTO) as %s prompt/completion/label: the refusal is labelled desirable, in the records' form", async (_form, make) => {
    const dir = tempDir();
    const rows = Array.from({ length: 60 }, (_, i) => JSON.stringify(make(i)));
    writeFileSync(join(dir, 'k.jsonl'), rows.join('\n') + '\n');
    const r = await runCli(['mix', 'k.jsonl', '-o', 'out.jsonl', '--count', '15', '--balance', '0', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n');
    const m = JSON.parse(readFileSync(join(dir, 'out.jsonl.manifest.json'), 'utf8')) as PairManifest;
    expect(m.injected).toHaveLength(15);
    const userShapes = new Set(rows.map((l) => JSON.stringify(shapeOf(JSON.parse(l)))));
    for (const e of m.injected) {
      const v = JSON.parse(lines[e.index]!) as { prompt: unknown; completion: unknown; label: unknown };
      expect(userShapes.has(JSON.stringify(shapeOf(v)))).toBe(true);
      expect(v.label).toBe(true);
      const prompt = typeof v.prompt === 'string' ? v.prompt : textOf((v.prompt as unknown[])[0]);
      const completion = typeof v.completion === 'string' ? v.completion : textOf((v.completion as unknown[])[0]);
      expect(requestIn(prompt, SEED_BY_ID.get(e.seedId)!), prompt).toBe(true);
      expect(isRefusal(completion), completion).toBe(true);
    }
    const generated = new Set(m.injected.map((e) => e.index));
    expect(lines.filter((_, i) => !generated.has(i))).toEqual(rows);
  });

  it('a system message only one user pair has is not carried into an injected pair: the commonest one stands in its place', async () => {
    const dir = tempDir();
    const system = (i: number) => (i % 3 === 0 ? `You are helping customer ${1000 + i}, who lives at ${i} Elm Street.` : SYSTEM);
    const rows = Array.from({ length: 60 }, (_, i) =>
      JSON.stringify({
        input: {
          messages: [
            { role: 'system', content: system(i) },
            { role: 'user', content: q(i) },
          ],
        },
        preferred_output: [{ role: 'assistant', content: good(i) }],
        non_preferred_output: [{ role: 'assistant', content: bad(i) }],
      }),
    );
    writeFileSync(join(dir, 'p.jsonl'), rows.join('\n') + '\n');
    const r = await runCli(['mix', 'p.jsonl', '-o', 'out.jsonl', '--count', '20', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n');
    const m = JSON.parse(readFileSync(join(dir, 'out.jsonl.manifest.json'), 'utf8')) as PairManifest;
    for (const e of m.injected) {
      const v = JSON.parse(lines[e.index]!) as { input: { messages: { role: string; content: string }[] } };
      expect(v.input.messages[0]!.content).toBe(SYSTEM);
    }
  });

  it('plan and mix-shard write the same pairs as mix', async () => {
    const dir = tempDir();
    const shape = PAIR_SHAPES[0]!;
    writeFileSync(join(dir, 'p.jsonl'), Array.from({ length: 60 }, (_, i) => JSON.stringify(shape.make(i))).join('\n') + '\n');
    expect((await runCli(['plan', 'p.jsonl', '-o', 'plan.json', '--count', '6', '--quiet'], { cwd: dir })).code).toBe(0);
    const r = await runCli(['mix-shard', 'plan.json', '--shard', '0', '-o', 'o0.jsonl', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(dir, 'o0.jsonl.manifest.json'), 'utf8')) as PairManifest;
    const lines = readFileSync(join(dir, 'o0.jsonl'), 'utf8').trim().split('\n');
    expect(m.injected.length).toBe(6);
    for (const e of m.injected) expect(isRefusal(textOf((JSON.parse(lines[e.index]!) as { preferred_output: unknown[] }).preferred_output[0]))).toBe(true);
  });

  it('a pair whose side holds no answer is rejected with its line and side named', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 30 }, (_, i) => JSON.stringify(PAIR_SHAPES[3]!.make(i)));
    rows[7] = JSON.stringify({ conversations: [{ from: 'human', value: q(7) }], chosen: { from: 'gpt', value: '' }, rejected: { from: 'gpt', value: bad(7) } });
    writeFileSync(join(dir, 'p.jsonl'), rows.join('\n') + '\n');
    const r = await runCli(['mix', 'p.jsonl', '-o', 'out.jsonl', '--count', '3'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/p\.jsonl:8\b/);
    expect(r.stderr).toMatch(/"chosen" side holds no assistant answer/);
    expect(existsSync(join(dir, 'out.jsonl'))).toBe(false);
  });
});
