// Per-family detection on generated Phase I / Phase II fixtures: per-record recall and precision in a
// mixture of every family with plain rows, and the dataset verdict at 1%, 5% and 50% encoded rows.
import { describe, expect, it } from 'vitest';
import { analyzeEncoding, type EncodingFamily } from '../../src/profile/encoding/index.js';
import { analyzeEncodingDetailed } from '../../src/profile/encoding/analyze.js';
import { allFamiliesMixture, CODEC_FAMILIES, mixture, toUnits } from './fixtures.js';
import { pct, scoreFamilies } from './measure.js';

const ALL_FAMILIES: EncodingFamily[] = [...CODEC_FAMILIES, 'plain-encoded-pair'];

describe('per-record recall and precision (every family mixed with plain rows)', () => {
  // Two seeded mixtures: 13 families x 60 rows (half Phase II, half Phase I in three layouts) + 600 plain rows each.
  const seeds = [1, 2];
  const batches = seeds.map((seed) => allFamiliesMixture(60, 600, seed));
  const rows = batches.flat();
  const scores = new Map<EncodingFamily, { tp: number; fn: number; fp: number }>();
  for (const batch of batches) {
    const { allFindings } = analyzeEncodingDetailed(toUnits(batch));
    for (const s of scoreFamilies(batch, allFindings, ALL_FAMILIES)) {
      const acc = scores.get(s.family) ?? { tp: 0, fn: 0, fp: 0 };
      acc.tp += s.truePositives;
      acc.fn += s.falseNegatives;
      acc.fp += s.falsePositives;
      scores.set(s.family, acc);
    }
  }
  const table = ALL_FAMILIES.map((family) => {
    const { tp, fn, fp } = scores.get(family)!;
    return { family, recall: tp / (tp + fn), precision: tp / Math.max(1, tp + fp), tp, fn, fp };
  });
  console.log(`per-record detection over ${rows.length} rows (${seeds.length} mixtures):`);
  for (const r of table) console.log(`  ${r.family.padEnd(24)} recall ${pct(r.recall).padStart(6)}  precision ${pct(r.precision).padStart(6)}  (tp ${r.tp}, fn ${r.fn}, fp ${r.fp})`);

  for (const r of table) {
    it(`${r.family}: recall and precision >= 95%`, () => {
      expect(r.recall).toBeGreaterThanOrEqual(0.95);
      expect(r.precision).toBeGreaterThanOrEqual(0.95);
    });
  }

  it('plain rows are not flagged', () => {
    const plainRows = rows.filter((r) => r.family === null).length;
    const fp = table.reduce((a, r) => a + r.fp, 0);
    expect(plainRows).toBe(1200);
    expect(fp / plainRows).toBeLessThan(0.01);
  });
});

describe('dataset verdict at 1%, 5% and 50% encoded rows', () => {
  const settings = [
    { share: 0.01, total: 500 },
    { share: 0.05, total: 400 },
    { share: 0.5, total: 200 },
  ];
  for (const family of CODEC_FAMILIES) {
    it(family, () => {
      const line: string[] = [];
      for (const { share, total } of settings) {
        const rows = mixture(family, share, total, 11);
        const report = analyzeEncoding(toUnits(rows));
        const found = report.families.find((f) => f.family === family);
        line.push(`${pct(share)}: ${report.verdict} (${found?.records ?? 0}/${Math.round(share * total)} rows, share ${pct(found?.share ?? 0)})`);
        expect(found, `${family} at ${share}`).toBeDefined();
        // No other codec family shows up among the plain rows.
        const others = report.families.filter((f) => f.family !== family && f.family !== 'plain-encoded-pair');
        expect(others.map((f) => f.family)).toEqual([]);
        if (share >= 0.05) {
          expect(report.verdict).toBe('encoded');
          expect(found!.share).toBeGreaterThanOrEqual(0.05);
          expect(found!.examples.length).toBeGreaterThan(0);
        } else expect(report.verdict).toBe('suspicious');
      }
      console.log(`  ${family.padEnd(24)} ${line.join('  ')}`);
    });
  }
});
