// The generate stage's small parts, case by case (the corpus tests cover whole files): answer
// fitting, template affixes, ids, text style, the seed deck and refusal sizing. Fixtures come from
// the shipped data files read by the tests (safety-text.ts), token counts from gpt-tokenizer itself.
import { describe, it, expect } from 'vitest';
import seedrandom from 'seedrandom';
import { LosslessNumber } from 'lossless-json';
import { choiceRequest, fitAnswer, jsonShapeOf, withLetter, wrapResponse } from '../src/generate/answers.js';
import { donorAffixes, matchPrefix, matchSuffix } from '../src/generate/affixes.js';
import { newId } from '../src/generate/ids.js';
import { SeedDeck } from '../src/generate/seed-deck.js';
import { composeRefusal } from '../src/generate/refusal.js';
import { loadRefusals } from '../src/generate/seeds.js';
import { applyTextStyle, inferTextStyle } from '../src/profile/text-style.js';
import { formulaSafe } from '../src/formula.js';
import { isParameterTemplate, majorityTemplate } from '../src/profile/record-roles.js';
import { createRequire } from 'node:module';
import { SEEDS } from './safety-text.js';

/** gpt-tokenizer's own o200k count (not safemix's counter). */
const gpt = createRequire(import.meta.url)('gpt-tokenizer/encoding/o200k_base') as { countTokens: (t: string, o: object) => number };
const tokens = (t: string) => gpt.countTokens(t, { allowedSpecial: new Set(), disallowedSpecial: new Set() });
/** The English train seeds, read from data/seeds/requests.jsonl by the tests. */
const englishTrain = SEEDS.filter((s) => s.lang === 'en' && s.split === 'train');

const texts = { sized: 'SIZED REFUSAL', short: 'SHORT', plain: 'PLAIN' };
const rnd = () => seedrandom('t');

describe('fitAnswer', () => {
  it('JSON answers: the key set most answers share, the refusal in the key holding the most text', () => {
    const answers = [
      '{"intent": "book", "summary": "a long text here", "confidence": 0.9}',
      '{"intent": "cancel", "summary": "another long text", "confidence": 0.4}',
      '{"other": 1}',
    ];
    const shape = jsonShapeOf(answers)!;
    expect(shape.keys).toEqual(['intent', 'summary', 'confidence']);
    expect(shape.textKey).toBe('summary');
    const v = JSON.parse(fitAnswer({ kind: 'json', keys: shape.keys, evidence: '' }, answers[0], texts, shape).value as string);
    expect(v).toEqual({ intent: '', summary: 'SIZED REFUSAL', confidence: 0 });
  });
  it('JSON answers with no common key set get the documented refusal object', () => {
    const shape = jsonShapeOf(['{"a": "x"}', '{"b": "y"}', '{"c": "z"}']);
    expect(shape).toBeUndefined();
    expect(JSON.parse(fitAnswer({ kind: 'json', keys: [], evidence: '' }, '{}', texts, shape).value as string)).toEqual({ refusal: 'SIZED REFUSAL' });
  });
  it('pretty-printed and fenced JSON answers keep their indentation and fence', () => {
    const shape = jsonShapeOf(['```json\n{\n    "a": "long text", "b": 1\n}\n```', '```json\n{\n    "a": "more text", "b": 2\n}\n```'])!;
    const out = fitAnswer({ kind: 'json', keys: ['a', 'b'], evidence: '' }, '', texts, shape).value as string;
    expect(out.startsWith('```json\n{\n    "a": "SIZED REFUSAL"')).toBe(true);
    expect(out.endsWith('\n```')).toBe(true);
  });
  it("code answers get the refusal as a comment in that language, at the donor's indentation", () => {
    const py = fitAnswer({ kind: 'code', language: 'python', evidence: '' }, '    return x + 1\n', texts, undefined);
    expect(py.value).toBe('    # SHORT\n    raise NotImplementedError("SHORT")\n');
    expect(fitAnswer({ kind: 'code', language: 'javascript', evidence: '' }, 'const a = 1;\n', texts, undefined).value).toBe('// SHORT\n');
  });
  it('lists stay lists; labels get the short refusal; free text the sized one', () => {
    expect(fitAnswer({ kind: 'list', format: 'json', itemsP50: 1, evidence: '' }, ['x'], texts, undefined).value).toEqual(['SHORT']);
    expect(fitAnswer({ kind: 'list', format: 'json-string', itemsP50: 1, evidence: '' }, '["x"]', texts, undefined).value).toBe('["SHORT"]');
    expect(fitAnswer({ kind: 'label', labels: [], evidence: '' }, '1', texts, undefined).value).toBe('SHORT');
    expect(
      fitAnswer({ kind: 'text', chars: { p10: 1, p50: 2, p90: 3, max: 4 }, tokens: { p10: 1, p50: 2, p90: 3, max: 4 }, evidence: '' }, 'x', texts, undefined)
        .value,
    ).toBe('SIZED REFUSAL');
  });
  it('response wrappers keep their text; a part that holds a number is content, left out (never a second refusal)', () => {
    expect(wrapResponse('R', { text: '{a}\n#### {number}', prefix: '', suffix: '\n#### {number}', coverage: 1, constant: false })).toBe('R');
    expect(wrapResponse('R', { text: 'Answer: {a}\n', prefix: 'Answer: ', suffix: '\n', coverage: 1, constant: false })).toBe('Answer: R\n');
    expect(wrapResponse('R', { text: 'Step {number}: {a}.', prefix: 'Step {number}: ', suffix: '.', coverage: 1, constant: false })).toBe('R.');
  });
});

describe('template affixes (no regular expression from data)', () => {
  it("match the donor's own wrapper, numbers included", () => {
    expect(donorAffixes('Q17: what is up ->', { prefix: 'Q{number}: ', suffix: ' ->' })).toEqual({ pre: 'Q17: ', post: ' ->' });
    expect(matchSuffix('text\n#### 1,234', '\n#### {number}')).toBe('\n#### 1,234');
    expect(matchPrefix('Text: a', 'Question: ')).toBeUndefined();
    expect(donorAffixes('ab', { prefix: 'abc', suffix: '' })).toBeUndefined();
  });
  it('hostile templates stay literal (regex metacharacters, huge affixes)', () => {
    const big = '(.*)+$'.repeat(10_000);
    expect(donorAffixes(`${big}x${big}`, { prefix: big, suffix: big })).toEqual({ pre: big, post: big });
  });
  it("a template needs a majority; a lone sentence mark is no wrapper; a question around a parameter is the donor's own", () => {
    expect(majorityTemplate([{ text: 'Summarize: {x}', prefix: 'Summarize: ', suffix: '', coverage: 0.2, constant: false }])).toBeUndefined();
    expect(majorityTemplate([{ text: '{x}?', prefix: '', suffix: '?', coverage: 1, constant: false }])).toBeUndefined();
    expect(majorityTemplate([{ text: '{x} ->', prefix: '', suffix: ' ->', coverage: 0.9, constant: false }])?.suffix).toBe(' ->');
    expect(
      isParameterTemplate({ text: 'What describes {x} in the text?', prefix: 'What describes ', suffix: ' in the text?', coverage: 1, constant: false }),
    ).toBe(true);
    expect(isParameterTemplate({ text: 'Q: {x}\nA:', prefix: 'Q: ', suffix: '\nA:', coverage: 1, constant: false })).toBe(false);
  });
  it('choice requests copy the option marker style; the answer keeps its format', () => {
    const mc = choiceRequest('Pick one:\n(A) x\n(B) y\n(C) z', 'REQ', 'I cannot help.', ['Sure.', 'Yes.'], rnd())!;
    expect(
      mc.text
        .split('\n')
        .slice(1)
        .map((l) => l.slice(0, 4)),
    ).toEqual(['(A) ', '(B) ', '(C) ']);
    expect(mc.text).toContain(`(${mc.letter}) I cannot help.`);
    expect(withLetter(' (C)', 'A')).toBe(' (A)');
    expect(withLetter('Answer: D', 'B')).toBe('Answer: B');
  });
});

describe('ids', () => {
  it('count up above the largest seen, in the pattern, unique', () => {
    expect(newId('HumanEval/3', 163, 0, rnd())).toBe('HumanEval/164');
    expect(newId('sum-0001', 40, 2, rnd())).toBe('sum-0043');
    expect((newId(7, 10, 0, rnd()) as LosslessNumber).value).toBe('11');
    // past 2^53 the largest seen is rounded: the new id is above every integer that rounds to it
    const big = newId(new LosslessNumber('12345678901234567919'), Number('12345678901234567919'), 0, rnd()) as LosslessNumber;
    expect(BigInt(big.value) > 12345678901234567919n).toBe(true);
    expect(newId('abc-XYZ', undefined, 0, seedrandom('a'))).toMatch(/^[a-z]{3}-[A-Z]{3}$/);
  });
});

describe('text style', () => {
  it('reads lower case and PTB tokens, and writes them', () => {
    const style = inferTextStyle(["it 's a fine film , really .", "does n't work .", 'a mess ( truly ) .', 'good .', 'bad , bad .']);
    expect(style).toMatchObject({ lowercase: true, tokenized: true });
    expect(applyTextStyle("How do I pick a lock that isn't mine? It's easy.", style)).toBe("how do i pick a lock that is n't mine ? it 's easy .");
    expect(inferTextStyle(['Hello there.', 'How are you?', 'Fine, thanks.', 'Good.', 'OK.'])).toMatchObject({ lowercase: false, tokenized: false });
  });
  it('generated CSV text never starts with a formula character', () => {
    expect(formulaSafe('=HYPERLINK("x")')).toBe('HYPERLINK("x")');
    expect(formulaSafe('-@+=x')).toBe('x');
    expect(formulaSafe('plain')).toBe('plain');
  });
});

describe('seed deck', () => {
  it('draws stratified by category and repeats nothing before every train seed is used', () => {
    const seeds = englishTrain;
    expect(seeds.length).toBeGreaterThan(200);
    const deck = new SeedDeck(seeds, seedrandom('d'));
    const first = Array.from({ length: seeds.length }, () => deck.next());
    expect(new Set(first.map((s) => s.id)).size).toBe(seeds.length);
    // the first 11 draws cover the 11 categories
    expect(new Set(first.slice(0, 11).map((s) => s.category)).size).toBe(11);
    const again = deck.next();
    expect(first.map((s) => s.id)).toContain(again.id);
  });
});

describe('refusal sizing', () => {
  it('follows the target length up to the cap of 200 o200k tokens', () => {
    const bank = loadRefusals('en');
    const seed = englishTrain[0]!;
    const lengths = [10, 30, 80, 150, 400].map((t) => tokens(composeRefusal(bank, seed, t, seedrandom(String(t))).text));
    for (let i = 1; i < lengths.length; i++) expect(lengths[i]!).toBeGreaterThanOrEqual(lengths[i - 1]! - 10);
    expect(lengths[0]!).toBeLessThanOrEqual(12);
    expect(lengths.at(-1)!).toBeLessThanOrEqual(200);
  });
});
