// Reasoning in the answers (issue 25): chats whose answers open with a reasoning block
// (`<think>…</think>`, as reasoning models write them) and chats whose answer turns carry
// `reasoning_content` or reasoning parts (`{type: "reasoning"}`, `{type: "thinking"}`). A safety record carries a short reasoning in the same place and layout, made
// of its request's own reason (never the donor's reasoning, which was about another question), and
// the answer after the block keeps the data's own style (the block is not read as the answer's text).
// Fixtures written here from the formats' public descriptions.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './helpers.js';
import { isRefusal, SEED_BY_ID } from './safety-text.js';

const PLANTS = ['basil', 'a fern', 'tomato seedlings', 'an orchid', 'a snake plant', 'mint'];

type Msg = { role: string; content: string; reasoning_content?: string };

async function mix(
  rows: unknown[],
): Promise<{ records: { messages: Msg[] }[]; injected: { index: number; seedId: string; fields: Record<string, string> }[] }> {
  const dir = tempDir();
  writeFileSync(join(dir, 'in.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const r = await runCli(['mix', 'in.jsonl', '-o', 'out.jsonl', '--count', '12', '--balance', '0', '--quiet'], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  const records = readFileSync(join(dir, 'out.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { messages: Msg[] });
  const m = JSON.parse(readFileSync(join(dir, 'out.jsonl.manifest.json'), 'utf8')) as {
    injected: { index: number; seedId: string; fields: Record<string, string> }[];
  };
  return { records, injected: m.injected };
}

describe('reasoning in the answers', () => {
  it("<think> blocks: every injected answer opens with one in the users' layout, holding the request's own reason, then a refusal in the answers' own casing", async () => {
    const rows = Array.from({ length: 80 }, (_, i) => ({
      messages: [
        { role: 'user', content: `How do I keep ${PLANTS[i % 6]} healthy on a windowsill (case ${i})?` },
        {
          role: 'assistant',
          content: `<think>\nThe user wants care tips for ${PLANTS[i % 6]}. Light and water matter most here (${i}).\n</think>\n\nWater it when the top soil is dry and give it bright, indirect light (${i}).`,
        },
      ],
    }));
    const { records, injected } = await mix(rows);
    expect(injected).toHaveLength(12);
    for (const e of injected) {
      const answer = records[e.index]!.messages.at(-1)!.content;
      const m = /^<think>\n([\s\S]+)\n<\/think>\n\n([\s\S]+)$/.exec(answer);
      expect(m, answer).not.toBeNull();
      const seed = SEED_BY_ID.get(e.seedId)!;
      if (seed.reason) expect(m![1]).toBe(seed.reason);
      expect(isRefusal(m![2]!), m![2]).toBe(true);
      // the users' answers after the block start with a capital: so does the refusal
      expect(m![2]![0]).toBe(m![2]![0]!.toUpperCase());
    }
  });

  it("reasoning_content: the answer turn's reasoning is the request's own reason, never the donor's", async () => {
    const rows = Array.from({ length: 80 }, (_, i) => ({
      messages: [
        { role: 'user', content: `How do I keep ${PLANTS[i % 6]} healthy on a windowsill (case ${i})?` },
        {
          role: 'assistant',
          reasoning_content: `The user asks about ${PLANTS[i % 6]}, case ${i}: light and water matter.`,
          content: `Water it when the top soil is dry (${i}).`,
        },
      ],
    }));
    const { records, injected } = await mix(rows);
    for (const e of injected) {
      const turn = records[e.index]!.messages.at(-1)!;
      const seed = SEED_BY_ID.get(e.seedId)!;
      expect(turn.reasoning_content).toBe(seed.reason ?? '');
      expect(turn.reasoning_content).not.toMatch(/The user asks about/);
      expect(isRefusal(turn.content), turn.content).toBe(true);
      expect(Object.values(e.fields)).toContain("reasoning: the request's own reason");
    }
  });

  it.each([
    [
      'a reasoning part ({type: "reasoning", text})',
      (i: number) => ({ type: 'reasoning', text: `The user asks about ${PLANTS[i % 6]}, case ${i}: light and water matter.` }),
      'text',
    ],
    [
      'a thinking block ({type: "thinking", thinking, signature})',
      (i: number) => ({ type: 'thinking', thinking: `The user asks about ${PLANTS[i % 6]}, case ${i}: light and water matter.`, signature: `sig${i}` }),
      'thinking',
    ],
  ] as const)("%s before the text part: it holds the request's own reason, the text part the refusal", async (_name, part, key) => {
    const rows = Array.from({ length: 80 }, (_, i) => ({
      messages: [
        { role: 'user', content: `How do I keep ${PLANTS[i % 6]} healthy on a windowsill (case ${i})?` },
        { role: 'assistant', content: [part(i), { type: 'text', text: `Water it when the top soil is dry (${i}).` }] },
      ],
    }));
    const { records, injected } = await mix(rows);
    expect(injected).toHaveLength(12);
    for (const e of injected) {
      const parts = records[e.index]!.messages.at(-1)!.content as unknown as Record<string, string>[];
      expect(parts.map((p) => p.type)).toEqual([part(0).type, 'text']);
      expect(Object.keys(parts[0]!).sort()).toEqual(Object.keys(part(0)).sort());
      const seed = SEED_BY_ID.get(e.seedId)!;
      expect(parts[0]![key]).toBe(seed.reason ?? '');
      expect(isRefusal(parts[1]!.text!), parts[1]!.text).toBe(true);
      expect(JSON.stringify(parts)).not.toMatch(/The user asks about|Water it when/);
    }
  });
});
