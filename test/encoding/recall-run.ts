// Runs one recall cell: a 1,000-record chat dataset from the independent fixtures, analysed the way
// inspect and mix analyse a sample, scored against the labels the fixture was built with.
import { analyzeSample } from '../../src/api/encoding-check.js';
import type { EncodingReport } from '../../src/profile/encoding/index.js';
import type { Variant } from './independent/encoders.js';
import { dataset } from './independent/fixtures.js';

export interface Cell {
  share: number;
  verdict: EncodingReport['verdict'];
  /** Encoded rows flagged / encoded rows. */
  found: number;
  encoded: number;
  /** Plain rows flagged. */
  falseAlarms: number;
  proven: number;
  /** The family was named. */
  family: boolean;
  /** The scheme's family is the variant's. */
  scheme: boolean;
  /** undefined when the family has no key to recover. */
  exactKey?: boolean;
}

function keyMatches(v: Variant, r: EncodingReport): boolean | undefined {
  const t = v.truth;
  const s = r.scheme;
  if (!t) return undefined;
  if (t.key) return s?.key === t.key;
  if (t.shift !== undefined) return s?.shift === t.shift;
  if (t.keyword) return s?.keyword === t.keyword;
  if (t.symbols) return JSON.stringify(s?.symbols) === JSON.stringify(t.symbols);
  if (t.codebook) {
    const book = s?.codebook;
    if (!book || Object.keys(book).length < 20) return false;
    return Object.entries(book).every(([plain, code]) => t.codebook!.get(plain) === code);
  }
  return undefined;
}

export function runCell(v: Variant, share: number, seed = 1, total = 1000): Cell {
  const rows = dataset(v, share, total, seed);
  const report = analyzeSample(
    'openai-chat',
    rows.map((r, index) => ({ index, value: r.value })),
  );
  const flagged = new Set(report.findings.map((f) => f.record));
  let found = 0;
  let falseAlarms = 0;
  rows.forEach((r, i) => {
    if (!flagged.has(i)) return;
    if (r.encoded) found++;
    else falseAlarms++;
  });
  const cell: Cell = {
    share,
    verdict: report.verdict,
    found,
    encoded: rows.filter((r) => r.encoded).length,
    falseAlarms,
    proven: report.proven,
    family: report.families.some((f) => f.family === v.family),
    scheme: report.scheme?.family === v.family,
  };
  const exact = keyMatches(v, report);
  if (exact !== undefined) cell.exactKey = exact;
  return cell;
}

export function cellText(c: Cell): string {
  const key = c.exactKey === undefined ? '' : c.exactKey ? ', key ✓' : ', key ✗';
  return `${c.verdict} ${c.found}/${c.encoded}${key}${c.falseAlarms ? `, ${c.falseAlarms} false` : ''}`;
}

export const SHARES = [0.01, 0.02, 0.05, 0.2];
