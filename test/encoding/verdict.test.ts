// Issue 11 items 1, 2 and 5 as pure pieces: verdicts from evidence (proven records at any share, or
// the flagged share of all families together; thresholds are options), per-record evidence, one
// verdict over several files, the records the profiler may learn from, and when mimic adds twins.
import { describe, expect, it } from 'vitest';
import { analyzeFiles, analyzeSample, applyEncodingPolicy, mimicScheme, plainRecords } from '../../src/api/encoding-check.js';
import type { EncodingReport } from '../../src/encoding/index.js';
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

/** The documented defaults (docs/covert-encodings.md): 5 proven records and 1% of the sample, or 5% of the sample flagged. */
const DEFAULTS = { encodedShare: 0.05, provenRecords: 5, provenShare: 0.01 };

describe('verdicts from evidence', () => {
  it('proven records make it encoded at a small share: 10 base64 records in 1,000 (1%)', () => {
    const sample = records(1000, at([10, 100, 200, 300, 400, 500, 600, 700, 800, 900], base64));
    const report = analyzeSample('openai-chat', sample);
    // records whose texts repeat another's (the carrier pool repeats) are counted once
    const distinct = new Set(sample.map((r) => JSON.stringify(r.value))).size;
    expect(report.proven).toBe(10);
    expect(report.flagged).toBe(10);
    expect(report.verdict).toBe('encoded');
    expect(report.reason).toContain(`10 of ${distinct} records carry proven evidence`);
    expect(report.thresholds).toEqual(DEFAULTS);
  });

  it('the proof bar is a share of the records too: 5 proven records in 300 are encoded, the same 5 in 1,000 are not', () => {
    expect(analyzeSample('openai-chat', records(300, at([10, 70, 130, 190, 250], base64))).verdict).toBe('encoded');
    const big = analyzeSample('openai-chat', records(1000, at([10, 200, 400, 600, 800], base64)));
    expect(big.proven).toBe(5);
    expect(big.verdict).toBe('suspicious');
    expect(big.reason).toMatch(/below 10\b/);
    // a file and its 10× concatenation: the same share, the same verdict (5 proven of 300; 50 of 3,000)
    const once = records(300, at([10, 70, 130, 190, 250], base64));
    const tenTimes = Array.from({ length: 10 }, (_, k) => once.map((r) => ({ index: k * 300 + r.index, value: r.value }))).flat();
    expect(analyzeSample('openai-chat', once).verdict).toBe('encoded');
    expect(analyzeSample('openai-chat', tenTimes).verdict).toBe('encoded');
    const fewer = records(300, at([10, 70], base64));
    const fewerTen = Array.from({ length: 10 }, (_, k) => fewer.map((r) => ({ index: k * 300 + r.index, value: r.value }))).flat();
    expect(analyzeSample('openai-chat', fewer).verdict).toBe('suspicious');
    expect(analyzeSample('openai-chat', fewerTen).verdict).toBe('suspicious');
  });

  it('fewer proven records than the threshold are suspicious, and the threshold is an option', () => {
    const sample = records(1000, at([10, 500], base64));
    expect(analyzeSample('openai-chat', sample).verdict).toBe('suspicious');
    expect(analyzeSample('openai-chat', sample, { provenRecords: 2, provenShare: 0 }).verdict).toBe('encoded');
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
    const distinct = new Set(sample.map((r) => JSON.stringify(r.value))).size;
    expect(report.reason).toContain(`60 of ${distinct} records (6.0%)`);
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

describe('strings inside tool calls and their results are read too', () => {
  const walnut = VARIANTS.find((v) => v.name.startsWith('Walnut53'))!;
  const sentences = [
    'Please book a table for two at the harbour restaurant tomorrow evening at eight.',
    'Find the cheapest train from the north station to the airport before noon on Friday.',
    'Send the weekly report to the whole team and remind them about the meeting on Monday.',
    'Look up the opening hours of the city library and the museum next to the park.',
  ];
  function chat(i: number, hide?: (t: string) => string): unknown {
    const note = sentences[i % sentences.length]!;
    return {
      messages: [
        { role: 'user', content: `Can you handle request number ${i} for me?` },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: `call_${i}`,
              type: 'function',
              function: { name: 'save_note', arguments: JSON.stringify({ title: `note ${i}`, body: hide ? hide(note) : note }) },
            },
          ],
        },
        { role: 'tool', tool_call_id: `call_${i}`, content: JSON.stringify({ saved: true, echo: hide ? hide(`Saved: ${note}`) : `Saved: ${note}` }) },
        { role: 'assistant', content: 'Done, the note is saved.' },
      ],
    };
  }
  for (const v of [base64, walnut]) {
    it(`${v.name}: hidden in 5% of the calls' arguments and results, the verdict is encoded`, () => {
      const sample = Array.from({ length: 400 }, (_, i) => ({ index: i, value: chat(i, i % 20 === 7 ? v.encode : undefined) }));
      const report = analyzeSample('openai-chat', sample);
      expect(report.verdict, report.reason).toBe('encoded');
      const flagged = new Set(report.findings.map((f) => f.record));
      expect([...flagged].every((r) => r % 20 === 7)).toBe(true);
      expect(flagged.size).toBeGreaterThanOrEqual(15);
    });
  }
  it('the same calls in plain text: nothing flagged', () => {
    const report = analyzeSample(
      'openai-chat',
      Array.from({ length: 400 }, (_, i) => ({ index: i, value: chat(i) })),
    );
    expect(report.flagged, report.reason).toBe(0);
  });
});
