// Every text format of the preference, reasoning, content-part, dialect and template items (issue 25)
// through every command: validate and inspect accept it, mix writes n + k (+ balance) records with the
// user's records byte for byte and the same bytes for the same seed, and plan + mix-shard write the
// same number of records in the same form. Fixtures are written here from each format's public
// documentation; records are parsed back with JSON.parse.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './helpers.js';

const PLANTS = ['basil', 'a fern', 'mint', 'an orchid', 'tomato seedlings', 'a snake plant'];
const q = (i: number) => `How do I keep ${PLANTS[i % 6]} healthy on a windowsill? (case ${i})`;
const a = (i: number) => `Water it when the top soil is dry, give it bright indirect light and turn the pot every week (${i}).`;
const worse = (i: number) => `Plants cannot grow indoors (${i}).`;
const SYSTEM = 'You are a friendly gardening assistant.';

const FORMATS: [string, (i: number) => unknown][] = [
  [
    'OpenAI preference JSONL',
    (i) => ({
      input: {
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: q(i) },
        ],
      },
      preferred_output: [{ role: 'assistant', content: a(i) }],
      non_preferred_output: [{ role: 'assistant', content: worse(i) }],
    }),
  ],
  [
    'TRL conversational pairs',
    (i) => ({
      prompt: [{ role: 'user', content: q(i) }],
      chosen: [{ role: 'assistant', content: a(i) }],
      rejected: [{ role: 'assistant', content: worse(i) }],
    }),
  ],
  [
    'TRL implicit-prompt pairs',
    (i) => ({
      chosen: [
        { role: 'user', content: q(i) },
        { role: 'assistant', content: a(i) },
      ],
      rejected: [
        { role: 'user', content: q(i) },
        { role: 'assistant', content: worse(i) },
      ],
    }),
  ],
  [
    'ShareGPT pairs',
    (i) => ({ conversations: [{ from: 'human', value: q(i) }], chosen: { from: 'gpt', value: a(i) }, rejected: { from: 'gpt', value: worse(i) } }),
  ],
  [
    'chosen_messages / rejected_messages with parts and loss_weight',
    (i) => ({
      messages: [{ role: 'user', content: [{ type: 'text', value: q(i) }] }],
      chosen_messages: [{ role: 'assistant', content: [{ type: 'text', value: a(i) }], loss_weight: 1.0 }],
      rejected_messages: [{ role: 'assistant', content: [{ type: 'text', value: worse(i) }], loss_weight: 1.0 }],
    }),
  ],
  ['KTO prompt/completion/label (text)', (i) => ({ prompt: q(i), completion: i % 2 ? a(i) : worse(i), label: i % 2 === 1 })],
  [
    'KTO conversational',
    (i) => ({ prompt: [{ role: 'user', content: q(i) }], completion: [{ role: 'assistant', content: i % 2 ? a(i) : worse(i) }], label: i % 2 === 1 }),
  ],
  [
    'KTO messages + label',
    (i) => ({
      messages: [
        { role: 'user', content: q(i) },
        { role: 'assistant', content: i % 2 ? a(i) : worse(i) },
      ],
      label: i % 2 === 1,
    }),
  ],
  [
    'chat with content parts and loss_weight',
    (i) => ({
      messages: [
        { role: 'user', content: [{ type: 'text', text: q(i) }] },
        { role: 'assistant', content: [{ type: 'text', text: a(i) }], loss_weight: 1 },
      ],
    }),
  ],
  [
    'chat with reasoning_content',
    (i) => ({
      messages: [
        { role: 'user', content: q(i) },
        { role: 'assistant', reasoning_content: `Light and water decide it (${i}).`, content: a(i) },
      ],
    }),
  ],
  [
    'chat with <think> blocks',
    (i) => ({
      messages: [
        { role: 'user', content: q(i) },
        { role: 'assistant', content: `<think>\nLight and water decide it (${i}).\n</think>\n\n${a(i)}` },
      ],
    }),
  ],
  [
    'chat with thinking parts',
    (i) => ({
      messages: [
        { role: 'user', content: q(i) },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: `Light and water decide it (${i}).`, signature: `s${i}` },
            { type: 'text', text: a(i) },
          ],
        },
      ],
    }),
  ],
  [
    'chat with tools as a JSON string',
    (i) => ({
      messages: [
        { role: 'user', content: q(i) },
        { role: 'assistant', content: a(i) },
      ],
      tools: JSON.stringify([
        { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
      ]),
    }),
  ],
  [
    'Gemini contents',
    (i) => ({
      systemInstruction: { role: 'system', parts: [{ text: SYSTEM }] },
      contents: [
        { role: 'user', parts: [{ text: q(i) }] },
        { role: 'model', parts: [{ text: a(i) }] },
      ],
    }),
  ],
  [
    'Cohere roles (System/User/Chatbot)',
    (i) => ({
      messages: [
        { role: 'System', content: SYSTEM },
        { role: 'User', content: q(i) },
        { role: 'Chatbot', content: a(i) },
      ],
    }),
  ],
  [
    'ChatML text',
    (i) => ({ text: `<|im_start|>system\n${SYSTEM}<|im_end|>\n<|im_start|>user\n${q(i)}<|im_end|>\n<|im_start|>assistant\n${a(i)}<|im_end|>\n` }),
  ],
  [
    'Llama 3 text',
    (i) => ({
      text: `<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n${q(i)}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n${a(i)}<|eot_id|>`,
    }),
  ],
  ['Llama 2 text', (i) => ({ text: `<s>[INST] ${q(i)} [/INST] ${a(i)} </s>` })],
];

const N = 60;
const K = 10;

describe('every format through validate, inspect, mix, plan and mix-shard', () => {
  for (const [name, make] of FORMATS) {
    it(name, async () => {
      const dir = tempDir();
      const rows = Array.from({ length: N }, (_, i) => JSON.stringify(make(i)));
      writeFileSync(join(dir, 'in.jsonl'), rows.join('\n') + '\n');
      const v = await runCli(['validate', 'in.jsonl'], { cwd: dir });
      expect(v.code, v.stdout + v.stderr).toBe(0);
      const ins = await runCli(['inspect', 'in.jsonl', '--json'], { cwd: dir });
      expect(ins.code, ins.stderr).toBe(0);
      const mixed = async (out: string) => {
        const r = await runCli(['mix', 'in.jsonl', '-o', out, '--count', String(K), '--seed', '5', '--quiet'], { cwd: dir });
        expect(r.code, r.stderr).toBe(0);
        return readFileSync(join(dir, out));
      };
      const bytes = await mixed('out.jsonl');
      expect((await mixed('again.jsonl')).equals(bytes), 'the same seed: the same bytes').toBe(true);
      const lines = bytes.toString('utf8').trim().split('\n');
      const m = JSON.parse(readFileSync(join(dir, 'out.jsonl.manifest.json'), 'utf8')) as {
        injected: { index: number }[];
        balanceRecords?: { index: number }[];
      };
      const generated = new Set([...m.injected, ...(m.balanceRecords ?? [])].map((e) => e.index));
      expect(m.injected).toHaveLength(K);
      expect(lines).toHaveLength(N + generated.size);
      expect(
        lines.filter((_, i) => !generated.has(i)),
        'the user records, byte for byte',
      ).toEqual(rows);
      // every generated record has the user records' top-level keys, in their order
      const keys = new Set(rows.map((l) => Object.keys(JSON.parse(l) as object).join(',')));
      for (const i of generated) expect(keys.has(Object.keys(JSON.parse(lines[i]!) as object).join(',')), lines[i]).toBe(true);

      const p = await runCli(['plan', 'in.jsonl', '-o', 'plan.json', '--count', String(K), '--seed', '5', '--quiet'], { cwd: dir });
      expect(p.code, p.stderr).toBe(0);
      const s = await runCli(['mix-shard', 'plan.json', '--shard', '0', '-o', 'shard.jsonl', '--quiet'], { cwd: dir });
      expect(s.code, s.stderr).toBe(0);
      const shard = readFileSync(join(dir, 'shard.jsonl'), 'utf8').trim().split('\n');
      const sm = JSON.parse(readFileSync(join(dir, 'shard.jsonl.manifest.json'), 'utf8')) as {
        injected: { index: number }[];
        balanceRecords?: { index: number }[];
      };
      const sg = new Set([...sm.injected, ...(sm.balanceRecords ?? [])].map((e) => e.index));
      expect(sm.injected).toHaveLength(K);
      expect(shard.filter((_, i) => !sg.has(i))).toEqual(rows);
      for (const i of sg) expect(keys.has(Object.keys(JSON.parse(shard[i]!) as object).join(','))).toBe(true);
    });
  }
});
