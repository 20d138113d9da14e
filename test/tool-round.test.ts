// Benign tool rounds in injected tool-calling chats (issue 24, conversation shape): with the paraphrase
// engine, a model endpoint writes a harmless exchange that calls one of the record's declared tools,
// and safemix checks it against the tool's schema (a wrong tool or argument is said back to the model),
// never takes the donor's own texts, and builds the round in the donor's form (its keys, `weight`, the
// call id's pattern). The fixture is written from OpenAI's documented fine-tuning format for function
// calling (messages with `tool_calls`, `tool` messages with `tool_call_id`, a `tools` list).
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkToolRound, declaredTools } from '../src/generate/tool-round.js';
import { ChatServer } from './chat-server.js';
import { corpus, runCli, tempDir } from './helpers.js';

const WEATHER = {
  type: 'function',
  function: {
    name: 'get_current_weather',
    description: 'Get the current weather in a given location',
    parameters: {
      type: 'object',
      properties: { location: { type: 'string', description: 'The city and country' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['location', 'unit'],
    },
  },
};
const TIMEZONE = {
  type: 'function',
  function: {
    name: 'get_local_time',
    description: 'Get the local time of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  },
};

const CITIES = ['Lisbon, Portugal', 'Oslo, Norway', 'Nairobi, Kenya', 'Osaka, Japan', 'Quito, Ecuador', 'Perth, Australia', 'Tunis, Tunisia', 'Riga, Latvia'];

function fixture(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const city = CITIES[i % CITIES.length]!;
    const weather = i % 2 === 0;
    const id = `call_${700 + i * 3}`;
    const ask = weather
      ? `What's the weather like in ${city} right now? Use ${i % 3 ? 'celsius' : 'fahrenheit'}.`
      : `What time is it in ${city.split(',')[0]}?`;
    const args = weather ? { location: city, unit: i % 3 ? 'celsius' : 'fahrenheit' } : { city: city.split(',')[0] };
    const result = weather
      ? { temperature: 10 + (i % 17), unit: args.unit, conditions: 'cloudy' }
      : { time: `${10 + (i % 12)}:${String((i * 7) % 60).padStart(2, '0')}` };
    const reply = weather
      ? `It's ${result.temperature} degrees and cloudy in ${city} at the moment.`
      : `It's ${(result as { time: string }).time} in ${city.split(',')[0]} right now.`;
    lines.push(
      JSON.stringify({
        messages: [
          { role: 'system', content: 'You are a travel assistant. Use the tools for live information.' },
          { role: 'user', content: ask },
          {
            role: 'assistant',
            tool_calls: [
              { id, type: 'function', function: { name: weather ? WEATHER.function.name : TIMEZONE.function.name, arguments: JSON.stringify(args) } },
            ],
            weight: 1,
          },
          { role: 'tool', tool_call_id: id, content: JSON.stringify(result) },
          { role: 'assistant', content: reply, weight: 1 },
        ],
        tools: [WEATHER, TIMEZONE],
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

describe("checking a tool round against the record's tools", () => {
  const tools = declaredTools({ tools: [WEATHER, TIMEZONE] });
  const good = {
    user: 'Is it raining in Cork?',
    tool: 'get_current_weather',
    arguments: { location: 'Cork, Ireland', unit: 'celsius' },
    result: { rain: true },
    reply: 'Yes, light rain.',
  };

  it('reads the declared tools, also from a JSON string', () => {
    expect(tools.map((t) => t.name)).toEqual(['get_current_weather', 'get_local_time']);
    expect(declaredTools({ tools: JSON.stringify([TIMEZONE]) }).map((t) => t.name)).toEqual(['get_local_time']);
    expect(declaredTools({ messages: [] })).toEqual([]);
  });

  it('accepts a round that fits, and says what is wrong with one that does not', () => {
    expect(checkToolRound(good, tools)).toEqual({ round: good });
    const wrong = (patch: object) => {
      const r = checkToolRound({ ...good, ...patch }, tools);
      return 'error' in r ? r.error : 'accepted';
    };
    expect(wrong({ tool: 'send_email' })).toMatch(/one of the record's tools: \["get_current_weather","get_local_time"\]/);
    expect(wrong({ arguments: { location: 'Cork' } })).toMatch(/lacks the required "unit"/);
    expect(wrong({ arguments: { location: 'Cork', unit: 'kelvin' } })).toMatch(/must be one of \["celsius","fahrenheit"\]/);
    expect(wrong({ arguments: { location: 7, unit: 'celsius' } })).toMatch(/before\.arguments\.location must be string/);
    expect(wrong({ tool: 'get_local_time', arguments: { city: 'Cork', country: 'IE' } })).toMatch(/"country", which the tool does not take/);
    expect(wrong({ reply: '  ' })).toMatch(/before\.reply/);
    expect(wrong({ result: null })).toMatch(/before\.result/);
    expect(checkToolRound('a round', tools)).toHaveProperty('error');
  });
});

describe('an endpoint writes a benign tool round before the safety request', () => {
  it('the round is checked, said back when wrong, built in the donor form, and never the donor text', async () => {
    const dir = tempDir('safemix-toolround-');
    const input = fixture(24);
    writeFileSync(join(dir, 'in.jsonl'), input);
    const asked = new Map<string, number>();
    const server = await new ChatServer({
      faithful: {
        before: (prompt) => {
          const n = (asked.get(prompt) ?? 0) + 1;
          asked.set(prompt, n);
          // the first answer calls a tool the record does not have; the repair calls a declared one
          if (n === 1) return { user: 'Send my itinerary to my sister.', tool: 'send_email', arguments: { to: 'x' }, result: { sent: true }, reply: 'Sent.' };
          // the second copies the request of example 1 (the donor): private text, said back too
          if (n === 2) {
            const donor = JSON.parse(/Example 1 \(the record your example will be placed in\):\n(.*)\n/.exec(prompt)![1]!) as {
              messages: { content: string }[];
            };
            return {
              user: donor.messages[1]!.content,
              tool: 'get_local_time',
              arguments: { city: 'Bergen' },
              result: { time: '09:00' },
              reply: "It's 9 in Bergen.",
            };
          }
          return {
            user: 'How warm is it in Valletta today?',
            tool: 'get_current_weather',
            arguments: { location: 'Valletta, Malta', unit: 'celsius' },
            result: { temperature: 24, unit: 'celsius', conditions: 'sunny' },
            reply: "It's 24 degrees and sunny in Valletta.",
          };
        },
      },
      maxRequests: 60,
      lifetimeMs: 60_000,
    }).start();
    const res = await runCli(
      [
        'mix',
        'in.jsonl',
        '-o',
        'out.jsonl',
        '--count',
        '6',
        '--seed',
        '3',
        '--engine',
        'paraphrase',
        '--endpoint',
        server.url,
        '--model',
        'test-model',
        '--cache',
        'cache',
      ],
      { cwd: dir, env: { OPENAI_API_KEY: 'sk-test-round' } },
    ).finally(() => server.close());
    expect(res.code, res.stderr).toBe(0);

    // every prompt asked for the round and listed the record's tools; every repair said what was wrong
    const chats = server.chatRequests();
    expect(chats.length).toBe(18);
    const prompts = chats.map((c) => (c.body!.messages as { role: string; content: string }[]).map((m) => m.content).join('\n'));
    for (const p of prompts) expect(p).toContain(`the record's tools: ${JSON.stringify(declaredTools({ tools: [WEATHER, TIMEZONE] }))}`);
    expect(prompts.filter((p) => p.includes(`"before.tool" must name one of the record's tools`)).length).toBe(12);
    expect(prompts.filter((p) => p.includes('"before.user" is copied from example 1')).length).toBe(6);

    const manifest = JSON.parse(readFileSync(join(dir, 'out.jsonl.manifest.json'), 'utf8')) as {
      injected: { index: number; fields: Record<string, string> }[];
      notes: string[];
      paraphrase: { repairs: number; fallbacks: number };
    };
    expect(manifest.paraphrase).toMatchObject({ repairs: 12, fallbacks: 0 });
    expect(manifest.notes.join('\n')).toMatch(/the model wrote a benign tool round/);
    const out = readFileSync(join(dir, 'out.jsonl'), 'utf8').split('\n');
    for (const e of manifest.injected) {
      const line = out[e.index]!;
      const rec = JSON.parse(line) as { messages: Record<string, unknown>[]; tools: unknown[] };
      expect(rec.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'user', 'assistant']);
      const [, user, call, tool, reply] = rec.messages;
      expect(user!.content).toBe('How warm is it in Valletta today?');
      // the donor's keys and weight, the donor's form of tool call (arguments as a JSON string), a new id of its pattern
      expect(Object.keys(call!).sort()).toEqual(['role', 'tool_calls', 'weight']);
      expect(line).toContain('"tool_calls":[{');
      const tc = (call!.tool_calls as { id: string; type: string; function: { name: string; arguments: string } }[])[0]!;
      expect(tc.type).toBe('function');
      expect(tc.function).toEqual({ name: 'get_current_weather', arguments: '{"location":"Valletta, Malta","unit":"celsius"}' });
      expect(tc.id).toMatch(/^call_\d+$/);
      expect(tool).toEqual({ role: 'tool', tool_call_id: tc.id, content: '{"temperature":24,"unit":"celsius","conditions":"sunny"}' });
      expect(reply).toEqual({ role: 'assistant', content: "It's 24 degrees and sunny in Valletta.", weight: 1 });
      expect(e.fields['messages[2]']).toMatch(/call of one of the record's tools/);
      // nothing of the donor's own exchange is left: its request, its call id, its reply
      for (const m of rec.messages.slice(1, 5)) expect(input).not.toContain(JSON.stringify(m.content ?? '').slice(1, -1) || '\u0000');
      expect(rec.tools).toEqual([WEATHER, TIMEZONE]);
    }
  });
});

describe('offline, a ShareGPT tool-calling chat keeps its turn count without the donor content', () => {
  it('function_call/observation turns (corpus): benign rounds written for the record, then the request, as many turns as the donor', async () => {
    const dir = tempDir('safemix-toolround-sharegpt-');
    const out = join(dir, 'out.json');
    const res = await runCli(['mix', corpus('toolcall_sharegpt_glaive_demo.json'), '-o', out, '--ratio', '0.3', '--seed', '2', '--balance', '0']);
    expect(res.code, res.stderr).toBe(0);
    type Conv = { conversations: { from: string; value: string }[] };
    const input = JSON.parse(readFileSync(corpus('toolcall_sharegpt_glaive_demo.json'), 'utf8')) as Conv[];
    const output = JSON.parse(readFileSync(out, 'utf8')) as Conv[];
    const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')) as { injected: { index: number; donor: number }[] };
    const userTexts = new Set(input.flatMap((c) => c.conversations.map((t) => t.value)));
    let toolDonors = 0;
    for (const rec of manifest.injected) {
      const turns = output[rec.index]!.conversations;
      const donor = input[rec.donor]!.conversations;
      // plain human/gpt rounds, the request last and its refusal; no text of any user record
      expect(turns.map((t) => t.from)).toEqual(turns.map((_, i) => (i % 2 === 0 ? 'human' : 'gpt')));
      for (const t of turns) expect(userTexts.has(t.value), t.value).toBe(false);
      if (donor.some((t) => t.from === 'function_call')) {
        toolDonors++;
        expect(turns.length).toBe(donor.length);
      }
    }
    expect(toolDonors).toBeGreaterThan(manifest.injected.length / 4);
    const mean = (convs: Conv[]) => convs.reduce((s, c) => s + c.conversations.length, 0) / convs.length;
    const injected = manifest.injected.map((r) => output[r.index]!);
    expect(Math.abs(mean(injected) - mean(input))).toBeLessThan(1);
  });
});
