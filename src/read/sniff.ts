// Sniffs the container (JSONL, JSON array, CSV, TSV) and, for delimited text, the CSV shape
// (delimiter, quote, header, line ending) from the first bytes of a file. Pure: no I/O.
import { parse } from 'csv-parse/sync';
import type { Container, CsvShape } from './types.js';

export const SNIFF_BYTES = 256 * 1024;

interface ContainerGuess {
  container: Container;
  evidence: string;
}

export function sniffContainer(head: Buffer, fileName: string): ContainerGuess {
  let i = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  const first = head[i];
  if (first === 0x5b) return { container: 'json-array', evidence: 'the first character is "["' };
  if (first === 0x7b) return { container: 'jsonl', evidence: 'the first character is "{"' };
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.tsv') || lower.endsWith('.tab')) return { container: 'tsv', evidence: 'the file name ends in .tsv' };
  if (lower.endsWith('.csv')) return { container: 'csv', evidence: 'the file name ends in .csv' };
  const delimiter = sniffDelimiter(headText(head));
  return delimiter === '\t'
    ? { container: 'tsv', evidence: 'tab-delimited columns in the first lines' }
    : { container: 'csv', evidence: `"${delimiter}"-delimited columns in the first lines` };
}

/** Text of the head cut at the last complete line, without BOM. */
function headText(head: Buffer): string {
  let text = head.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const nl = text.lastIndexOf('\n');
  return nl > 0 && head.length >= SNIFF_BYTES ? text.slice(0, nl + 1) : text;
}

const DELIMITERS = [',', '\t', ';', '|'];

/** The delimiter that splits the first rows into the most consistent number (> 1) of columns. */
function sniffDelimiter(text: string, preferred?: string): string {
  let best = preferred ?? ',';
  let bestScore = -1;
  for (const d of DELIMITERS) {
    const rows = parseRows(text, d, '"');
    if (rows.length === 0) continue;
    const counts = new Map<number, number>();
    for (const r of rows) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    let mode = 1;
    let modeCount = 0;
    for (const [len, c] of counts) if (c > modeCount || (c === modeCount && len > mode)) [mode, modeCount] = [len, c];
    if (mode < 2) continue;
    const score = modeCount / rows.length + (d === preferred ? 0.05 : 0);
    if (score > bestScore) [best, bestScore] = [d, score];
  }
  return best;
}

function parseRows(text: string, delimiter: string, quote: string): string[][] {
  const attempt = (t: string): string[][] =>
    parse(t, { delimiter, quote, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, to: 200 }) as string[][];
  try {
    return attempt(text);
  } catch {
    // the head may end inside a quoted field: retry on the lines before the last 10%
    try {
      return attempt(text.slice(0, text.lastIndexOf('\n', Math.floor(text.length * 0.9)) + 1));
    } catch {
      return [];
    }
  }
}

interface CsvShapeOptions {
  delimiter?: string;
  header?: boolean;
}

export function sniffCsvShape(head: Buffer, container: 'csv' | 'tsv', options: CsvShapeOptions = {}): CsvShape & { headerEvidence: string } {
  const text = headText(head);
  const delimiter = options.delimiter ?? (container === 'tsv' ? '\t' : sniffDelimiter(text, ','));
  const quote = '"';
  const rows = parseRows(text, delimiter, quote);
  const nl = text.indexOf('\n');
  const eol: CsvShape['eol'] = nl > 0 && text[nl - 1] === '\r' ? '\r\n' : nl >= 0 ? '\n' : text.includes('\r') ? '\r' : '\n';
  const width = rows[0]?.length ?? 0;
  let header: boolean;
  let headerEvidence: string;
  if (options.header !== undefined) {
    header = options.header;
    headerEvidence = header ? 'given by --header' : 'given by --no-header';
  } else {
    [header, headerEvidence] = looksLikeHeader(rows);
  }
  const columns = header ? (rows[0] ?? []).map((c, i) => c.trim() || `col${i + 1}`) : Array.from({ length: width }, (_, i) => `col${i + 1}`);
  return { delimiter, quote, header, columns, eol, headerEvidence };
}

const NUMERIC = /^[-+]?\d+(?:[.,]\d+)?$/;

/** Decides whether the first row names the columns, with the reason. */
function looksLikeHeader(rows: string[][]): [boolean, string] {
  const first = rows[0];
  if (!first || rows.length < 2) return [true, 'a single row: taken as a header'];
  const body = rows.slice(1);
  for (let c = 0; c < first.length; c++) {
    const cell = first[c]!;
    if (cell.trim() === '') return [false, `first row has an empty cell in column ${c + 1}`];
    if (NUMERIC.test(cell.trim())) return [false, `first row has a number ("${cell}") in column ${c + 1}`];
    if (cell.length > 64) return [false, `first row cell ${c + 1} is long text (${cell.length} characters)`];
    if (body.some((r) => r[c] === cell)) return [false, `first row value "${cell}" appears again in column ${c + 1}`];
  }
  if (new Set(first).size !== first.length) return [true, 'first row repeats a name (reported as duplicate header)'];
  const numericBelow = first.findIndex((_, c) => body.length > 0 && body.every((r) => r[c] !== undefined && NUMERIC.test(r[c]!.trim())));
  if (numericBelow >= 0) return [true, `column ${numericBelow + 1} is numeric below a non-numeric first row`];
  const identifierLike = first.every((cell) => /^[A-Za-z_][\w .\-/]{0,40}$/.test(cell) && cell.split(' ').length <= 4);
  if (identifierLike) return [true, `first row cells look like column names (${first.join(', ')})`];
  return [false, 'first row looks like data'];
}
