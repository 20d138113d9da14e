// safemix reads CSV with two parsers, for two jobs: csv-parse reads the first rows of a file to find
// its delimiter and header (src/read/sniff.ts), and the byte scanner (src/read/csv-records.ts) reads
// every record, giving each record's exact bytes and field positions without building strings, so
// user rows pass through byte for byte and a 300 MB file is read without decoding it. csv-parse gives
// neither byte ranges per field nor Python's handling of a quote inside an unquoted field. This test
// holds the two equal where both apply: on well-formed CSV and TSV (the corpus files and quoting cases
// written from RFC 4180), every record has the same cells in both.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { CsvScanner, type CsvSlice } from '../src/read/csv-records.js';
import { corpus } from './helpers.js';

function scanned(text: string, delimiter: string): string[][] {
  const scanner = new CsvScanner({ delimiter, quote: '"' }, Number.MAX_SAFE_INTEGER);
  const out: CsvSlice[] = [];
  const bytes = Buffer.from(text, 'utf8');
  // fed in small chunks: records cut across chunks come back whole
  for (let i = 0; i < bytes.length; i += 4096) scanner.push(bytes.subarray(i, i + 4096), out);
  scanner.end(out);
  return out.map((s) => s.cells);
}

const parsed = (text: string, delimiter: string): string[][] =>
  parse(text, { delimiter, quote: '"', relax_column_count: true, skip_empty_lines: true }) as string[][];

describe('the CSV byte scanner and csv-parse read the same records', () => {
  it.each([
    ['intent_banking77_test.csv', ','],
    ['safety_xstest_prompts.csv', ','],
    ['sentiment_sst2_test.tsv', '\t'],
  ])('%s', (file, delimiter) => {
    const text = readFileSync(corpus(file), 'utf8');
    const mine = scanned(text, delimiter);
    expect(mine.length).toBeGreaterThan(100);
    expect(mine).toEqual(parsed(text, delimiter));
  });

  it('quoted fields with delimiters, doubled quotes, line breaks and CRLF (RFC 4180 section 2)', () => {
    const text = [
      'id,text,label',
      '1,"a, b and c",x',
      '2,"she said ""no"" twice",y',
      '3,"two\nlines",z',
      '4,"crlf\r\ninside",w',
      '5,,empty',
      '6,"",quoted empty',
    ].join('\r\n');
    const mine = scanned(text, ',');
    expect(mine).toEqual(parsed(text, ','));
    expect(mine[2]).toEqual(['2', 'she said "no" twice', 'y']);
    expect(mine[3]).toEqual(['3', 'two\nlines', 'z']);
  });
});
