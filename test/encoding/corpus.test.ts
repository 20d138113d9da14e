// Real-world datasets (the shared read-only corpus) carry no covert encoding: no dataset verdict,
// and fewer than 0.5% of records flagged in any file.
import { describe, expect, it } from 'vitest';
import { analyzeEncoding } from '../../src/profile/encoding/index.js';
import { corpusFiles, corpusUnits } from './corpus-units.js';
import { pct } from './measure.js';

describe('no encoding found in the real-world corpus', () => {
  const files = corpusFiles();

  it('reads all 14 corpus files', () => {
    expect(files).toHaveLength(14);
  });

  for (const file of files) {
    it(file, () => {
      const units = corpusUnits(file);
      const report = analyzeEncoding(units);
      const share = report.flagged / units.length;
      const detail = report.families.map((f) => `${f.family} ${f.records}`).join(', ');
      console.log(`  ${file.padEnd(44)} ${String(units.length).padStart(5)} records, flagged ${report.flagged} (${pct(share)}) ${detail}`);
      expect(units.length).toBeGreaterThan(0);
      expect(report.verdict).not.toBe('encoded');
      expect(share).toBeLessThan(0.005);
    });
  }
});
