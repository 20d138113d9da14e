// The analysis's counting shortcuts (src/encoding/text-scan.ts, english-stats.ts) against the readings
// they stand for, on every string of the corpus: countWords against the words wordStats reads,
// englishWordsReach against the rate wordStats gives, forEachLetterRun against a regular expression
// over the lower-cased text, and isRegexSpace against /\s/ on every UTF-16 code unit.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countWords, forEachLetterRun, isRegexSpace } from '../../src/encoding/text-scan.js';
import { englishWordsReach, wordStats } from '../../src/encoding/english-stats.js';

/** Every string value of every JSON Lines record and every CSV/TSV line of the corpus, subfolders included. */
function corpusStrings(dir = fileURLToPath(new URL('../corpus/', import.meta.url))): string[] {
  const out: string[] = [];
  const strings = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) strings(x);
  };
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...corpusStrings(path));
    else if (name.endsWith('.jsonl')) for (const line of readFileSync(path, 'utf8').split('\n')) line && strings(JSON.parse(line));
    else if (name.endsWith('.json')) strings(JSON.parse(readFileSync(path, 'utf8')));
    else if (/\.(csv|tsv)$/.test(name)) out.push(...readFileSync(path, 'utf8').split('\n'));
  }
  return out;
}

describe('the counting shortcuts', () => {
  const texts = corpusStrings();

  it('read the corpus as the full readings do', () => {
    expect(texts.length).toBeGreaterThan(50_000);
    let english = 0;
    for (const text of texts) {
      const stats = wordStats(text);
      expect(countWords(text), text.slice(0, 80)).toBe(stats.words);
      for (const rate of [0.2, 0.4])
        expect(
          englishWordsReach(text, (n) => n / stats.words >= rate),
          text.slice(0, 80),
        ).toBe(stats.words > 0 && stats.englishRate >= rate);
      if (stats.englishRate >= 0.4) english++;
      const runs: string[] = [];
      forEachLetterRun(text, (start, end) => runs.push(text.slice(start, end).toLowerCase()));
      if (!/[\u0130\u212a]/.test(text)) expect(runs).toEqual(text.toLowerCase().match(/[a-z]+/g) ?? []);
    }
    // the corpus holds English and other text: both sides of each rate are met
    expect(english).toBeGreaterThan(texts.length / 4);
    expect(english).toBeLessThan(texts.length);
  });

  it('isRegexSpace is /\\s/ on every UTF-16 code unit', () => {
    for (let c = 0; c < 0x10000; c++) expect(isRegexSpace(c), c.toString(16)).toBe(/\s/.test(String.fromCharCode(c)));
  });
});
