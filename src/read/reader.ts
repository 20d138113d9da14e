// The read stage's shell: opens a file or standard input, sniffs the container, and streams
// SourceRecords (exact bytes, position, parsed value or the problem that stops it) while it
// learns the file's layout. All parsing rules live in the pure splitters it drives.
import { createReadStream, promises as fsp } from 'node:fs';
import { basename } from 'node:path';
import { createHash, type Hash } from 'node:crypto';
import { SafemixError, ExitCode } from '../errors.js';
import { checkForbiddenKeys, checkRecordBytes } from './record-checks.js';
import { JsonlSplitter, type LineSlice } from './jsonl-splitter.js';
import { JsonArrayScanner } from './json-array-scanner.js';
import { csvSlices, type CsvFatal } from './csv-records.js';
import { sniffContainer, sniffCsvShape, SNIFF_BYTES } from './sniff.js';
import { DEFAULT_MAX_RECORD_BYTES, type Container, type CsvShape, type Layout, type ReadOptions, type RecordIssue, type SourceRecord } from './types.js';

const CHUNK_BYTES = 1024 * 1024;
const EMPTY: Buffer = Buffer.alloc(0);
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export interface OpenedInput {
  /** Path given by the user (`-` for standard input). */
  path: string;
  /** Name used in messages. */
  name: string;
  size?: number;
  head: Buffer;
  chunks: AsyncIterable<Buffer>;
}

/** Opens a path (or `-`) and reads its first bytes for sniffing; the rest stays streamed. */
export async function openInput(path: string, displayName?: string): Promise<OpenedInput> {
  const name = displayName ?? (path === '-' ? '<stdin>' : path);
  let stream: AsyncIterable<Buffer>;
  let size: number | undefined;
  if (path === '-') {
    stream = process.stdin;
  } else {
    let st;
    try {
      st = await fsp.stat(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new SafemixError('input_missing', 'no such file', { position: { file: name }, hint: 'check the path' });
      throw new SafemixError('input_unreadable', `cannot read the file (${code ?? String(e)})`, { position: { file: name }, hint: 'check the permissions' });
    }
    if (st.isDirectory()) throw new SafemixError('input_is_directory', 'is a directory, not a dataset file', { position: { file: name }, hint: 'give one dataset file (JSONL, JSON array, CSV or TSV)' });
    size = st.size;
    stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  }
  const iterator = stream[Symbol.asyncIterator]();
  const buffered: Buffer[] = [];
  let headLength = 0;
  let done = false;
  try {
    while (headLength < SNIFF_BYTES) {
      const next = await iterator.next();
      if (next.done) {
        done = true;
        break;
      }
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : (next.value as Buffer);
      buffered.push(chunk);
      headLength += chunk.length;
    }
  } catch (e) {
    throw new SafemixError('input_unreadable', `cannot read the input (${(e as Error).message})`, { position: { file: name }, hint: 'check the path and permissions' });
  }
  const head = Buffer.concat(buffered);
  if (head.length === 0) throw new SafemixError('input_empty', 'the file is empty: there are no records to read', { position: { file: name }, hint: 'give a dataset with at least one record' });
  const chunks = (async function* () {
    yield* buffered;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield typeof next.value === 'string' ? Buffer.from(next.value) : (next.value as Buffer);
    }
  })();
  return { path, name, size, head, chunks };
}

export interface DatasetReaderInit {
  input: OpenedInput;
  container: Container;
  containerEvidence: string;
  csv?: CsvShape & { headerEvidence?: string };
  maxRecordBytes: number;
  hash?: boolean;
  parse?: boolean;
}

/** Streams one pass over a dataset. Open it with `DatasetReader.open`, iterate `records()` once. */
export class DatasetReader {
  readonly name: string;
  readonly path: string;
  readonly container: Container;
  readonly containerEvidence: string;
  readonly csv?: CsvShape & { headerEvidence?: string };
  /** Filled in while reading; complete once `records()` has finished. */
  readonly layout: Layout;
  /** Bytes read so far (for progress). */
  bytesRead = 0;
  readonly size?: number;
  private readonly input: OpenedInput;
  private readonly maxRecordBytes: number;
  private readonly parse: boolean;
  private readonly separators = new Map<string, number>();
  private readonly hash?: Hash;

  private constructor(init: DatasetReaderInit) {
    this.input = init.input;
    this.name = init.input.name;
    this.path = init.input.path;
    this.size = init.input.size;
    this.container = init.container;
    this.containerEvidence = init.containerEvidence;
    this.csv = init.csv;
    this.maxRecordBytes = init.maxRecordBytes;
    this.parse = init.parse ?? true;
    if (init.hash) this.hash = createHash('sha256');
    this.layout = {
      container: init.container,
      prefix: Buffer.alloc(0),
      suffix: Buffer.alloc(0),
      separator: Buffer.alloc(0),
      bom: false,
      eol: init.csv?.eol ?? '\n',
      elementIndent: '',
      csv: init.csv,
    };
  }

  static async open(path: string, options: ReadOptions = {}): Promise<DatasetReader> {
    const input = await openInput(path, options.displayName);
    const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    let container = options.container;
    let containerEvidence = 'given by --container';
    if (!container) {
      const guess = sniffContainer(input.head, path === '-' ? '' : basename(path));
      container = guess.container;
      containerEvidence = guess.evidence;
    }
    let csv: (CsvShape & { headerEvidence?: string }) | undefined;
    if (container === 'csv' || container === 'tsv') {
      csv = sniffCsvShape(input.head, container, { delimiter: options.delimiter, header: options.header });
      if (csv.header) {
        const seen = new Set<string>();
        for (const c of csv.columns) {
          if (seen.has(c))
            throw new SafemixError('csv_duplicate_header', `the header names column "${c}" twice`, {
              position: { file: input.name, line: 1, field: c },
              hint: 'give every column a distinct name in the header row',
            });
          seen.add(c);
        }
      }
    }
    return new DatasetReader({ input, container, containerEvidence, csv, maxRecordBytes, hash: options.hash, parse: options.parse });
  }

  /** Streams the records. Record problems are reported on the record; framing errors throw. */
  async *records(): AsyncGenerator<SourceRecord> {
    const counted = this.countBytes(this.input.chunks);
    if (this.container === 'csv' || this.container === 'tsv') yield* this.csvRecords(counted);
    else {
      let first = true;
      for await (const record of this.jsonRecords(counted)) {
        if (first && this.container === 'jsonl' && record.problem?.code === 'invalid_json') {
          await rejectObjectDocument(this.path, this.name, this.input.head, this.size, this.maxRecordBytes);
        }
        first = false;
        yield record;
      }
    }
    this.layout.separator = this.mostCommonSeparator();
  }

  private async *countBytes(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const c of chunks) {
      this.bytesRead += c.length;
      this.hash?.update(c);
      yield c;
    }
  }

  /** Hex sha256 of every byte read; call after `records()` has finished. Needs `hash: true`. */
  sha256(): string {
    if (!this.hash) throw new Error('DatasetReader opened without hash: true');
    return this.hash.copy().digest('hex');
  }

  private noteSeparator(sep: Buffer): void {
    if (sep.length > 64 || this.separators.size > 32) return;
    const key = sep.toString('latin1');
    this.separators.set(key, (this.separators.get(key) ?? 0) + 1);
  }

  private mostCommonSeparator(): Buffer {
    let best: string | undefined;
    let count = 0;
    for (const [k, c] of this.separators) if (c > count) [best, count] = [k, c];
    if (best !== undefined) return Buffer.from(best, 'latin1');
    // a single record: derive the separator from the framing
    if (this.container === 'json-array') {
      const pretty = this.layout.prefix.includes(0x0a);
      return Buffer.from(pretty ? `,${this.layout.eol}${this.layout.elementIndent}` : ', ');
    }
    return Buffer.from(this.layout.eol);
  }

  private async *jsonRecords(chunks: AsyncIterable<Buffer>): AsyncGenerator<SourceRecord> {
    const arrayMode = this.container === 'json-array';
    const splitter = arrayMode ? new JsonArrayScanner(this.maxRecordBytes) : new JsonlSplitter(this.maxRecordBytes);
    const out: LineSlice[] = [];
    let index = 0;
    const self = this;
    function* drain(): Generator<SourceRecord> {
      for (const slice of out) {
        if (index === 0) self.layout.prefix = splitter.prefix;
        else self.noteSeparator(slice.sepBefore);
        yield self.jsonRecord(slice, index++);
      }
      out.length = 0;
    }
    for await (const chunk of chunks) {
      splitter.push(chunk, out);
      if (arrayMode && (splitter as JsonArrayScanner).problem) break;
      yield* drain();
    }
    const suffix = arrayMode ? (splitter as JsonArrayScanner).end() : (splitter as JsonlSplitter).end(out);
    yield* drain();
    if (arrayMode) {
      const problem = (splitter as JsonArrayScanner).problem;
      if (problem) {
        throw new SafemixError('json_array_syntax', problem.message, { position: { file: this.name, line: problem.line }, hint: problem.hint });
      }
      this.layout.elementIndent = (splitter as JsonArrayScanner).elementIndent;
    }
    if (index === 0) {
      this.layout.prefix = splitter.prefix;
      if (!arrayMode) throw new SafemixError('input_empty', 'the file holds only blank lines: there are no records', { position: { file: this.name }, hint: 'give a dataset with at least one record' });
    }
    this.layout.suffix = suffix;
    this.layout.bom = splitter.bom;
    this.layout.eol = splitter.crlf > splitter.lf ? '\r\n' : '\n';
  }

  private jsonRecord(slice: LineSlice, index: number): SourceRecord {
    const base = { index, line: slice.line, offset: slice.offset, raw: slice.raw, sepBefore: slice.sepBefore, value: undefined as unknown };
    const fail = (problem: RecordIssue): SourceRecord => ({ ...base, problem });
    if (slice.tooLong !== undefined) {
      return fail({
        code: 'record_too_long',
        message: `the record is ${slice.tooLong} bytes, over the limit of ${this.maxRecordBytes} bytes`,
        hint: this.container === 'jsonl' ? 'raise --max-record-bytes if the record is genuine; a JSON Lines record must sit on one line' : 'raise --max-record-bytes if the record is genuine',
      });
    }
    if (!this.parse) return base;
    const bytesProblem = checkRecordBytes(slice.raw);
    if (bytesProblem) return fail(bytesProblem);
    let value: unknown;
    try {
      value = JSON.parse(slice.raw.toString('utf8'));
    } catch (e) {
      return fail({ code: 'invalid_json', message: `invalid JSON: ${(e as Error).message}`, hint: this.container === 'jsonl' ? 'each line must be one complete JSON object; fix or remove this line' : 'fix the JSON of this record' });
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
      return { ...base, problem: { code: 'not_an_object', message: `the record is ${kind}, not a JSON object`, hint: 'every record must be a JSON object such as {"messages": [...]}' } };
    }
    const keyProblem = checkForbiddenKeys(slice.raw, value);
    if (keyProblem) return fail(keyProblem);
    return { ...base, value };
  }

  private async *csvRecords(chunks: AsyncIterable<Buffer>): AsyncGenerator<SourceRecord> {
    const shape = this.csv!;
    const columns = shape.columns;
    let bom = false;
    let first = true;
    async function* stripBom(): AsyncGenerator<Buffer> {
      for await (let c of chunks) {
        if (first) {
          first = false;
          if (c.length >= 3 && c[0] === 0xef && c[1] === 0xbb && c[2] === 0xbf) {
            bom = true;
            c = c.subarray(3);
          }
        }
        yield c;
      }
    }
    let suffix: Buffer = Buffer.alloc(0);
    let fatal: CsvFatal | undefined;
    let index = 0;
    let sawHeader = !shape.header;
    let headerBytes: Buffer = EMPTY;
    for await (const slice of csvSlices(stripBom(), shape, this.maxRecordBytes, (s, f) => ((suffix = s), (fatal = f)))) {
      if (!sawHeader) {
        sawHeader = true;
        headerBytes = Buffer.concat([slice.sepBefore, slice.raw]);
        continue;
      }
      // the BOM, the header and its line ending belong to the prefix
      if (index === 0) this.layout.prefix = Buffer.concat([bom ? BOM : EMPTY, headerBytes, slice.sepBefore]);
      else this.noteSeparator(slice.sepBefore);
      const record: SourceRecord = { index, line: slice.line, offset: slice.offset + (bom ? 3 : 0), row: index + 1, raw: slice.raw, sepBefore: index === 0 ? Buffer.alloc(0) : slice.sepBefore, value: undefined };
      index++;
      const bytesProblem = checkRecordBytes(slice.raw);
      if (bytesProblem) {
        yield { ...record, problem: bytesProblem };
        continue;
      }
      if (slice.cells.length !== columns.length) {
        yield {
          ...record,
          problem: {
            code: 'csv_ragged_row',
            message: `the row has ${slice.cells.length} fields, but ${shape.header ? 'the header has' : 'the first row has'} ${columns.length}`,
            hint: `give every row ${columns.length} fields; quote any field that contains the delimiter ${JSON.stringify(shape.delimiter)}`,
          },
        };
        continue;
      }
      const value: Record<string, string> = {};
      for (let c = 0; c < columns.length; c++) value[columns[c]!] = slice.cells[c]!;
      const keyProblem = checkForbiddenKeys(undefined, value);
      yield keyProblem ? { ...record, problem: keyProblem } : { ...record, value };
    }
    if (fatal) {
      const f = fatal as CsvFatal;
      throw new SafemixError(f.code, f.message, { position: { file: this.name, line: f.line }, hint: f.hint });
    }
    if (index === 0) this.layout.prefix = Buffer.concat([bom ? BOM : EMPTY, headerBytes, suffix]);
    else this.layout.suffix = suffix;
    this.layout.bom = bom;
    if (index === 0 && !shape.header) throw new SafemixError('input_empty', 'the file has no rows', { position: { file: this.name }, hint: 'give a dataset with at least one record' });
  }
}

/** Paths of arrays of objects inside a JSON document, for the "object, not a list" message. */
export function findRecordLists(value: unknown, path = '$', depth = 0, out: { path: string; records: number }[] = []): { path: string; records: number }[] {
  if (depth > 4 || out.length >= 10) return out;
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) out.push({ path, records: value.length });
    return out;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) findRecordLists(v, /^[A-Za-z_]\w*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`, depth + 1, out);
  }
  return out;
}

/**
 * When a "{"-led file fails as JSON Lines on its first line, tells whether the whole file is one
 * JSON object and throws the error that says where its lists of records are.
 */
export async function rejectObjectDocument(path: string, name: string, head: Buffer, size: number | undefined, maxBytes: number): Promise<void> {
  let text: string;
  if (size !== undefined && size <= head.length) text = head.toString('utf8');
  else if (path !== '-' && size !== undefined && size <= maxBytes) text = await fsp.readFile(path, 'utf8');
  else return;
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return;
  const lists = findRecordLists(doc);
  const where = lists.length
    ? `lists of records found inside it at ${lists.map((l) => `${l.path} (${l.records} records)`).join(', ')}`
    : 'no list of records was found inside it';
  const example = lists[0] ? ` for example: jq -c '${lists[0].path.slice(1) || '.'}[]' ${name} > records.jsonl` : '';
  throw new SafemixError('json_object_document', `the file is one JSON object, not a list of records: ${where}`, {
    position: { file: name, line: 1 },
    hint: `give a JSON array of records or JSON Lines;${example}`,
    exitCode: ExitCode.usage,
  });
}
