// The records of a dataset file as the tests read them, with code written here (nothing from src/):
// JSONL lines, the elements of a top-level JSON array, and CSV/TSV rows (RFC 4180 quoting, CRLF or
// LF, a header row or not). Each record comes with its exact text and its parsed value, so a test can
// compare a file safemix wrote with its input without asking safemix's own reader.
import { readFileSync } from 'node:fs';

export type Container = 'jsonl' | 'json-array' | 'csv' | 'tsv';

export interface FileRecords {
  /** The header row of a CSV/TSV file, as written. */
  header?: string;
  /** Each record's text, without the line ending or array separator around it. */
  texts: string[];
  /** Each record parsed: JSON values, or objects of the CSV/TSV cells keyed by column (col1, col2, … without a header). */
  values: unknown[];
}

function jsonArrayElements(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      if (depth === 1) throw new Error(`a top-level string element at offset ${i}`);
      inString = true;
    } else if (ch === '[' || ch === '{') {
      if (depth === 1) start = i;
      depth++;
    } else if (ch === ']' || ch === '}') {
      depth--;
      if (depth === 1) out.push(text.slice(start, i + 1));
    } else if (depth === 1 && !/[\s,]/.test(ch)) throw new Error(`a scalar top-level element at offset ${i}`);
  }
  if (depth !== 0) throw new Error('the JSON array is not closed');
  return out;
}

/** Rows of delimited text: [row text, cells] (a quote opens a quoted cell only at the cell's start). */
function delimitedRows(text: string, delimiter: string): { text: string; cells: string[] }[] {
  const rows: { text: string; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let rowStart = 0;
  let quoted = false;
  let atCellStart = true;
  const endRow = (end: number) => {
    cells.push(cell);
    rows.push({ text: text.slice(rowStart, end), cells });
    cells = [];
    cell = '';
    atCellStart = true;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
      continue;
    }
    if (ch === '"' && atCellStart) {
      quoted = true;
      atCellStart = false;
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
      atCellStart = true;
    } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      endRow(i);
      if (ch === '\r') i++;
      rowStart = i + 1;
    } else {
      cell += ch;
      atCellStart = false;
    }
  }
  if (quoted) throw new Error('a quoted cell is not closed');
  if (rowStart < text.length) endRow(text.length);
  return rows;
}

export interface ReadOptions {
  /** Whether a CSV/TSV file starts with a header row (default true). */
  header?: boolean;
  /** How a JSON record's text is parsed (default JSON.parse; a test may keep big numbers with lossless-json). */
  parse?: (text: string) => unknown;
}

export function readRecordsOf(text: string, container: Container, options: ReadOptions = {}): FileRecords {
  const body = text.replace(/^\uFEFF/, '');
  const parse = options.parse ?? ((t: string) => JSON.parse(t) as unknown);
  if (container === 'jsonl') {
    const texts = body
      .split('\n')
      .map((l) => l.replace(/\r$/, ''))
      .filter((l) => l.trim() !== '');
    return { texts, values: texts.map(parse) };
  }
  if (container === 'json-array') {
    const texts = jsonArrayElements(body);
    return { texts, values: texts.map(parse) };
  }
  const rows = delimitedRows(body, container === 'csv' ? ',' : '\t');
  const header = options.header ?? true;
  const columns = header ? rows[0]!.cells : rows[0]!.cells.map((_, i) => `col${i + 1}`);
  const data = header ? rows.slice(1) : rows;
  for (const [i, r] of data.entries())
    if (r.cells.length !== columns.length)
      throw new Error(`row ${i + 1} has ${r.cells.length} cells, the file ${columns.length} columns: ${r.text.slice(0, 80)}`);
  return {
    header: header ? rows[0]!.text : undefined,
    texts: data.map((r) => r.text),
    values: data.map((r) => Object.fromEntries(columns.map((c, j) => [c, r.cells[j]]))),
  };
}

export function readRecordsIn(path: string, container: Container, options: ReadOptions = {}): FileRecords {
  return readRecordsOf(readFileSync(path, 'utf8'), container, options);
}

/** Corpus and fixture files without a header row. */
export const HEADERLESS = new Set(['topic_agnews_test.tsv', 'mcq_noheader.csv']);

/** The container of a file, by its extension. */
export function containerOf(path: string): Container {
  if (path.endsWith('.jsonl')) return 'jsonl';
  if (path.endsWith('.json')) return 'json-array';
  if (path.endsWith('.csv')) return 'csv';
  if (path.endsWith('.tsv')) return 'tsv';
  throw new Error(`no container known for ${path}`);
}
