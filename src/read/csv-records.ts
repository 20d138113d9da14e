// Streams CSV/TSV records through csv-parse and cuts each record's exact source bytes out of the
// input by csv-parse's byte counter, so that a record passes through unchanged. Quirky files are
// read as Python's csv module reads them (see the options below).
import { parse, CsvError } from 'csv-parse';
import { once } from 'node:events';
import type { CsvShape } from './types.js';
import type { LineSlice } from './jsonl-splitter.js';

export interface CsvSlice extends LineSlice {
  cells: string[];
}

export interface CsvFatal {
  code: 'csv_unclosed_quote' | 'csv_invalid' | 'record_too_long';
  message: string;
  line: number;
  hint: string;
}

/** Holds the input bytes that csv-parse has not yet reported as part of a record. */
class ByteWindow {
  private chunks: Buffer[] = [];
  private start = 0; // absolute offset of chunks[0]
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
  }
  /** Bytes [from, to) by absolute offset; drops everything before `to`. */
  take(from: number, to: number): Buffer {
    const parts: Buffer[] = [];
    let offset = this.start;
    let k = 0;
    for (; k < this.chunks.length; k++) {
      const c = this.chunks[k]!;
      const cEnd = offset + c.length;
      if (cEnd > from && offset < to) parts.push(c.subarray(Math.max(0, from - offset), Math.min(c.length, to - offset)));
      if (cEnd > to) break;
      offset = cEnd;
    }
    // drop fully consumed chunks
    let drop = 0;
    let s = this.start;
    while (drop < this.chunks.length && s + this.chunks[drop]!.length <= to) {
      s += this.chunks[drop]!.length;
      drop++;
    }
    if (drop) {
      this.chunks.splice(0, drop);
      this.start = s;
    }
    return parts.length === 1 ? Buffer.from(parts[0]!) : Buffer.concat(parts);
  }
}

function countLf(buf: Buffer): number {
  let n = 0;
  let i = buf.indexOf(0x0a);
  while (i >= 0) {
    n++;
    i = buf.indexOf(0x0a, i + 1);
  }
  return n;
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
  const parser = parse({
    delimiter: shape.delimiter,
    quote: shape.quote,
    relax_column_count: true,
    // as Python's csv reads (its default, non-strict dialect): a quote inside an unquoted field is
    // an ordinary character, and any of CRLF, LF and CR ends a record, mixed in one file
    relax_quotes: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    skip_empty_lines: true,
    info: true,
    max_record_size: maxRecordBytes,
  });
  const window = new ByteWindow();
  let producerError: unknown;
  const producer = (async () => {
    try {
      for await (const chunk of chunks) {
        window.push(chunk);
        if (!parser.write(chunk)) await once(parser, 'drain');
      }
      parser.end();
    } catch (e) {
      producerError = e;
      parser.destroy(e as Error);
    }
  })();

  let consumed = 0;
  let line = 1;
  let pendingSep: Buffer = Buffer.alloc(0);
  let fatal: CsvFatal | undefined;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { bytes: number } }>) {
      const sliceStart = consumed;
      let slice: Buffer = window.take(consumed, item.info.bytes);
      consumed = item.info.bytes;
      // leading line breaks are blank lines that csv-parse skipped: they belong to the separator
      let lead = 0;
      while (lead < slice.length && (slice[lead] === 0x0a || slice[lead] === 0x0d)) lead++;
      let trail = slice.length;
      if (trail > lead && slice[trail - 1] === 0x0a) trail--;
      if (trail > lead && slice[trail - 1] === 0x0d) trail--;
      const sepBefore = Buffer.concat([pendingSep, slice.subarray(0, lead)]);
      line += countLf(slice.subarray(0, lead));
      const raw = slice.subarray(lead, trail);
      yield { raw, sepBefore, line, offset: sliceStart + lead, cells: item.record };
      line += countLf(slice.subarray(lead));
      pendingSep = slice.subarray(trail);
      slice = Buffer.alloc(0);
    }
  } catch (e) {
    // csv-parse may throw from write() (the producer) as well as from the stream (the consumer)
    const cause = producerError ?? e;
    if (cause instanceof CsvError) fatal = csvFatal(cause, line, maxRecordBytes);
    else throw cause;
  }
  await producer;
  if (producerError && !fatal) throw producerError;
  const rest = fatal ? Buffer.alloc(0) : window.take(consumed, Number.MAX_SAFE_INTEGER);
  onEnd(Buffer.concat([pendingSep, rest]), fatal);
}

function csvFatal(e: CsvError, line: number, maxRecordBytes: number): CsvFatal {
  const at = (e as unknown as { lines?: number }).lines ?? line;
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return { code: 'csv_unclosed_quote', message: `a quoted field opened on or after line ${line} is never closed`, line, hint: 'close the quote, or escape a literal quote by doubling it ("")' };
    case 'CSV_MAX_RECORD_SIZE':
      return { code: 'record_too_long', message: `a record is larger than the size limit of ${maxRecordBytes} bytes`, line: Math.max(at, line), hint: 'raise --max-record-bytes if the record is genuine, or check for an unclosed quote' };
    default:
      return { code: 'csv_invalid', message: `${e.message.replace(/^Invalid \w+: /, '')}`, line: at, hint: 'fix the quoting on that line: a field with a quote, delimiter or line break must be wholly quoted, with inner quotes doubled' };
  }
}
