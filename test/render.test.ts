// The renderer's answer fitting and wrappers, case by case (the corpus tests cover whole files).
import { describe, it, expect } from 'vitest';
import seedrandom from 'seedrandom';
import { fitAnswer, donorWrapper, isStructural, choiceRequest } from '../src/generate/render.js';
import { loadRefusals } from '../src/generate/seeds.js';

const bank = loadRefusals();
const rnd = () => seedrandom('t');
const isShort = (t: unknown) => bank.short.includes(t as string);

describe('fitAnswer', () => {
  it('JSON answers get JSON of the same shape with the refusal in the first string', () => {
    const r = fitAnswer({ kind: 'json', keys: ['intent', 'slots', 'confidence'], evidence: '' }, '{"intent": "book", "slots": {"city": "Oslo"}, "confidence": 0.9}', bank, 'fraud_deception', rnd());
    const v = JSON.parse(r.value as string);
    expect(Object.keys(v)).toEqual(['intent', 'slots', 'confidence']);
    expect(isShort(v.intent)).toBe(true);
    expect(v.slots).toEqual({ city: '' });
    expect(v.confidence).toBe(0);
  });
  it('code answers get the refusal as a comment in that language, at the donor\'s indentation', () => {
    const py = fitAnswer({ kind: 'code', language: 'python', evidence: '' }, '    return x + 1\n', bank, 'malware_intrusion', rnd());
    expect(py.value).toMatch(/^    # .+\n    raise NotImplementedError\("refused"\)\n$/);
    const js = fitAnswer({ kind: 'code', language: 'javascript', evidence: '' }, 'const a = 1;\n', bank, 'malware_intrusion', rnd());
    expect(js.value).toMatch(/^\/\/ .+\n$/);
  });
  it('lists stay lists; free text is sized to the answers', () => {
    expect(fitAnswer({ kind: 'list', format: 'json', itemsP50: 1, evidence: '' }, ['x'], bank, 'privacy_violation', rnd()).value).toHaveLength(1);
    expect(JSON.parse(fitAnswer({ kind: 'list', format: 'json-string', itemsP50: 1, evidence: '' }, '["x"]', bank, 'privacy_violation', rnd()).value as string)).toHaveLength(1);
    const short = fitAnswer({ kind: 'text', chars: { p10: 5, p50: 20, p90: 30, max: 40 }, tokens: { p10: 1, p50: 5, p90: 8, max: 9 }, evidence: '' }, 'ok', bank, 'economic_harm', rnd());
    expect(isShort(short.value)).toBe(true);
    const long = fitAnswer({ kind: 'text', chars: { p10: 200, p50: 600, p90: 900, max: 999 }, tokens: { p10: 40, p50: 120, p90: 200, max: 250 }, evidence: '' }, 'ok', bank, 'economic_harm', rnd());
    expect((long.value as string).length).toBeGreaterThan(60);
    expect(long.value).not.toContain('{reason}');
  });
});

describe('wrappers', () => {
  it('keeps structural wrappers with the donor\'s own numbers, drops sentence punctuation', () => {
    const t = [{ text: 'Q{number}: {request} ->', prefix: 'Q{number}: ', suffix: ' ->', coverage: 1, constant: false }];
    expect(donorWrapper(t, 'Q17: what is up ->')).toMatchObject({ pre: 'Q17: ', post: ' ->' });
    expect(isStructural('?')).toBe(false);
    expect(isStructural(' ')).toBe(true);
    expect(isStructural('\n#### {number}')).toBe(true);
  });
  it('choice requests copy the option marker style', () => {
    const mc = choiceRequest('Pick one:\n(A) x\n(B) y\n(C) z', 'REQ', 'I cannot help.', rnd())!;
    expect(mc.text.split('\n').slice(1).map((l) => l.slice(0, 4))).toEqual(['(A) ', '(B) ', '(C) ']);
    expect(mc.text).toContain(`(${mc.letter}) I cannot help.`);
  });
});
