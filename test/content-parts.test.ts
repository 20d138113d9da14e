// Chats whose turns are content parts (issue 25): OpenAI's `{type: "text", text}` and the
// `{type: "text", value}` form some trainers write, with a per-turn `loss_weight`. Injected records
// keep the parts' own form (the same key), the refusal turn is trained on (`loss_weight` 1, as the
// users' assistant turns are), and user records pass through unchanged. Fixtures written here.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './helpers.js';
import { isRefusal, requestIn, SEED_BY_ID } from './safety-text.js';

const PLANTS = ['basil', 'a fern', 'tomato seedlings', 'an orchid', 'a snake plant', 'mint'];

describe('content parts', () => {
  for (const key of ['text', 'value'] as const) {
    it(`parts {type, ${key}} with loss_weight: the injected turns are parts of the same form, the refusal turn has loss_weight 1`, async () => {
      const dir = tempDir();
      const part = (t: string) => [{ type: 'text', [key]: t }];
      const rows = Array.from({ length: 60 }, (_, i) =>
        JSON.stringify({
          messages: [
            { role: 'user', content: part(`How do I keep ${PLANTS[i % 6]} alive on a windowsill (case ${i})?`), loss_weight: 0 },
            { role: 'assistant', content: part(`Water it when the top soil is dry (${i}).`), loss_weight: 1 },
          ],
        }),
      );
      writeFileSync(join(dir, 'in.jsonl'), rows.join('\n') + '\n');
      const r = await runCli(['mix', 'in.jsonl', '-o', 'out.jsonl', '--count', '6', '--balance', '0', '--quiet'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      const lines = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n');
      const m = JSON.parse(readFileSync(join(dir, 'out.jsonl.manifest.json'), 'utf8')) as { injected: { index: number; seedId: string }[] };
      for (const e of m.injected) {
        const [user, assistant] = (JSON.parse(lines[e.index]!) as { messages: { content: Record<string, string>[]; loss_weight: number }[] }).messages;
        expect(Object.keys(user!.content[0]!).sort()).toEqual(['type', key].sort());
        expect(Object.keys(assistant!.content[0]!).sort()).toEqual(['type', key].sort());
        expect(requestIn(user!.content[0]![key]!, SEED_BY_ID.get(e.seedId)!)).toBe(true);
        expect(isRefusal(assistant!.content[0]![key]!), assistant!.content[0]![key]).toBe(true);
        expect([user!.loss_weight, assistant!.loss_weight]).toEqual([0, 1]);
      }
      const generated = new Set(m.injected.map((e) => e.index));
      expect(lines.filter((_, i) => !generated.has(i))).toEqual(rows);
    });
  }

  it('image parts beside the text: user records keep theirs, an injected turn is its text part only (no donor image), and the audit lists why', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 60 }, (_, i) =>
      JSON.stringify({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image_url', image_url: { url: `https://example.com/plant-${i}.png` } },
              { type: 'text', text: `What plant is this, and how do I keep it alive (case ${i})?` },
            ],
          },
          { role: 'assistant', content: `It looks like ${PLANTS[i % 6]}: water it when the top soil is dry (${i}).` },
        ],
      }),
    );
    writeFileSync(join(dir, 'in.jsonl'), rows.join('\n') + '\n');
    const r = await runCli(['mix', 'in.jsonl', '-o', 'out.jsonl', '--count', '6', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n');
    const m = JSON.parse(readFileSync(join(dir, 'out.jsonl.manifest.json'), 'utf8')) as {
      injected: { index: number; seedId: string }[];
      audit: { exempt: string[] };
    };
    for (const e of m.injected) {
      expect(lines[e.index]).not.toMatch(/image_url|example\.com/);
      const user = (JSON.parse(lines[e.index]!) as { messages: { content: { type: string; text: string }[] }[] }).messages[0]!;
      expect(user.content).toHaveLength(1);
      expect(user.content[0]!.type).toBe('text');
      expect(requestIn(user.content[0]!.text, SEED_BY_ID.get(e.seedId)!)).toBe(true);
    }
    expect(m.audit.exempt.join('\n')).toMatch(/messages\[user\]\.content\|length: an image, audio or file part/);
  });

  it('tools written as a JSON string: accepted (not "tools is not a list"), and injected records keep them as the same string', async () => {
    const dir = tempDir();
    const tools = JSON.stringify([
      { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
    ]);
    const rows = Array.from({ length: 60 }, (_, i) =>
      JSON.stringify({
        tools,
        messages: [
          { role: 'user', content: `How do I keep ${PLANTS[i % 6]} alive (case ${i})?` },
          { role: 'assistant', content: `Water it when the soil is dry (${i}).` },
        ],
      }),
    );
    writeFileSync(join(dir, 'in.jsonl'), rows.join('\n') + '\n');
    const r = await runCli(['mix', 'in.jsonl', '-o', 'out.jsonl', '--count', '4', '--balance', '0', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n');
    const m = JSON.parse(readFileSync(join(dir, 'out.jsonl.manifest.json'), 'utf8')) as { injected: { index: number }[] };
    for (const e of m.injected) expect((JSON.parse(lines[e.index]!) as { tools: unknown }).tools).toBe(tools);
  });

  it("role names in another case (Cohere's System/User/Chatbot): read as a chat, and injected turns keep the data's role names", async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 60 }, (_, i) =>
      JSON.stringify({
        messages: [
          { role: 'System', content: 'You are a gardening assistant.' },
          { role: 'User', content: `How do I keep ${PLANTS[i % 6]} alive (case ${i})?` },
          { role: 'Chatbot', content: `Water it when the soil is dry (${i}).` },
        ],
      }),
    );
    writeFileSync(join(dir, 'in.jsonl'), rows.join('\n') + '\n');
    const r = await runCli(['mix', 'in.jsonl', '-o', 'out.jsonl', '--count', '4', '--balance', '0'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/jsonl · openai-chat/);
    const lines = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n');
    const m = JSON.parse(readFileSync(join(dir, 'out.jsonl.manifest.json'), 'utf8')) as { injected: { index: number }[] };
    for (const e of m.injected) {
      const msgs = (JSON.parse(lines[e.index]!) as { messages: { role: string; content: string }[] }).messages;
      expect(msgs.map((x) => x.role)).toEqual(['System', 'User', 'Chatbot']);
      expect(isRefusal(msgs[2]!.content), msgs[2]!.content).toBe(true);
    }
  });
});
