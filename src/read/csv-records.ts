// Pure incremental CSV/TSV record scanner: feed byte chunks, get each record back with its exact
// bytes, the bytes before it, its start line and where each of its fields lies. It reads records as
// Python's csv module reads them (the default, non-strict excel dialect): any of CRLF, LF and CR ends
// a record, mixed in one file; a quote opens a quoted field only at the field's start; a quote inside
// an unquoted field is an ordinary character; text after a closing quote is kept (without the quotes);
// blank lines are no records. It works on bytes and builds no strings: a record's cells are decoded
// only when asked for (`cellsOf`), so that a pass that only checks or copies records stays cheap.
// One difference from Python: a quoted field still open at the end of the file is an error here
// (Python silently takes the rest of the file as that field).
import type { CsvShape } from './types.js';
import type { LineSlice } from './jsonl-splitter.js';

export interface CsvSlice extends LineSlice {
  /** Number of fields in the record. */
  fields: number;
  /** Start and end byte of each field within `raw` (quotes included), as [start0, end0, start1, end1, …]. */
  bounds: number[];
  /** The cells as text (decoded as UTF-8 from `raw`). */
  readonly cells: string[];
}

export interface CsvFatal {
  code: 'csv_unclosed_quote' | 'csv_invalid' | 'record_too_long';
  message: string;
  line: number;
  hint: string;
}

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

// scanner states, as in CPython's Modules/_csv.c
const START_RECORD = 0;
const START_FIELD = 1;
const IN_FIELD = 2;
const IN_QUOTED = 3;
const QUOTE_IN_QUOTED = 4;

class Slice implements CsvSlice {
  constructor(
    readonly raw: Buffer,
    readonly sepBefore: Buffer,
    readonly line: number,
    readonly offset: number,
    readonly fields: number,
    readonly bounds: number[],
    private readonly quote: number,
  ) {}
  get cells(): string[] {
    return cellsOf(this.raw, this.bounds, this.quote, 'utf8');
  }
}

/** The cells of a record from its bytes and field bounds; `latin1` reads each byte as one character (fast, exact for ASCII). */
export function cellsOf(raw: Buffer, bounds: number[], quote: number, encoding: 'utf8' | 'latin1'): string[] {
  const cells: string[] = new Array(bounds.length / 2);
  for (let f = 0; f < cells.length; f++) cells[f] = cellOf(raw, bounds[2 * f]!, bounds[2 * f + 1]!, quote, encoding);
  return cells;
}

function cellOf(raw: Buffer, start: number, end: number, quote: number, encoding: 'utf8' | 'latin1'): string {
  if (start >= end || raw[start] !== quote) return raw.toString(encoding, start, end);
  // a quoted field: doubled quotes are one quote; after the closing quote, the rest is literal text
  let text = '';
  let i = start + 1;
  for (;;) {
    const q = raw.indexOf(quote, i);
    if (q < 0 || q >= end) return text + raw.toString(encoding, i, end);
    text += raw.toString(encoding, i, q);
    if (q + 1 < end && raw[q + 1] === quote) {
      text += String.fromCharCode(quote);
      i = q + 2;
      continue;
    }
    return text + raw.toString(encoding, q + 1, end);
  }
}

function countLf(buf: Buffer): number {
  let n = 0;
  let i = buf.indexOf(LF);
  while (i >= 0) {
    n++;
    i = buf.indexOf(LF, i + 1);
  }
  return n;
}

export class CsvScanner {
  private readonly delimiter: number;
  private readonly quote: number;
  private state = START_RECORD;
  /** Absolute offset of the first byte not yet handed out (the start of the pending separator). */
  private pendingStart = 0;
  /** Absolute offset of the record being read (-1 between records). */
  private recordStart = -1;
  private fieldStart = 0;
  private bounds: number[] = [];
  /** Bytes from `pendingStart` to the end of the previous chunk, copied. */
  private carry: Buffer[] = [];
  private carryLength = 0;
  private base = 0;
  private line = 1;
  fatal?: CsvFatal;

  constructor(
    shape: Pick<CsvShape, 'delimiter' | 'quote'>,
    private readonly maxRecordBytes: number,
  ) {
    if (Buffer.byteLength(shape.delimiter) !== 1 || Buffer.byteLength(shape.quote) !== 1) throw new Error('the CSV delimiter and quote must be one byte each');
    this.delimiter = shape.delimiter.charCodeAt(0);
    this.quote = shape.quote.charCodeAt(0);
  }

  /** Scans a chunk; complete records are appended to `out`. Stops for good at the first fatal problem. */
  push(chunk: Buffer, out: CsvSlice[]): void {
    if (this.fatal) return;
    const base = this.base;
    const n = chunk.length;
    const delimiter = this.delimiter;
    const quote = this.quote;
    let state = this.state;
    let i = 0;
    while (i < n) {
      const b = chunk[i]!;
      switch (state) {
        case START_RECORD:
          if (b === LF || b === CR) {
            i++;
            continue;
          }
          this.recordStart = base + i;
          this.bounds = [];
          state = START_FIELD;
          continue; // the byte opens the first field
        case START_FIELD:
          this.fieldStart = base + i;
          if (b === quote) {
            state = IN_QUOTED;
            i++;
          } else if (b === delimiter) {
            this.bounds.push(base + i, base + i);
            i++;
          } else if (b === LF || b === CR) {
            this.bounds.push(base + i, base + i);
            this.endRecord(chunk, i, out);
            if (this.fatal) return;
            state = START_RECORD;
          } else {
            state = IN_FIELD;
            i++;
          }
          continue;
        case IN_FIELD: {
          let j = i;
          while (j < n) {
            const c = chunk[j]!;
            if (c === delimiter || c === LF || c === CR) break;
            j++;
          }
          i = j;
          if (j === n) continue;
          this.bounds.push(this.fieldStart, base + j);
          if (chunk[j] === delimiter) {
            state = START_FIELD;
            i++;
          } else {
            this.endRecord(chunk, j, out);
            if (this.fatal) return;
            state = START_RECORD;
          }
          continue;
        }
        case IN_QUOTED: {
          const q = chunk.indexOf(quote, i);
          if (q < 0) {
            i = n;
            continue;
          }
          state = QUOTE_IN_QUOTED;
          i = q + 1;
          continue;
        }
        case QUOTE_IN_QUOTED:
          if (b === quote) {
            state = IN_QUOTED;
            i++;
          } else if (b === delimiter) {
            this.bounds.push(this.fieldStart, base + i);
            state = START_FIELD;
            i++;
          } else if (b === LF || b === CR) {
            this.bounds.push(this.fieldStart, base + i);
            this.endRecord(chunk, i, out);
            if (this.fatal) return;
            state = START_RECORD;
          } else {
            // text after a closing quote: part of the field (non-strict)
            state = IN_FIELD;
            i++;
          }
          continue;
      }
    }
    this.state = state;
    this.base += n;
    // keep what is not yet handed out: the pending separator and the record being read
    const keepFrom = Math.max(0, this.pendingStart - base);
    if (keepFrom < n) {
      this.carry.push(Buffer.from(chunk.subarray(keepFrom)));
      this.carryLength += n - keepFrom;
    }
    if (this.recordStart >= 0 && this.base - this.recordStart > this.maxRecordBytes) {
      this.fatal = {
        code: 'record_too_long',
        message: `a record is larger than the size limit of ${this.maxRecordBytes} bytes`,
        line: this.line + this.lfBetween(this.pendingStart, this.recordStart),
        hint: 'raise --max-record-bytes if the record is genuine, or check for an unclosed quote',
      };
      this.carry = [];
      this.carryLength = 0;
    }
  }

  /** Ends the input: the last record (if unterminated) goes to `out`; returns the bytes after the last record. */
  end(out: CsvSlice[]): Buffer {
    if (this.fatal) return EMPTY;
    if (this.state === IN_QUOTED) {
      this.fatal = {
        code: 'csv_unclosed_quote',
        message: `a quoted field opened on or after line ${this.line + this.lfBetween(this.pendingStart, this.recordStart)} is never closed`,
        line: this.line + this.lfBetween(this.pendingStart, this.recordStart),
        hint: 'close the quote, or escape a literal quote by doubling it ("")',
      };
      return EMPTY;
    }
    if (this.state !== START_RECORD) {
      this.bounds.push(this.fieldStart, this.base);
      this.endRecord(EMPTY, 0, out);
      this.state = START_RECORD;
    }
    const rest = this.carry.length === 1 ? this.carry[0]! : Buffer.concat(this.carry, this.carryLength);
    this.carry = [];
    this.carryLength = 0;
    return rest;
  }

  /** Line feeds in the carried bytes between two absolute offsets (for a fatal problem's line). */
  private lfBetween(from: number, to: number): number {
    if (to <= from) return 0;
    const all = Buffer.concat(this.carry, this.carryLength);
    return countLf(all.subarray(0, Math.min(all.length, to - from)));
  }

  /** The record ends before `chunk[at]` (its line ending, or the end of the input). */
  private endRecord(chunk: Buffer, at: number, out: CsvSlice[]): void {
    const base = this.base;
    const end = base + at;
    // the bytes from the pending separator's start to the record's end, without a copy when they lie in this chunk
    let span: Buffer;
    let spanStart: number;
    if (this.carryLength === 0) {
      span = chunk;
      spanStart = base;
    } else {
      const keepFrom = Math.max(0, this.pendingStart - base);
      span = Buffer.concat([...this.carry, chunk.subarray(keepFrom, at)]);
      spanStart = this.pendingStart;
      this.carry = [];
      this.carryLength = 0;
    }
    const sepBefore = span.subarray(this.pendingStart - spanStart, this.recordStart - spanStart);
    const raw = span.subarray(this.recordStart - spanStart, end - spanStart);
    const recordStart = this.recordStart;
    const bounds = this.bounds;
    for (let k = 0; k < bounds.length; k++) bounds[k] = bounds[k]! - recordStart;
    if (end - recordStart > this.maxRecordBytes && !this.fatal) {
      this.fatal = {
        code: 'record_too_long',
        message: `a record is larger than the size limit of ${this.maxRecordBytes} bytes`,
        line: this.line + countLf(sepBefore),
        hint: 'raise --max-record-bytes if the record is genuine, or check for an unclosed quote',
      };
      return;
    }
    this.line += countLf(sepBefore);
    out.push(new Slice(raw, sepBefore, this.line, recordStart, bounds.length / 2, bounds, this.quote));
    this.line += countLf(raw);
    this.pendingStart = end;
    this.recordStart = -1;
    this.bounds = [];
  }
}

/**
 * Yields every CSV record (header included, as the first slice when `shape.header`) with its bytes,
 * the separator bytes before it and its start line. The trailing bytes come back through `onEnd`.
 */
export async function* csvSlices(
  chunks: AsyncIterable<Buffer>,
  shape: CsvShape,
  maxRecordBytes: number,
  onEnd: (suffix: Buffer, fatal?: CsvFatal) => void,
): AsyncGenerator<CsvSlice> {
  for await (const batch of csvBatches(chunks, shape, maxRecordBytes, onEnd)) yield* batch;
}

/** As csvSlices, a chunk's records at a time. */
export async function* csvBatches(
  chunks: AsyncIterable<Buffer>,
  shape: CsvShape,
  maxRecordBytes: number,
  onEnd: (suffix: Buffer, fatal?: CsvFatal) => void,
): AsyncGenerator<CsvSlice[]> {
  const scanner = new CsvScanner(shape, maxRecordBytes);
  for await (const chunk of chunks) {
    const out: CsvSlice[] = [];
    scanner.push(chunk, out);
    if (out.length) yield out;
    if (scanner.fatal) break;
  }
  const out: CsvSlice[] = [];
  const suffix = scanner.end(out);
  if (out.length) yield out;
  onEnd(suffix, scanner.fatal);
}
