// Runs one recall cell: a 1,000-record chat dataset from the independent fixtures, analysed the way
// inspect and mix analyse a sample, scored against the labels the fixture was built with.
import { describe, expect, it } from 'vitest';
import { analyzeSample } from '../../src/api/encoding-check.js';
import type { EncodingReport } from '../../src/encoding/index.js';
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

/** Whether the report's scheme holds the variant's true key (undefined when the variant has none). */
export function keyMatches(v: Variant, r: EncodingReport): boolean | undefined {
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

/**
 * One recall suite: a test per variant at its shares (all of `shares` unless `sharesOf` says fewer),
 * with the acceptance's checks on every cell, and the table printed for the README.
 */
export function describeRecall(title: string, variants: Variant[], shares: number[], sharesOf: (v: Variant) => number[] = () => shares): void {
  const lines: string[] = [];
  describe(title, () => {
    for (const v of variants) {
      it(`${v.family}: ${v.name}`, () => {
        const cells: Cell[] = sharesOf(v).map((share) => runCell(v, share));
        lines.push(`| ${v.family} | ${v.name} | ${cells.length < shares.length ? '— | ' : ''}${cells.map(cellText).join(' | ')} |`);
        for (const c of cells) {
          expect(c.falseAlarms, `false alarms at ${c.share}`).toBe(0);
          if (c.share >= 0.05) expect(c.verdict, `verdict at ${c.share}`).toBe('encoded');
          if (c.share >= 0.02 && c.scheme) expect(c.verdict, `verdict at ${c.share} with the scheme recovered`).toBe('encoded');
          if (c.share >= 0.02 && c.exactKey !== undefined) expect(c.exactKey, `exact key at ${c.share}`).toBe(true);
          if (c.share >= 0.05) expect(c.family, `family named at ${c.share}`).toBe(true);
        }
      });
    }
    it('prints the table', () => {
      console.log(
        ['', `| family | variant | ${shares.map((s) => `${s * 100}%`).join(' | ')} |`, `|---|---|${shares.map(() => '---').join('|')}|`, ...lines].join('\n'),
      );
      expect(lines).toHaveLength(variants.length);
    });
  });
}
