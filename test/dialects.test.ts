// Dialect detection for every dialect safemix names, and the openai-chat checks: each of the
// cookbook's seven error types fires where it should, and tool-calling files are not misreported.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { classifyRecord, detectDialect, dialectSchemas, type Dialect } from '../src/profile/dialects.js';
import { validateRecord } from '../src/profile/validate-record.js';
import { parse as losslessParse } from 'lossless-json';
import { inferJsonStyle, stringifyStyled } from '../src/write/json-style.js';
import { CORPUS_FILES, corpus } from './helpers.js';
import { readRecordsIn } from './independent-records.js';

const EXAMPLES: Record<Dialect, unknown> = {
  'openai-chat': {
    messages: [
      { role: 'system', content: 's' },
      { role: 'user', content: 'u', name: 'ann' },
      { role: 'assistant', content: 'a', weight: 1 },
    ],
  },
  'prompt-completion': { prompt: 'p ->', completion: ' 1' },
  alpaca: { instruction: 'i', input: '', output: 'o', system: 's', history: [['q', 'a']] },
  sharegpt: {
    conversations: [
      { from: 'human', value: 'h' },
      { from: 'gpt', value: 'g' },
    ],
    system: 's',
    tools: '[]',
  },
  gemini: {
    systemInstruction: { parts: [{ text: 's' }] },
    contents: [
      { role: 'user', parts: [{ text: 'u' }] },
      { role: 'model', parts: [{ text: 'm' }] },
    ],
  },
  'bedrock-converse': {
    schemaVersion: 'bedrock-conversation-2024',
    system: [{ text: 's' }],
    messages: [
      { role: 'user', content: [{ text: 'u' }] },
      { role: 'assistant', content: [{ text: 'a' }] },
    ],
  },
  'bedrock-claude': {
    system: 's',
    messages: [
      { role: 'user', content: 'u' },
      { role: 'assistant', content: 'a' },
    ],
  },
  text: { text: 'some document' },
  fields: { question: 'q', answer: 'a' },
};

describe('dialects', () => {
  for (const [dialect, value] of Object.entries(EXAMPLES) as [Dialect, unknown][]) {
    it(`${dialect} is classified, detected and valid`, () => {
      expect(classifyRecord(value, 'jsonl')).toBe(dialect);
      const detection = detectDialect(
        [0, 1, 2].map((index) => ({ index, value })),
        'jsonl',
      );
      expect(detection).toMatchObject({ dialect, confidence: 1 });
      expect(dialectSchemas[dialect].safeParse(value).success).toBe(true);
      expect(validateRecord(dialect, value)).toEqual([]);
    });
  }
  it('--format wins and the measured confidence says how well it fits', () => {
    const d = detectDialect([{ index: 0, value: EXAMPLES['prompt-completion'] }], 'jsonl', 'fields');
    expect(d.dialect).toBe('fields');
    expect(d.evidence).toMatch(/given by --format/);
  });
  it('schema errors name the field', () => {
    const issues = validateRecord('gemini', { contents: [{ role: 'robot', parts: [{ text: 'x' }] }] });
    expect(issues[0]).toMatchObject({ code: 'schema', field: 'contents[0].role' });
  });
});

const tool = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } };
const call = { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Oslo"}' } };

describe('openai-chat checks (cookbook superset)', () => {
  const codes = (v: unknown) => validateRecord('openai-chat', v).map((i) => [i.code, i.field]);
  it('a correct tool-calling record is valid', () => {
    const v = {
      tools: [tool],
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"t": 3}' },
        { role: 'assistant', content: '3 degrees' },
      ],
    };
    expect(codes(v)).toEqual([]);
  });
  it('data_type', () => expect(codes([1])).toEqual([['data_type', '']]));
  it('missing_messages_list', () => expect(codes({ prompt: 'x' })[0]).toEqual(['missing_messages_list', 'messages']));
  it('message_missing_key', () =>
    expect(codes({ messages: [{ content: 'x' }, { role: 'assistant', content: 'y' }] })).toEqual([['message_missing_key', 'messages[0].role']]));
  it('message_unrecognized_key', () =>
    expect(
      codes({
        messages: [
          { role: 'user', content: 'x', mood: 'happy' },
          { role: 'assistant', content: 'y' },
        ],
      }),
    ).toEqual([['message_unrecognized_key', 'messages[0].mood']]));
  it('unrecognized_role', () =>
    expect(
      codes({
        messages: [
          { role: 'robot', content: 'x' },
          { role: 'assistant', content: 'y' },
        ],
      }),
    ).toEqual([['unrecognized_role', 'messages[0].role']]));
  it('missing_content', () =>
    expect(
      codes({
        messages: [
          { role: 'user', content: '' },
          { role: 'assistant', content: 'y' },
        ],
      }),
    ).toEqual([['missing_content', 'messages[0].content']]));
  it('example_missing_assistant_message', () =>
    expect(codes({ messages: [{ role: 'user', content: 'x' }] })).toEqual([['example_missing_assistant_message', 'messages']]));
  it('tool turns: unknown call id, bad arguments, bad weight', () => {
    const v = {
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', tool_calls: [{ ...call, function: { name: 'f', arguments: '{oops' } }] },
        { role: 'tool', tool_call_id: 'call_9', content: 'r' },
        { role: 'assistant', content: 'y', weight: 2 },
      ],
    };
    expect(codes(v)).toEqual([
      ['tool_call_arguments_invalid', 'messages[1].tool_calls[0].function.arguments'],
      ['tool_call_id_unknown', 'messages[2].tool_call_id'],
      ['weight_invalid', 'messages[3].weight'],
    ]);
  });
});

describe('JSON writing style', () => {
  for (const c of CORPUS_FILES.filter((c) => c.container === 'jsonl' || c.container === 'json-array')) {
    it(`${c.file}: every record re-serialized in the inferred style equals its source bytes`, () => {
      // the records' texts as the tests split the file (not safemix's reader), and the indent of a
      // JSON array's elements as the file has it
      const { texts } = readRecordsIn(corpus(c.file), c.container as 'jsonl' | 'json-array');
      expect(texts).toHaveLength(c.records);
      const indent = c.container === 'json-array' ? (/^\[\r?\n([ \t]*)/.exec(readFileSync(corpus(c.file), 'utf8'))?.[1] ?? '') : '';
      const style = inferJsonStyle(
        texts.slice(0, 100).map((t) => Buffer.from(t)),
        indent,
      );
      const differing = texts.map((t, i) => [t, i] as const).filter(([t]) => stringifyStyled(losslessParse(t), style, indent) !== t);
      expect(differing.map(([, i]) => i)).toEqual([]);
    });
  }
  it('Python ensure_ascii style escapes non-ASCII as \\uXXXX', () => {
    const style = inferJsonStyle([Buffer.from('{"q": "Janet\\u2019s ducks", "a": "x"}')]);
    expect(style).toMatchObject({ keySep: ': ', itemSep: ', ', indent: null, asciiOnly: true });
    expect(stringifyStyled({ q: 'café — “ok”', a: ['x', 'y'] }, style)).toBe('{"q": "caf\\u00e9 \\u2014 \\u201cok\\u201d", "a": ["x", "y"]}');
  });
  it('compact style keeps number texts, drops undefined keys and writes undefined items as null, like the general writer', () => {
    const style = inferJsonStyle([Buffer.from('{"a":1,"b":"x"}')]);
    expect(style).toMatchObject({ keySep: ':', itemSep: ',', indent: null, asciiOnly: false });
    const tree = losslessParse('{"id":1e400,"n":1.0,"big":12345678901234567890,"s":"é\\u0001","list":[1,{"x":null}]}') as Record<string, unknown>;
    expect(stringifyStyled(tree, style)).toBe('{"id":1e400,"n":1.0,"big":12345678901234567890,"s":"é\\u0001","list":[1,{"x":null}]}');
    expect(stringifyStyled({ a: undefined, b: [undefined, 2], c: { d: undefined } }, style)).toBe('{"b":[null,2],"c":{}}');
    expect(stringifyStyled(Object.assign(Object.create(null), { q: 'ñ' }), style)).toBe('{"q":"ñ"}');
  });
  it('compact style stays compact and raw UTF-8', () => {
    const style = inferJsonStyle([Buffer.from('{"prompt":"héllo","completion":" 1"}')]);
    expect(stringifyStyled({ prompt: 'ñ', completion: ' 2' }, style)).toBe('{"prompt":"ñ","completion":" 2"}');
  });
});
