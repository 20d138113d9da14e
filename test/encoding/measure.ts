// Per-family recall and precision of record findings against fixture labels (test helper).
import type { EncodingFamily, RecordFinding } from '../../src/profile/encoding/index.js';
import type { FixtureRow } from './fixtures.js';

export interface FamilyScore {
  family: EncodingFamily;
  truePositives: number;
  falseNegatives: number;
  falsePositives: number;
  recall: number;
  precision: number;
}

/** Row i is unit/record i. A row carries `plain-encoded-pair` when its label says so. */
export function scoreFamilies(rows: FixtureRow[], findings: RecordFinding[], families: EncodingFamily[]): FamilyScore[] {
  const found = new Map<number, Set<EncodingFamily>>();
  for (const f of findings) {
    const set = found.get(f.record) ?? new Set<EncodingFamily>();
    set.add(f.family);
    found.set(f.record, set);
  }
  return families.map((family) => {
    let tp = 0;
    let fn = 0;
    let fp = 0;
    rows.forEach((row, i) => {
      const truth = family === 'plain-encoded-pair' ? row.pair : row.family === family;
      const got = found.get(i)?.has(family) ?? false;
      if (truth && got) tp++;
      else if (truth) fn++;
      else if (got) fp++;
    });
    return {
      family,
      truePositives: tp,
      falseNegatives: fn,
      falsePositives: fp,
      recall: tp + fn ? tp / (tp + fn) : 1,
      precision: tp + fp ? tp / (tp + fp) : 1,
    };
  });
}

export function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
