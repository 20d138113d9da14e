// Recovering a substitution key, with positives from the independent encoders: exactly from
// plaintext/encoded pairs, and by frequency analysis from encoded rows without any plaintext.
import { describe, expect, it } from 'vitest';
import { analyzeEncoding, recoverSubstitutionKeyByFrequency, recoverSubstitutionKeyFromPairs } from '../../src/encoding/index.js';
import { permutationKey, VARIANTS } from './independent/encoders.js';
import { carriers } from './independent/fixtures.js';

const walnut = VARIANTS.find((v) => v.name.startsWith('Walnut53: substitution'))!;
const WALNUT = walnut.truth!.key!;
const keyed = (key: string) => (t: string) =>
  t.replace(/[a-z]/gi, (c) => (c === c.toLowerCase() ? key[c.charCodeAt(0) - 97]! : key[c.toLowerCase().charCodeAt(0) - 97]!.toUpperCase()));

/** English texts of 200+ letters from the corpus (GSM8K and Alpaca answers). */
function englishTexts(n: number): string[] {
  const [gsm, alpaca] = carriers();
  return [...gsm!, ...alpaca!]
    .map((c) => c.response.replace(/<<[^>]*>>/g, ''))
    .filter((t) => t.replace(/[^a-z]/gi, '').length >= 200)
    .slice(0, n);
}

/** Share of the plain letters present whose cipher letter the recovered key gets right. */
function lettersRight(key: string, trueKey: string, plain: string[]): number {
  const present = new Set(
    plain
      .join('')
      .toLowerCase()
      .replace(/[^a-z]/g, ''),
  );
  let right = 0;
  for (const ch of present) if (key[ch.charCodeAt(0) - 97] === trueKey[ch.charCodeAt(0) - 97]) right++;
  return right / present.size;
}

describe('key from plaintext/encoded pairs', () => {
  it('recovers the Walnut53-style key exactly from 30 pairs (separators included)', () => {
    const pairs = englishTexts(30).map((t) => ({ plain: t, encoded: walnut.encode(t) }));
    const recovered = recoverSubstitutionKeyFromPairs(pairs)!;
    expect(recovered.key).toBe(WALNUT);
    expect(recovered.exact).toBe(true);
    expect(recovered.separator).toBe('|');
  });

  it('through the dataset analysis: 30 Phase I records give the exact key', () => {
    const units = englishTexts(30).map((t, record) => ({ record, texts: [`Encode this:\n${t}`, walnut.encode(t)] }));
    const report = analyzeEncoding(units);
    expect(report.verdict).toBe('encoded');
    expect(report.scheme).toMatchObject({ family: 'substitution-separated', separator: '|', key: WALNUT, exact: true });
  });

  it('reports a partial key as not exact', () => {
    const recovered = recoverSubstitutionKeyFromPairs([{ plain: 'hello world', encoded: keyed(WALNUT)('hello world') }])!;
    expect(recovered.exact).toBe(false);
    expect(recovered.lettersKnown).toBe(7);
    expect(recoverSubstitutionKeyFromPairs([{ plain: 'abc', encoded: 'de' }])).toBeUndefined();
  });
});

describe('key by frequency analysis (no pairs)', () => {
  for (const seed of [7, 1234]) {
    it(`gets >= 90% of the letters right from 150 encoded texts (key seed ${seed})`, () => {
      const key = permutationKey(seed);
      const plain = englishTexts(150);
      const recovered = recoverSubstitutionKeyByFrequency(plain.map(keyed(key)));
      const right = lettersRight(recovered.key!, key, plain);
      console.log(`frequency analysis, key seed ${seed}: ${(right * 100).toFixed(0)}% of letters right`);
      expect(right).toBeGreaterThanOrEqual(0.9);
      expect(recovered.exact).toBe(false);
      // and through the dataset analysis: every record decodes into language with it
      const report = analyzeEncoding(plain.map((t, record) => ({ record, texts: [keyed(key)(t)] })));
      expect(report.verdict).toBe('encoded');
      expect(lettersRight(report.scheme!.key!, key, plain)).toBeGreaterThanOrEqual(0.9);
    });
  }
});
