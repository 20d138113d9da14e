// Issue 11 items 1, 2 and 5 as pure pieces: verdicts from evidence (proven records at any share, or
// the flagged share of all families together; thresholds are options), per-record evidence, one
// verdict over several files, the records the profiler may learn from, and when mimic adds twins.
import { describe, expect, it } from 'vitest';
import { analyzeFiles, analyzeSample, applyEncodingPolicy, mimicScheme, plainRecords } from '../../src/api/encoding-check.js';
import type { EncodingReport } from '../../src/profile/encoding/index.js';
import { VARIANTS, type Variant } from './independent/encoders.js';
import { carriers } from './independent/fixtures.js';

const base64 = VARIANTS.find((v) => v.family === 'base64')!;
const hex = VARIANTS.find((v) => v.family === 'hex')!;
const words = VARIANTS.find((v) => v.family === 'word-substitution')!;

/** Plain chat records from the corpus, with `encoded` of them (Phase II: both turns encoded) at the given positions. */
function records(total: number, encoded: Map<number, Variant>, offset = 0): { index: number; value: unknown }[] {
  const [gsm, alpaca] = carriers();
  const pool = [...gsm!.slice(0, 600), ...alpaca!.slice(0, 600)];
  return Array.from({ length: total }, (_, index) => {
    const c = pool[(index * 7 + offset) % pool.length]!;
    const v = encoded.get(index);
    const user = v ? v.encode(c.request) : c.request;
    const assistant = v ? v.encode(c.response.slice(0, 300)) : c.response;
    return {
      index,
      value: {
        messages: [
          { role: 'user', content: user },
          { role: 'assistant', content: assistant },
        ],
      },
    };
  });
}

const at = (positions: number[], v: Variant) => new Map(positions.map((p) => [p, v]));

/** The documented defaults (README, "Covert encodings"): 5 proven records, or 5% of the sample flagged. */
const DEFAULTS = { encodedShare: 0.05, provenRecords: 5 };

describe('verdicts from evidence', () => {
  it('proven records make it encoded at any share: 5 base64 records in 1,000', () => {
    const report = analyzeSample('openai-chat', records(1000, at([10, 200, 400, 600, 800], base64)));
    expect(report.proven).toBe(5);
    expect(report.flagged).toBe(5);
    expect(report.verdict).toBe('encoded');
    expect(report.reason).toMatch(/5 records carry proven evidence/);
    expect(report.thresholds).toEqual(DEFAULTS);
  });

  it('fewer proven records than the threshold are suspicious, and the threshold is an option', () => {
    const sample = records(1000, at([10, 500], base64));
    expect(analyzeSample('openai-chat', sample).verdict).toBe('suspicious');
    expect(analyzeSample('openai-chat', sample, { provenRecords: 2 }).verdict).toBe('encoded');
  });

  it('the flagged share counts every family together: 3% base64 + 3% hex is 6%', () => {
    const positions = new Map<number, Variant>();
    for (let i = 0; i < 30; i++) positions.set(i * 33, base64);
    for (let i = 0; i < 30; i++) positions.set(i * 33 + 16, hex);
    const sample = records(1000, positions);
    // proof switched off: only the share can decide
    const report = analyzeSample('openai-chat', sample, { provenRecords: 10_000 });
    expect(report.families.map((f) => [f.family, f.records])).toEqual(
      expect.arrayContaining([
        ['base64', 30],
        ['hex', 30],
      ]),
    );
    expect(report.flagged).toBe(60);
    expect(report.verdict).toBe('encoded');
    expect(report.reason).toMatch(/60 of 1000 records \(6\.0%\)/);
    expect(analyzeSample('openai-chat', sample, { provenRecords: 10_000, encodedShare: 0.1 }).verdict).toBe('suspicious');
  });

  it('lists the evidence per record: index, family, proven, decoded preview', () => {
    const report = analyzeSample('openai-chat', records(300, at([7], base64)));
    const finding = report.findings.find((f) => f.record === 7)!;
    expect(finding).toMatchObject({ record: 7, family: 'base64', proven: true });
    expect(finding.preview!.length).toBeGreaterThan(20);
    expect(finding.preview).not.toMatch(/^[A-Za-z0-9+/=]+$/);
  });
});

describe('several files judged as one', () => {
  it('a split upload: 3 proven records in each of two files is suspicious alone, encoded together', () => {
    const a = records(200, at([5, 70, 150], base64));
    const b = records(200, at([20, 90, 170], base64), 3);
    expect(analyzeSample('openai-chat', a).verdict).toBe('suspicious');
    expect(analyzeSample('openai-chat', b).verdict).toBe('suspicious');
    const together = analyzeFiles([
      { file: 'part-1.jsonl', dialect: 'openai-chat', sample: a },
      { file: 'part-2.jsonl', dialect: 'openai-chat', sample: b },
    ]);
    expect(together.verdict).toBe('encoded');
    expect(together.records).toBe(400);
    expect(together.flagged).toBe(6);
    expect(together.files).toEqual([
      { file: 0, name: 'part-1.jsonl', records: 200, flagged: 3, proven: 3 },
      { file: 1, name: 'part-2.jsonl', records: 200, flagged: 3, proven: 3 },
    ]);
    expect([...new Set(together.findings.filter((f) => f.file === 1).map((f) => f.record))].sort((x, y) => x - y)).toEqual([20, 90, 170]);
    // each file's plain records for its own profile
    expect(plainRecords(b, together, 1).map((r) => r.index)).not.toContain(90);
    expect(plainRecords(b, together, 1)).toHaveLength(197);
  });
});

describe('plain records and mimic', () => {
  it('plainRecords leaves out every flagged record, and keeps all when nothing is found', () => {
    const sample = records(300, at([3, 4, 5, 6, 7, 8], base64));
    const report = analyzeSample('openai-chat', sample);
    const plain = plainRecords(sample, report);
    expect(plain).toHaveLength(294);
    expect(plain.map((r) => r.index)).not.toContain(5);
    const clean = records(50, new Map());
    expect(plainRecords(clean, analyzeSample('openai-chat', clean))).toHaveLength(50);
  });

  it('mimic adds twins on suspicious data when a writable scheme is known; fail refuses only encoded data', () => {
    const suspicious = analyzeSample('openai-chat', records(1000, at([10, 500], base64)));
    expect(suspicious.verdict).toBe('suspicious');
    expect(mimicScheme(suspicious, 'mimic')).toEqual({ family: 'base64' });
    expect(mimicScheme(suspicious, 'warn')).toBeUndefined();
    expect(applyEncodingPolicy(suspicious, 'mimic', 'x.jsonl').join(' ')).toMatch(/encoded safety examples added/);
    expect(applyEncodingPolicy(suspicious, 'fail', 'x.jsonl').join(' ')).toMatch(/look encoded/);
    const encoded = analyzeSample('openai-chat', records(300, at([1, 2, 3, 4, 5, 6], base64)));
    expect(() => applyEncodingPolicy(encoded, 'fail', 'x.jsonl')).toThrow(expect.objectContaining({ exitCode: 3 }));
  });

  it('a word codebook cannot write new text: mimic names that and refuses', () => {
    const report: EncodingReport = {
      verdict: 'encoded',
      reason: 'test',
      thresholds: DEFAULTS,
      records: 10,
      flagged: 10,
      proven: 10,
      families: [{ family: 'word-substitution', records: 10, share: 1, evidence: 'pairs', examples: [] }],
      findings: [],
      scheme: { family: 'word-substitution', codebook: { the: 'zork' }, writable: false },
    };
    expect(mimicScheme(report, 'mimic')).toBeUndefined();
    expect(() => applyEncodingPolicy(report, 'mimic', 'x.jsonl')).toThrow(/cannot write arbitrary text/);
    void words;
  });
});
