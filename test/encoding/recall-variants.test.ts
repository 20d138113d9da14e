// Issue 11 acceptance, recall (part 3 of 3): every other variant at 5% (keyed ones at 2% too), with the independent encoders (test/encoding/
// independent/, nothing from src/) on carrier text from three corpus files, 1,000 records each, Phase I
// pairs present. `encoded` at 2% and above whenever the scheme is recovered, at 5% and above always; the
// exact key at 2% and above for keyed families; no plain row flagged. The table is printed (README).
import { describe, expect, it } from 'vitest';
import { mainVariants, VARIANTS } from './independent/encoders.js';
import { cellText, runCell, type Cell } from './recall-run.js';

const variants = VARIANTS.filter((v) => !mainVariants().includes(v));
const shares = [0.02, 0.05];
/** Keyed variants at 2% too (the exact key is due there); the others at 5%. */
const sharesOf = (v: (typeof variants)[number]) => (v.truth ? shares : [0.05]);
const lines: string[] = [];

describe('recall: every other variant at 5% (keyed ones at 2% too)', () => {
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
    console.log(['', `| family | variant | ${shares.map((s) => `${s * 100}%`).join(' | ')} |`, `|---|---|${shares.map(() => '---').join('|')}|`, ...lines].join('\n'));
    expect(lines).toHaveLength(variants.length);
  });
});
