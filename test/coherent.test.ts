// Issue 8 acceptance: every field of every injected record is the request, the answer, a constant of
// the user records, a regenerated id, or a context, option, sibling or metadata value set by the
// documented rule, on all 14 corpus files and the fixtures in test/fixtures/coherent/. The facts are
// recomputed here from the input file (constants, commonest values, presence, templates, turn
// orders), read with the tests' own reader (independent-records.ts), and the manifest's labels are
// checked against them, never trusted: a new turn order is allowed only where the input itself
// answers the question with a tool call, whatever the manifest says.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { mixFile, type MixResult } from '../src/api/mix.js';
import { parse as losslessParse, isLosslessNumber } from 'lossless-json';
import { CORPUS_FILES, ROOT, corpus, tempDir, DECLINED_LABEL_FILES, labelPolicy } from './helpers.js';
import { BANKS, SEED_BY_ID, isRefusal, requestIn } from './safety-text.js';
import { HEADERLESS, containerOf, readRecordsIn } from './independent-records.js';

/** A text's letters and digits, lower-cased: the same text in any casing, spacing or end punctuation. */
function letters(t: string): string {
  return t.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** Every prompt and answer of the shipped balance set (data/balance/), in any language, lower-cased. */
const BALANCE_TEXTS = new Set(
  readdirSync(join(ROOT, 'data/balance'))
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) =>
      readFileSync(join(ROOT, 'data/balance', f), 'utf8')
        .split('\n')
        .filter(Boolean),
    )
    .flatMap((l) => {
      const b = JSON.parse(l) as { prompt: string; answer: string; short?: string };
      return [b.prompt, b.answer, b.short ?? ''].map(letters);
    }),
);

const dir = tempDir('safemix-coherent-');
const fixture = (name: string) => join(ROOT, 'test/fixtures/coherent', name);
const FIXTURES = [
  'mcq_noheader.csv',
  'nli_pairs.tsv',
  'summarization_topic.jsonl',
  'json_mode_chat.jsonl',
  'sql_text.jsonl',
  'toolcall_first.jsonl',
  'weighted_chat.jsonl',
  'numbers.jsonl',
  'translation_nested.jsonl',
  'translation_flat.jsonl',
];
const FILES = [
  ...CORPUS_FILES.map((c) => ({ name: c.file, path: corpus(c.file), ratio: 0.05 })),
  ...FIXTURES.map((f) => ({ name: f, path: fixture(f), ratio: 0.2 })),
];
const hasPython = spawnSync('python3', ['--version']).status === 0;

/** Records read by the tests' own reader, JSON parsed losslessly (big integers stay distinct). An output file is named after its input. */
async function readAll(path: string, name = basename(path)): Promise<{ value: unknown }[]> {
  const { values } = readRecordsIn(path, containerOf(path), { header: !HEADERLESS.has(name), parse: (t) => losslessParse(t) });
  return values.map((value) => ({ value }));
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const CONVERSATION_KEYS = ['messages', 'conversations', 'contents'];
/** Compliance phrases without a final mark (options take the data's end-punctuation share). */
const bareEnd = (t: string) => t.trim().replace(/[.?!…。？！؟;;।]+$/u, '');
const COMPLIANCE = new Set([...BANKS.values()].flatMap((b) => b.compliance ?? []).map(bareEnd));
const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);
const text = (v: unknown): string =>
  typeof v === 'string'
    ? v
    : isLosslessNumber(v)
      ? String((v as { value: string }).value)
      : JSON.stringify(v, (_k, x) => (isLosslessNumber(x) ? Number(x.value) : x));

/** Leaf fields outside the conversation: top-level keys, and one level into objects of scalars. */
function leaves(v: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!isObj(v)) return out;
  for (const [k, x] of Object.entries(v)) {
    if (CONVERSATION_KEYS.includes(k)) continue;
    if (isObj(x) && Object.values(x).every((y) => typeof y === 'string' || typeof y === 'number'))
      for (const [k2, y] of Object.entries(x)) out.set(`${k}.${k2}`, y);
    else out.set(k, x);
  }
  return out;
}

/** Facts about one field over the input records, computed here. */
interface FieldFacts {
  values: unknown[];
  present: number;
  counts: Map<string, number>;
  mode: string[];
  shortest: string;
}

function factsOf(records: unknown[], key: string): FieldFacts {
  const values = records.map((r) => leaves(r).get(key));
  const counts = new Map<string, number>();
  let present = 0;
  for (const v of values) {
    if (isEmpty(v)) continue;
    present++;
    counts.set(text(v), (counts.get(text(v)) ?? 0) + 1);
  }
  const top = Math.max(0, ...counts.values());
  const mode = [...counts].filter(([, c]) => c === top).map(([t]) => t);
  const shortest = [...counts.keys()].reduce((a, b) => (b.length < a.length ? b : a), [...counts.keys()][0] ?? '');
  return { values, present, counts, mode, shortest };
}

function conversationOfValue(v: unknown): { list: Obj[]; key: string } | undefined {
  if (!isObj(v)) return undefined;
  for (const k of CONVERSATION_KEYS) if (Array.isArray(v[k])) return { list: v[k] as Obj[], key: k };
  return undefined;
}
const roleOf = (m: Obj) => String(m.role ?? m.from ?? '');
const turnText = (m: Obj): string => {
  const c = m.content ?? m.value ?? m.parts;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((p) => (isObj(p) && typeof p.text === 'string' ? p.text : '')).join('');
  if (m.tool_calls) return JSON.stringify(m.tool_calls);
  return '';
};
const isSystem = (m: Obj) => roleOf(m) === 'system';
const isUser = (m: Obj) => ['user', 'human'].includes(roleOf(m));
const isAssistant = (m: Obj) => ['assistant', 'gpt', 'model', 'bot', 'function_call'].includes(roleOf(m));
/** A turn that calls a tool: ShareGPT's function_call, or an OpenAI assistant turn with tool_calls and no text. */
const isToolCall = (m: Obj) =>
  roleOf(m) === 'function_call' || (m.tool_calls !== undefined && (m.content === null || m.content === undefined || m.content === ''));

/** A prefix or suffix shared by every input text: a template part, when it is more than punctuation. */
function sharedAffixes(texts: string[]): { prefix: string; suffix: string } {
  let prefix = texts[0] ?? '';
  let suffix = texts[0] ?? '';
  for (const t of texts) {
    let i = 0;
    while (i < prefix.length && i < t.length && prefix[i] === t[i]) i++;
    prefix = prefix.slice(0, i);
    let j = 0;
    while (j < suffix.length && j < t.length && suffix[suffix.length - 1 - j] === t[t.length - 1 - j]) j++;
    suffix = suffix.slice(suffix.length - j);
  }
  const meaningful = (s: string) => s.replace(/[\s.?!。？！]/g, '').length >= 2 || /^[ \t]+$/.test(s);
  // cut a prefix back to a word boundary (`Wh` of What/Why is no template)
  prefix = prefix.replace(/\p{L}+$/u, '');
  suffix = suffix.replace(/^\p{L}+/u, '');
  return { prefix: meaningful(prefix) ? prefix : '', suffix: meaningful(suffix) ? suffix : '' };
}
/** A template around a parameter (`What describes {x} in the text?`): the request goes in plain. */
const parameterTemplate = (a: { prefix: string; suffix: string }) =>
  /\p{L}{2,}/u.test(a.prefix) && /\p{L}{2,}/u.test(a.suffix) && !a.suffix.includes('\n') && !a.prefix.includes('\n');

describe.each(FILES.map((f) => [f.name, f] as const))('every field of an injected record is right for its task: %s', (name, f) => {
  let result: MixResult;
  let input: { value: unknown }[];
  let output: { value: unknown }[];
  beforeAll(async () => {
    const out = join(dir, name);
    result = await mixFile(f.path, { output: out, ratio: f.ratio, seed: '1', onEncoded: 'warn', ...labelPolicy(name) });
    input = await readAll(f.path);
    output = await readAll(out, name);
  });

  it("field-role check: no field is the donor's outside the documented rules", () => {
    const values = input.map((r) => r.value);
    const keys = new Set(values.flatMap((v) => [...leaves(v).keys()]));
    const facts = new Map([...keys].map((k) => [k, factsOf(values, k)]));
    const ids = new Map<string, Set<string>>();
    const problems: string[] = [];
    expect(result.manifest.injected.length).toBeGreaterThan(0);
    for (const inj of result.manifest.injected) {
      const seed = SEED_BY_ID.get(inj.seedId)!;
      expect(seed, inj.seedId).toBeDefined();
      expect(seed.split).toBe('train');
      const rec = output[inj.index]!.value;
      const donor = input[inj.donor]!.value;
      const mine = leaves(rec);
      const donors = leaves(donor);
      const where = `output record ${inj.index} (donor ${inj.donor})`;
      let sawRequest = false;
      let sawRefusal = false;
      for (const key of new Set([...mine.keys(), ...donors.keys()])) {
        const v = mine.get(key);
        // a top-level system prompt (Bedrock, ShareGPT) is labelled by its text's path
        const label = inj.fields[key] ?? (key === 'system' ? (Object.entries(inj.fields).find(([k]) => k.startsWith('system'))?.[1] ?? '') : '');
        const fx = facts.get(key);
        if (key === 'system' && label) {
          const count = fx!.counts.get(text(v)) ?? 0;
          expect(count >= 2 || fx!.mode.includes(text(v)), `${where}: a system prompt user records share`).toBe(true);
          continue;
        }
        const n = values.length;
        const equalsDonor = text(v) === text(donors.get(key)) && !isEmpty(v);
        if (label.startsWith('request')) {
          // a request split over a context field (Alpaca's input) and the request slot: its first sentences, then its ask
          const splitKey = Object.entries(inj.fields).find(([, l]) => l === "context: the request's first sentences")?.[0];
          const whole = splitKey ? `${text(mine.get(splitKey))} ${text(v)}` : text(v);
          if (label.includes('stub')) expect(String(v), where).toContain(seed.request.split('\n')[0]!.slice(0, 40));
          else expect(requestIn(whole, seed), `${where} ${key} holds the request`).toBe(true);
          sawRequest = true;
          continue;
        }
        if (label.startsWith('answer')) {
          if (label.includes('letter')) expect(text(v)).toMatch(/^\s*\(?[A-J0-9]\)?[.):]?\s*$/);
          // a closed label set with an unsafe value answers with it (XSTest: unsafe), a value the user records have
          else if (result.profile.answerSpace.kind === 'label' && !DECLINED_LABEL_FILES.has(name)) {
            expect(text(v), where).toMatch(/^unsafe$/i);
            expect(
              values.some((u) => isObj(u) && text(u[key]) === text(v)),
              `${where}: a label the user records have`,
            ).toBe(true);
          } else expect(isRefusal(text(v)), `${where} ${key} holds a refusal: ${text(v).slice(0, 120)}`).toBe(true);
          sawRefusal ||= !label.includes('letter');
          continue;
        }
        if (label.startsWith('options')) {
          if (label.includes('refusal')) {
            expect(isRefusal(text(v)), `${where} ${key}`).toBe(true);
            sawRefusal = true;
          } else expect(COMPLIANCE.has(bareEnd(text(v))), `${where} ${key} is a content-free compliance option`).toBe(true);
          continue;
        }
        if (label.startsWith('id')) {
          // unique, and not any input record's id
          expect(fx!.counts.has(text(v)), `${where} ${key}: a new id`).toBe(false);
          const seen = ids.get(key) ?? new Set<string>();
          expect(seen.has(text(v)), `${where} ${key}: unique among injected`).toBe(false);
          seen.add(text(v));
          ids.set(key, seen);
          continue;
        }
        if (label === "the stub's function name" || label === 'a test of the stub') continue; // checked by the code test below
        if (label.startsWith('constant')) {
          const top = Math.max(...fx!.counts.values());
          expect(top / n, `${where} ${key}: constant in >= 90% of records`).toBeGreaterThanOrEqual(0.9);
          expect(fx!.mode, `${where} ${key}`).toContain(text(v));
          continue;
        }
        if (label.endsWith(': emptied') || label.startsWith('context: emptied (')) {
          expect(isEmpty(v), `${where} ${key} emptied`).toBe(true);
          expect(fx!.present < n, `${where} ${key}: some user records leave it empty`).toBe(true);
          continue;
        }
        if (label.endsWith(': mode')) {
          expect(fx!.mode, `${where} ${key}: the commonest value`).toContain(text(v));
          continue;
        }
        if (label.endsWith(': neutral')) {
          expect(fx!.present, `${where} ${key}: never empty in user records`).toBe(n);
          expect(text(v).length, `${where} ${key}: the shortest value`).toBe(fx!.shortest.length);
          continue;
        }
        if (label === "context: the request's first sentences") {
          expect(letters(seed.request).startsWith(letters(text(v))), `${where} ${key}: the request's first sentences`).toBe(true);
          expect(letters(text(v)).length).toBeGreaterThan(0);
          continue;
        }
        if (label.endsWith("the donor's own (it goes with the donor's answer)")) {
          // a value that varies among the user records carrying the injected record's label: the donor's own
          expect(equalsDonor, `${where} ${key}: the donor's own value`).toBe(true);
          continue;
        }
        if (label === 'context: kept (tools)') {
          expect(key).toBe('tools');
          continue;
        }
        if (label === 'context: kept') {
          // present in >= 90%, and a passage, shared, or structured
          expect(fx!.present / n, `${where} ${key}: present in >= 90%`).toBeGreaterThanOrEqual(0.9);
          const texts = [...fx!.counts.keys()];
          const shared = fx!.counts.size <= 0.8 * fx!.present;
          const long = texts.map((t) => t.length).sort((a, b) => a - b)[Math.floor(texts.length / 2)]! >= 200;
          const structured = texts.every((t) => /^[[{]/.test(t.trim()) || /\n/.test(t) || /\bdef |CREATE TABLE|SELECT /.test(t));
          expect(shared || long || structured, `${where} ${key}: askable context`).toBe(true);
          continue;
        }
        if (label === '' && isEmpty(v) && isEmpty(donors.get(key))) continue;
        if (equalsDonor) problems.push(`${where} ${key}: the donor's value without a rule (${label || 'no label'})`);
        else if (label === '') problems.push(`${where} ${key}: changed but not labelled`);
      }
      // conversations: question, answer, history, system prompt, nothing after the refusal
      const conv = conversationOfValue(rec);
      if (conv) {
        const dconv = conversationOfValue(donor)!;
        const list = conv.list;
        const last = list[list.length - 1]!;
        expect(isAssistant(last), `${where}: the refusal ends the conversation`).toBe(true);
        expect(last.tool_calls, `${where}: no tool call in the refusal`).toBeUndefined();
        expect(
          isRefusal(turnText(last)) || /^\s*\(?[A-J]\)?\s*$/.test(turnText(last)),
          `${where}: the last turn refuses: ${turnText(last).slice(0, 100)}`,
        ).toBe(true);
        sawRefusal = true;
        const question = [...list].reverse().find(isUser)!;
        expect(requestIn(turnText(question), seed), `${where}: the last user turn holds the request`).toBe(true);
        sawRequest = true;
        if (isObj(last) && 'weight' in last) expect(text(last.weight)).toBe('1');
        const qAt = list.lastIndexOf(question);
        const inputSeqs = values.map((v) => conversationOfValue(v)?.list.map(roleOf).join(',') ?? '');
        // tool-calling data: OpenAI `tool_calls`, or ShareGPT `function_call` turns
        const toolData = values.some((v) => conversationOfValue(v)?.list.some((m) => isObj(m) && (Array.isArray(m.tool_calls) || m.from === 'function_call')));
        const fullSeq = list.map(roleOf).join(',');
        for (let i = 0; i < qAt; i++) {
          const m = list[i]!;
          if (isSystem(m)) {
            const systems = values
              .map((v) => conversationOfValue(v)?.list.find(isSystem))
              .filter(Boolean)
              .map((s) => turnText(s as Obj));
            const count = systems.filter((s) => s === turnText(m)).length;
            const top = Math.max(...[...new Set(systems)].map((s) => systems.filter((x) => x === s).length));
            expect(count >= 2 || count === top, `${where}: a system prompt user records share`).toBe(true);
          } else {
            // a turn before the question is the donor's, or (multi-round chats) a benign exchange of the
            // balance set written for the record, in a turn order most user records have
            if (turnText(m) !== turnText(dconv.list[i]!))
              expect(BALANCE_TEXTS.has(letters(turnText(m))), `${where} turn ${i}: the donor's turn or a balance text: ${turnText(m).slice(0, 80)}`).toBe(true);
            const prefix = list
              .slice(0, qAt + 1)
              .map(roleOf)
              .join(',');
            // (tool-calling chats: a donor's tool rounds are replaced by benign plain rounds, so the
            // injected chat has the donor's length; its whole turn order is one user records have, or
            // it is new and listed as the exception)
            if (!toolData)
              expect(
                inputSeqs.filter((s) => s.startsWith(prefix)).length / values.length,
                `${where}: turns before the question follow the common order`,
              ).toBeGreaterThanOrEqual(0.5);
            else if (!inputSeqs.includes(fullSeq))
              expect(inj.exception ?? '', `${where}: the new order is the documented exception`).toMatch(/role sequence .* is new/);
          }
        }
        const seq = list.map(roleOf).join(',');
        if (!inputSeqs.includes(seq)) {
          // a turn order no user record has is right only where the input says so: user records with the
          // same turns up to the question answer it with a tool call, and the refusal (a plain assistant
          // turn, checked above) stands in that call's place and ends the record
          const upToQuestion = list
            .slice(0, qAt + 1)
            .map(roleOf)
            .join(',');
          const answeredByCall = values.some((v) => {
            const l = conversationOfValue(v)?.list;
            return (
              !!l &&
              l
                .slice(0, qAt + 1)
                .map(roleOf)
                .join(',') === upToQuestion &&
              l[qAt + 1] !== undefined &&
              isToolCall(l[qAt + 1]!)
            );
          });
          // (or, after benign rounds put in place of a tool round, the donor answered its question with a tool call)
          const donorCalled = toolData && dconv.list.some((m) => isToolCall(m));
          expect(answeredByCall || donorCalled, `${where}: a new role sequence ${seq}, yet no user record answers this question with a tool call`).toBe(true);
          expect(list.length, `${where}: the refusal replaces the tool call and ends the record`).toBe(qAt + 2);
          // and the manifest documents it
          expect(inj.exception, `${where}: the manifest names the new role sequence ${seq}`).toMatch(/tool call/);
        } else expect(inj.exception, `${where}: no exception is claimed for a turn order user records have`).toBeUndefined();
      }
      if (!conv && isObj(rec) && typeof rec.text === 'string' && Object.keys(rec).length === 1) {
        expect(requestIn(rec.text, seed), `${where}: the text holds the request`).toBe(true);
        expect(isRefusal(rec.text), `${where}: the text holds a refusal`).toBe(true);
        sawRequest = sawRefusal = true;
      }
      expect(sawRequest, `${where}: has the request`).toBe(true);
      expect(sawRefusal || Object.values(inj.fields).some((l) => l.includes('letter')), `${where}: carries a refusal`).toBe(true);
    }
    expect(problems).toEqual([]);
  });

  it('templates hold: shared request and answer affixes of the input are in every injected record', () => {
    const values = input.map((r) => r.value);
    for (const key of new Set(values.flatMap((v) => [...leaves(v).keys()]))) {
      const texts = values.map((v) => leaves(v).get(key)).filter((v): v is string => typeof v === 'string');
      if (texts.length < values.length * 0.9 || new Set(texts).size < 2) continue;
      const aff = sharedAffixes(texts);
      if (!aff.prefix && !aff.suffix) continue;
      for (const inj of result.manifest.injected) {
        const label = inj.fields[key] ?? '';
        if (!(label === 'request' || label === 'answer')) continue;
        if (label === 'request' && parameterTemplate(aff)) continue;
        const v = leaves(output[inj.index]!.value).get(key);
        expect(typeof v, `${key} of output record ${inj.index}`).toBe('string');
        // numbers inside a template are the donor's own (`Q17:`), so compare without digits
        const strip = (s: string) => s.replace(/\d/g, '');
        if (aff.prefix)
          expect(strip(v as string).startsWith(strip(aff.prefix)), `${key} of output record ${inj.index} starts with ${JSON.stringify(aff.prefix)}`).toBe(true);
        if (aff.suffix && !/\d/.test(aff.suffix))
          expect((v as string).endsWith(aff.suffix), `${key} of output record ${inj.index} ends with ${JSON.stringify(aff.suffix)}`).toBe(true);
      }
    }
  });

  it('JSON answers parse, and code answers parse as Python', () => {
    for (const inj of result.manifest.injected) {
      const rec = output[inj.index]!.value as Obj;
      const conv = conversationOfValue(rec);
      const answers = conv
        ? [turnText(conv.list[conv.list.length - 1]!)]
        : Object.entries(inj.fields)
            .filter(([, l]) => l.startsWith('answer'))
            .map(([k]) => leaves(rec).get(k));
      const userAnswers = input.slice(0, 200).map((r) => {
        const c = conversationOfValue(r.value);
        return c ? turnText(c.list.filter(isAssistant).pop() ?? {}) : undefined;
      });
      const jsonTask = userAnswers.filter((a) => typeof a === 'string' && /^\s*[{]/.test(a)).length >= 0.9 * userAnswers.length;
      if (jsonTask) for (const a of answers) expect(() => JSON.parse(String(a)), `output record ${inj.index}`).not.toThrow();
      if (hasPython && Object.values(inj.fields).some((l) => l.includes('python stub'))) {
        const program = String(rec.prompt) + String(rec.canonical_solution) + String(rec.test) + `\ncheck(${String(rec.entry_point)})\n`;
        const r = spawnSync('python3', ['-c', program], { encoding: 'utf8' });
        expect(r.status, `output record ${inj.index} runs: ${r.stderr}`).toBe(0);
      }
    }
  });
});

describe('generated values are safe', () => {
  it('numbers cloned from the donor keep their raw text (1e400, 1.0, 0.10, big integers)', async () => {
    const out = join(dir, 'numbers-raw.jsonl');
    const r = await mixFile(fixture('numbers.jsonl'), { output: out, count: 6, seed: '2' });
    const lines = readFileSync(out, 'utf8').split('\n');
    const maxId = 12345678901234567919n;
    for (const inj of r.manifest.injected) {
      const line = lines[inj.index]!;
      expect(line).toContain('"scale": 1e400');
      expect(line).toContain('"ratio": 0.10');
      expect(line).toMatch(/"difficulty": [123]\.0/);
      const id = BigInt(/"id": (\d+)/.exec(line)![1]!);
      expect(id > maxId, `id ${id} above the largest seen`).toBe(true);
    }
    expect(new Set(r.manifest.injected.map((i) => /"id": (\d+)/.exec(lines[i.index]!)![1])).size).toBe(6);
  });

  it('text safemix writes never starts a CSV/TSV cell with = + - @; user values such as -1 may', async () => {
    const src = join(dir, 'formula.csv');
    const rows = ['question,answer', ...Array.from({ length: 30 }, (_, i) => `What is ${i} times 3?,=${i * 3}`)];
    execFileSync('bash', ['-c', `printf '%s\\n' ${rows.map((r) => `'${r}'`).join(' ')} > ${src}`]);
    const out = join(dir, 'formula-out.csv');
    // the answers are short codes ("=3"): the form audit would decline them; this test is about formula text
    const r = await mixFile(src, {
      output: out,
      count: 5,
      seed: '3',
      audit: 'warn',
      safety: { path: join(ROOT, 'test/fixtures/coherent/formula_safety.csv'), request: 'prompt' },
    });
    const recs = await readAll(out);
    for (const inj of r.manifest.injected) {
      const v = recs[inj.index]!.value as Record<string, string>;
      expect(v.question).not.toMatch(/^[=+\-@]/);
      expect(isRefusal(v.answer!), `a refusal, not a formula: ${v.answer}`).toBe(true);
      expect(v.answer).not.toMatch(/^[=+\-@]/);
    }
  });
});

describe('chat details', () => {
  it('weight 0 donors: the refusal turn gets weight 1', async () => {
    const out = join(dir, 'weights.jsonl');
    const r = await mixFile(fixture('weighted_chat.jsonl'), { output: out, count: 5, seed: '1' });
    const lines = readFileSync(out, 'utf8').split('\n');
    for (const inj of r.manifest.injected) {
      const m = JSON.parse(lines[inj.index]!).messages;
      expect(m.at(-1).weight).toBe(1);
      expect(m.at(-1).role).toBe('assistant');
    }
  });

  it("tool-call-first chats: a plain text refusal, the donor's tools and system prompt, never an exit", async () => {
    const out = join(dir, 'tools.jsonl');
    const r = await mixFile(fixture('toolcall_first.jsonl'), { output: out, count: 12, seed: '5' });
    const lines = readFileSync(out, 'utf8').split('\n');
    const inputLines = readFileSync(fixture('toolcall_first.jsonl'), 'utf8').split('\n');
    for (const inj of r.manifest.injected) {
      const rec = JSON.parse(lines[inj.index]!);
      const donor = JSON.parse(inputLines[inj.donor]!);
      expect(rec.tools).toEqual(donor.tools);
      expect(rec.messages[0]).toEqual(donor.messages[0]);
      // a donor that calls a tool: a benign plain round first, so the chat keeps the donor's length
      const calls = donor.messages.some((m: Obj) => m.tool_calls !== undefined);
      expect(rec.messages.map((m: Obj) => m.role)).toEqual(calls ? ['system', 'user', 'assistant', 'user', 'assistant'] : ['system', 'user', 'assistant']);
      expect(rec.messages.length).toBe(calls ? donor.messages.length : 3);
      const refusal = rec.messages.at(-1);
      expect(typeof refusal.content).toBe('string');
      expect(refusal.tool_calls).toBeUndefined();
      expect(isRefusal(refusal.content)).toBe(true);
    }
  });

  it('a template that covers only a minority of records is not applied', async () => {
    const src = join(dir, 'minority.jsonl');
    const rows = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({
        prompt: i < 8 ? `Summarize: article number ${i} about rivers` : `Tell me something about topic ${i * 7} and why it matters`,
        completion: ` answer ${i}`,
      }),
    );
    execFileSync('bash', ['-c', `cat > ${src}`], { input: rows.join('\n') + '\n' });
    const out = join(dir, 'minority-out.jsonl');
    // completions are short codes (" answer 7"): the form audit would decline them; this test is about templates
    const r = await mixFile(src, { output: out, count: 5, seed: '1', audit: 'warn' });
    const lines = readFileSync(out, 'utf8').split('\n');
    for (const inj of r.manifest.injected) expect(JSON.parse(lines[inj.index]!).prompt.startsWith('Summarize:')).toBe(false);
  });
});
