// Issue 11 acceptance, recall (part 1 of 3): the first ten families at 1%, 2%, 5% and 20%, with the independent encoders (test/encoding/
// independent/, nothing from src/) on carrier text from three corpus files, 1,000 records each, Phase I
// pairs present. `encoded` at 2% and above whenever the scheme is recovered, at 5% and above always; the
// exact key at 2% and above for keyed families; no plain row flagged. The table is printed (README).
import { describe, expect, it } from 'vitest';
import { mainVariants } from './independent/encoders.js';
import { cellText, runCell, SHARES, type Cell } from './recall-run.js';

const variants = mainVariants().slice(0, 10);
const shares = SHARES;
const lines: string[] = [];

describe('recall: the first ten families at 1%, 2%, 5% and 20%', () => {
  for (const v of variants) {
    it(`${v.family}: ${v.name}`, () => {
      const cells: Cell[] = shares.map((share) => runCell(v, share));
      lines.push(`| ${v.family} | ${v.name} | ${cells.map(cellText).join(' | ')} |`);
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
