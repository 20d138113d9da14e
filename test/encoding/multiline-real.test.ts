// Issue 32 acceptance, real multi-line text: poems, song verses, dialogues and jokes in 8 languages
// (test/corpus/multiline, Debian's fortune packages) are never blocked as a covert encoding, read the
// way mix reads a file (every record screened, the sample and the suspects analysed), and a file and
// its 10× concatenation get the same verdict. Their line ends are words of their language, so a
// detector that reads one word a line must ask whether those words read in a sentence's order: the
// English file was refused (64 of 800 records "proven" as last-word or first-word messages) before.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleDataset } from '../../src/api/sample.js';
import { analyzeScreened } from '../../src/api/encoding-screened.js';
import { LINE_WORD_FAMILIES, type EncodingReport } from '../../src/encoding/types.js';
import { beatsShuffles, messageWords, readInOrder, WordPairs } from '../../src/encoding/word-order.js';

const DIR = fileURLToPath(new URL('../corpus/multiline/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'safemix-multiline-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function verdictOf(path: string): Promise<EncodingReport> {
  const run = await sampleDataset(path, { screen: true, threads: 0 });
  return analyzeScreened(run.scan.detection.dialect, run.sample, run.screened, run.records);
}

function show(report: EncodingReport): string {
  return `${report.reason} | ${report.findings
    .slice(0, 3)
    .map((f) => `record ${f.record} ${f.family}: ${f.evidence}`)
    .join(' | ')}`;
}

describe('real multi-line text (test/corpus/multiline): never blocked, the same verdict ten times over', () => {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  it('reads the 8 files', () => expect(files.map((f) => f.slice(9, 11))).toEqual(['cs', 'de', 'en', 'es', 'it', 'pl', 'pt', 'ru']));
  for (const file of files) {
    it(`${file}: not encoded, no words-a-line message proven, and its 10× concatenation alike`, async () => {
      const once = await verdictOf(join(DIR, file));
      expect(once.verdict, show(once)).not.toBe('encoded');
      expect(
        once.findings.filter((f) => LINE_WORD_FAMILIES.has(f.family) && f.proven),
        show(once),
      ).toEqual([]);
      const ten = join(tmp, file);
      writeFileSync(ten, readFileSync(join(DIR, file), 'utf8').repeat(10));
      const tenTimes = await verdictOf(ten);
      expect(tenTimes.verdict, show(tenTimes)).toBe(once.verdict);
    });
  }
});

describe('word order (src/encoding/word-order.ts)', () => {
  // a reference written here: plain sentences, none of them the messages below
  const reference = new WordPairs();
  for (const s of [
    'we went to the market in the morning and bought fresh bread for the family',
    'she told me that the train would leave from the old station at noon',
    'please send the report to the team before the meeting on friday',
    'the children played in the garden while their parents cooked dinner',
    'he wants to learn how to repair the bike before the summer holiday',
    'they walked along the river and talked about the book they had read',
  ])
    reference.add(s);

  it('a sentence beats shuffles of its own words; the same words shuffled do not', () => {
    const sentence = 'we want to send the report to the team in the morning';
    expect(beatsShuffles(sentence, reference)).toBe(true);
    expect(beatsShuffles('morning team report the in to want we the send to the', reference)).toBe(false);
  });

  it('a token of a line is one word of the message (a hyphenated word is not three)', () => {
    expect(messageWords('met infantry, face. -- half-a-crown!')).toEqual(['met', 'infantry', 'face', 'half-a-crown']);
  });

  it('the messages together: far more beating their shuffles than chance gives', () => {
    expect(readInOrder(12, 20)).toBe(true);
    expect(readInOrder(8, 77)).toBe(false);
    expect(readInOrder(0, 5)).toBe(false);
  });
});
