// Quirky CSV/TSV (issue 10, item 11) is read as Python's csv module reads it (its default,
// non-strict excel dialect), and every byte of the file survives the round trip. The expected rows
// below are what `list(csv.reader(io.StringIO(text, newline=''), delimiter=d))` gives (blank rows
// dropped) under CPython 3.11; each case is also fed in 1-byte and 3-byte chunks, so that a CRLF or a
// quote split across two reads changes nothing.
import { describe, it, expect } from 'vitest';
import { csvSlices } from '../src/read/csv-records.js';
import type { CsvShape } from '../src/read/types.js';

const PYTHON: [string, string, string, string[][]][] = [
  [
    'stray quotes in an unquoted TSV field',
    '\t',
    'text\tlabel\nAsian woman with ""pain"" and more\tpos\nok "quoted" mid\tneg\n',
    [
      ['text', 'label'],
      ['Asian woman with ""pain"" and more', 'pos'],
      ['ok "quoted" mid', 'neg'],
    ],
  ],
  [
    'mixed CRLF and LF',
    ',',
    'a,b\r\nx,y\nz,w\r\nq,r\n',
    [
      ['a', 'b'],
      ['x', 'y'],
      ['z', 'w'],
      ['q', 'r'],
    ],
  ],
  [
    'CR only',
    ',',
    'a,b\rx,y\rz,w\r',
    [
      ['a', 'b'],
      ['x', 'y'],
      ['z', 'w'],
    ],
  ],
  [
    'a quoted multi-line field among mixed line ends',
    ',',
    'a,b\r\n"line1\r\nline2",1\nz,2\r\n',
    [
      ['a', 'b'],
      ['line1\r\nline2', '1'],
      ['z', '2'],
    ],
  ],
  [
    'a quote inside an unquoted field',
    ',',
    'a,b\nab"c,1\n5" screen,2\n',
    [
      ['a', 'b'],
      ['ab"c', '1'],
      ['5" screen', '2'],
    ],
  ],
  [
    'empty quoted and unquoted fields',
    ',',
    'a,b\n"",1\n,2\n',
    [
      ['a', 'b'],
      ['', '1'],
      ['', '2'],
    ],
  ],
  [
    'doubled quotes inside a quoted field',
    ',',
    'a,b\n"say ""hi""",1\n',
    [
      ['a', 'b'],
      ['say "hi"', '1'],
    ],
  ],
  [
    'trailing delimiters',
    ',',
    'a,b\nx,\n,\n',
    [
      ['a', 'b'],
      ['x', ''],
      ['', ''],
    ],
  ],
  [
    'blank lines of both kinds',
    ',',
    'a,b\n\r\nx,y\n\n\nz,w\n',
    [
      ['a', 'b'],
      ['x', 'y'],
      ['z', 'w'],
    ],
  ],
  [
    'no final newline',
    ',',
    'a,b\nx,y',
    [
      ['a', 'b'],
      ['x', 'y'],
    ],
  ],
  [
    'quotes in a field of non-ASCII text',
    ',',
    'a,b\ncafé "crème",ü\n',
    [
      ['a', 'b'],
      ['café "crème"', 'ü'],
    ],
  ],
  [
    'a space before a quote',
    ',',
    'a,b\n x "y" z,1\n',
    [
      ['a', 'b'],
      [' x "y" z', '1'],
    ],
  ],
];

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(text: string, delimiter: string, chunk: number) {
  const shape: CsvShape = { delimiter, quote: '"', header: false, columns: [], eol: '\n' };
  const bytes = Buffer.from(text);
  const rows: string[][] = [];
  const pieces: Buffer[] = [];
  let suffix: Buffer = Buffer.alloc(0);
  let fatal: unknown;
  for await (const s of csvSlices(chunked(bytes, chunk), shape, 1 << 20, (sfx, f) => ((suffix = sfx), (fatal = f)))) {
    rows.push(s.cells);
    pieces.push(s.sepBefore, s.raw);
  }
  pieces.push(suffix);
  return { rows, bytes: Buffer.concat(pieces), fatal };
}

describe("quirky CSV/TSV reads as Python's csv", () => {
  for (const [what, delimiter, text, expected] of PYTHON) {
    for (const chunk of [1 << 20, 3, 1]) {
      it(`${what} (${chunk === 1 << 20 ? 'one chunk' : `${chunk}-byte chunks`}): Python's rows, the file's exact bytes`, async () => {
        const r = await read(text, delimiter, chunk);
        expect(r.fatal).toBeUndefined();
        expect(r.rows).toEqual(expected);
        expect(r.bytes.toString('utf8')).toBe(text);
      });
    }
  }

  it('text after a closing quote ("abc"def, "a""b"c) is kept without the quotes, as Python reads it', async () => {
    for (const chunk of [1 << 20, 1]) {
      const r = await read('a,b\n"abc"def,1\n"a""b"c "d",2\n', ',', chunk);
      expect(r.rows.slice(1)).toEqual([
        ['abcdef', '1'],
        ['a"bc "d"', '2'],
      ]);
      expect(r.bytes.toString('utf8')).toBe('a,b\n"abc"def,1\n"a""b"c "d",2\n');
    }
  });

  it('one known difference: a quoted field still open at the end of the file is an error (Python takes the rest of the file as the field)', async () => {
    const r = await read('a,b\nx,"never closed\ny,2\n', ',', 1 << 20);
    expect(r.fatal).toMatchObject({ code: 'csv_unclosed_quote', line: 2 });
  });
});
