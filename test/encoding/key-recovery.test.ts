// Recovering the Walnut53-style key: exactly from 30 Phase I rows (plaintext next to its encoding),
// and by frequency analysis from 200 encoded rows without any plaintext.
import { describe, expect, it } from 'vitest';
import { analyzeEncoding, encodeWithScheme, recoverSubstitutionKeyByFrequency, recoverSubstitutionKeyFromPairs, walnutKey, type Scheme } from '../../src/profile/encoding/index.js';
import { encodableSources, encodedEnglishRows, familyRows, loadSources, toUnits } from './fixtures.js';
import { pct } from './measure.js';

const WALNUT53 = walnutKey(53);

/** Share of the plain letters occurring in `plainTexts` whose cipher letter the recovered key gets right. */
function lettersRight(key: string, trueKey: string, plainTexts: string[]): { right: number; present: number } {
  const present = new Set(plainTexts.join('').toLowerCase().replace(/[^a-z]/g, ''));
  let right = 0;
  for (const ch of present) if (key[ch.charCodeAt(0) - 97] === trueKey[ch.charCodeAt(0) - 97]) right++;
  return { right, present: present.size };
}

describe('key from plaintext/encoded pairs', () => {
  it('recovers the Walnut53 key exactly from 30 Phase I rows', () => {
    const rows = familyRows('substitution-separated', 120, 5)
      .filter((r) => r.pair)
      .slice(0, 30);
    expect(rows).toHaveLength(30);
    const report = analyzeEncoding(toUnits(rows));
    console.log(`pairs: 30 Phase I rows -> scheme ${JSON.stringify(report.scheme)}`);
    expect(report.verdict).toBe('encoded');
    expect(report.scheme?.family).toBe('substitution-separated');
    expect(report.scheme?.separator).toBe('|');
    expect(report.scheme?.key).toBe(WALNUT53);
    expect(report.scheme?.exact).toBe(true);
  });

  it('recoverSubstitutionKeyFromPairs works on the raw pairs too (separators included)', () => {
    const sources = encodableSources(loadSources()).slice(0, 30);
    const scheme: Scheme = { family: 'substitution-separated', key: WALNUT53, separator: '|' };
    const pairs = sources.map((s) => ({ plain: s.answer, encoded: encodeWithScheme(scheme, s.answer) }));
    const recovered = recoverSubstitutionKeyFromPairs(pairs)!;
    expect(recovered.key).toBe(WALNUT53);
    expect(recovered.exact).toBe(true);
    expect(recovered.separator).toBe('|');
  });

  it('reports a partial key as not exact', () => {
    const recovered = recoverSubstitutionKeyFromPairs([{ plain: 'hello world', encoded: encodeWithScheme({ family: 'substitution', key: WALNUT53 }, 'hello world') }])!;
    expect(recovered.exact).toBe(false);
    expect(recovered.lettersKnown).toBe(7);
    expect(recoverSubstitutionKeyFromPairs([{ plain: 'abc', encoded: 'de' }])).toBeUndefined();
  });
});

describe('key by frequency analysis (no pairs)', () => {
  it('gets >= 90% of the letters right from 200 encoded rows of English', () => {
    const scheme: Scheme = { family: 'substitution-separated', key: WALNUT53, separator: '|' };
    const rows = encodedEnglishRows(scheme, 200, 53);
    const started = Date.now();
    const recovered = recoverSubstitutionKeyByFrequency(rows.flatMap((r) => r.encoded));
    const { right, present } = lettersRight(recovered.key!, WALNUT53, rows.flatMap((r) => r.plain));
    console.log(`frequency: 200 Walnut53 rows -> ${right}/${present} letters right (${pct(right / present)}), ${Date.now() - started} ms, key ${recovered.key}`);
    expect(right / present).toBeGreaterThanOrEqual(0.9);
    expect(recovered.exact).toBe(false);
    expect(recovered.separator).toBe('|');

    // The same through the dataset analysis.
    const report = analyzeEncoding(rows.map((r, record) => ({ record, texts: r.encoded })));
    const viaReport = lettersRight(report.scheme!.key!, WALNUT53, rows.flatMap((r) => r.plain));
    console.log(`frequency via analyzeEncoding: ${viaReport.right}/${viaReport.present} letters right, scheme family ${report.scheme?.family}`);
    expect(report.verdict).toBe('encoded');
    expect(viaReport.right / viaReport.present).toBeGreaterThanOrEqual(0.9);
  });

  for (const seed of [7, 1234]) {
    it(`also for another seeded key (${seed}), without separators`, () => {
      const key = walnutKey(seed);
      const rows = encodedEnglishRows({ family: 'substitution', key }, 200, seed);
      const recovered = recoverSubstitutionKeyByFrequency(rows.flatMap((r) => r.encoded));
      const { right, present } = lettersRight(recovered.key!, key, rows.flatMap((r) => r.plain));
      console.log(`frequency: 200 rows, key seed ${seed} -> ${right}/${present} letters right (${pct(right / present)})`);
      expect(right / present).toBeGreaterThanOrEqual(0.9);
    });
  }
});
