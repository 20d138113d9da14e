// The read stage's shell: opens a file or standard input, sniffs the container, and streams
// SourceRecords (exact bytes, position, parsed value or the problem that stops it) while it
// learns the file's layout. All parsing rules live in the pure splitters it drives.
import { closeSync, read as readFd, promises as fsp } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createGunzip } from 'node:zlib';
import { PARALLEL_MIN_BYTES, Sha256 } from '../sha256.js';
import { SafemixError, ExitCode } from '../errors.js';
import { openReadable } from '../io/open-readable.js';
import { approximateValue, checkForbiddenKeys, checkNesting, checkRecordBytes, FORBIDDEN_KEYS } from './record-checks.js';
import { classifyInput, inputKindError } from './input-kind.js';
import { JsonlSplitter, type LineSlice } from './jsonl-splitter.js';
import { JsonArrayScanner } from './json-array-scanner.js';
import { JsonNestedScanner, type NestedSlice, type PathStep } from './json-nested-scanner.js';
import { formatRecordPath, inferRecordPath, parseRecordPath } from './record-path.js';
import { csvBatches, cellsOf, CsvScanner, type CsvFatal, type CsvSlice } from './csv-records.js';
import { sniffContainer, sniffCsvShape, SNIFF_BYTES } from './sniff.js';
import { ParquetSource, rowJson, type ParquetInfo } from './parquet-records.js';
import { DEFAULT_MAX_RECORD_BYTES, type Container, type CsvShape, type Layout, type ReadOptions, type RecordIssue, type SourceRecord } from './types.js';

const CHUNK_BYTES = 1024 * 1024;
/** Blocks in the ring of a reader that reuses its blocks (ReadOptions.reuseBlocks). */
const READ_RING = 4;
/** Records per batch (see DatasetReader.batches). */
const BATCH_RECORDS = 256;
const EMPTY: Buffer = Buffer.alloc(0);
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export interface OpenedInput {
  /** Path given by the user (`-` for standard input). */
  path: string;
  /** Name used in messages. */
  name: string;
  /** Size of the file as stored (compressed, for gzip). */
  size?: number;
  /** The first bytes of the text (decompressed, for gzip), for sniffing. */
  head: Buffer;
  /** Whether `head` holds the whole text. */
  complete: boolean;
  /** The text's bytes (decompressed, for gzip), head included. */
  chunks: AsyncIterable<Buffer>;
  /** `gzip` when the file is gzip-compressed (by its magic bytes, whatever its name). */
  compression?: 'gzip';
  /**
   * `parquet` for a Parquet file given by its path: its rows are read from the file by position
   * (read/parquet-records.ts); `chunks` then carries the file's bytes only for the byte count and hashes.
   */
  format?: 'parquet';
  /**
   * Calls `fn` with every chunk of the file as stored (compressed, for gzip) once it has been read,
   * including those read before the call: what byte counts and the input's sha256 are taken from.
   */
  tapStored(fn: (chunk: Buffer) => void): void;
  /** Stops reading and releases the file (after an error). */
  close(): void;
  /**
   * Plain files only: from the next read on, blocks come from a fixed ring of READ_RING blocks and
   * are overwritten by later reads, instead of a new block per read. A pass that copies a gigabyte
   * then allocates no memory outside the heap; every block allocated would otherwise count towards
   * the engine's external memory and start a full collection every few dozen megabytes. A block's
   * bytes stay valid while the consumer is handed the next READ_RING - 2 blocks; handing over the
   * one after that starts the read ahead that overwrites it.
   */
  reuseBlocks?: () => void;
}

const isWhitespace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

function allWhitespace(buf: Buffer, from: number): boolean {
  for (let i = from; i < buf.length; i++) if (!isWhitespace(buf[i]!)) return false;
  return true;
}

/**
 * A file's bytes in CHUNK_BYTES blocks, the next block read ahead (on the thread pool) while the
 * current one is used. `destroy` closes the file at once; a read in flight is then discarded.
 * `reuseBlocks` turns on the ring (see OpenedInput.reuseBlocks) for the reads not yet issued.
 */
function fileChunks(path: string, name: string): AsyncIterable<Buffer> & { destroy: () => void; reuseBlocks: () => void } {
  let fd: number | undefined = openReadable(path, name);
  const destroy = () => {
    if (fd === undefined) return;
    closeSync(fd);
    fd = undefined;
    // the reader outlives its pass (its layout and hash are read later): its blocks need not
    ring = undefined;
  };
  let ring: Buffer[] | undefined;
  let reads = 0;
  const readAt = (position: number): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      if (fd === undefined) return resolve(EMPTY);
      const buf = ring ? ring[reads++ % READ_RING]! : Buffer.allocUnsafeSlow(CHUNK_BYTES);
      readFd(fd, buf, 0, CHUNK_BYTES, position, (err, n) => (err ? reject(err) : resolve(buf.subarray(0, n))));
    });
  async function* chunks(): AsyncGenerator<Buffer> {
    let position = 0;
    let next = readAt(0);
    try {
      for (;;) {
        const chunk = await next;
        if (chunk.length === 0) return;
        position += chunk.length;
        next = readAt(position);
        // a read still in flight when the consumer stops must not surface as an unhandled rejection
        next.catch(() => {});
        yield chunk;
      }
    } finally {
      destroy();
    }
  }
  const iterable = chunks();
  const reuseBlocks = () => {
    ring ??= Array.from({ length: READ_RING }, () => Buffer.allocUnsafeSlow(CHUNK_BYTES));
  };
  return Object.assign(iterable, { destroy, reuseBlocks });
}

/** Reads chunks until `bytes` are buffered or the source ends. */
async function pullHead(iterator: AsyncIterator<unknown>, bytes: number): Promise<{ buffered: Buffer[]; done: boolean }> {
  const buffered: Buffer[] = [];
  let length = 0;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) return { buffered, done: true };
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : (next.value as Buffer);
    buffered.push(chunk);
    length += chunk.length;
  }
  return { buffered, done: false };
}

/** The SafemixError for a failure while reading the input (an I/O error, corrupt gzip data). */
function readError(e: unknown, name: string, compression: 'gzip' | undefined): SafemixError {
  if (e instanceof SafemixError) return e;
  const err = e as NodeJS.ErrnoException;
  if (compression && (err.code?.startsWith('Z_') || err.code === 'ERR_ZLIB_INITIALIZATION_FAILED')) {
    return new SafemixError('input_unreadable', `the gzip data is corrupt or truncated (${err.message})`, {
      position: { file: name },
      hint: 'check the file with gzip -t; download or copy it again',
      cause: e,
    });
  }
  return new SafemixError('input_unreadable', `cannot read the input (${err.code ?? err.message})`, {
    position: { file: name },
    hint: 'check the path, the permissions and the device',
    cause: e,
  });
}

/**
 * Opens a path (or `-`) and reads its first bytes. gzip is decompressed on the fly; UTF-16/UTF-32,
 * other compressions and binary files are refused with an error that says what the file is.
 */
export async function openInput(path: string, displayName?: string): Promise<OpenedInput> {
  const name = displayName ?? (path === '-' ? '<stdin>' : path);
  let stream: AsyncIterable<unknown> & { destroy?: () => void };
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
    if (st.isDirectory())
      throw new SafemixError('input_is_directory', 'is a directory, not a dataset file', {
        position: { file: name },
        hint: 'give one dataset file (JSONL, JSON array, CSV or TSV)',
      });
    if (st.isFile()) size = st.size;
    stream = fileChunks(path, name);
  }
  const close = () => {
    if (path !== '-') stream.destroy?.();
  };
  // every stored chunk is reported once, in order, to the tap (kept until there is one)
  let tap: ((chunk: Buffer) => void) | undefined;
  let pending: Buffer[] = [];
  const report = (c: Buffer) => (tap ? tap(c) : pending.push(c));
  const source = stream[Symbol.asyncIterator]();
  let raw: { buffered: Buffer[]; done: boolean };
  try {
    raw = await pullHead(source, SNIFF_BYTES);
  } catch (e) {
    close();
    throw readError(e, name, undefined);
  }
  const rawHead = Buffer.concat(raw.buffered);
  if (rawHead.length === 0)
    throw new SafemixError('input_empty', 'the file is empty: there are no records to read', {
      position: { file: name },
      hint: 'give a dataset with at least one record',
    });
  const kind = classifyInput(rawHead);
  const stored = async function* (compression: 'gzip' | undefined): AsyncGenerator<Buffer> {
    try {
      for (const c of raw.buffered) {
        report(c);
        yield c;
      }
      // handed on: the generator need not keep the first blocks for the rest of the pass
      raw.buffered = [];
      if (raw.done) return;
      for (;;) {
        const next = await source.next();
        if (next.done) return;
        const c = typeof next.value === 'string' ? Buffer.from(next.value) : (next.value as Buffer);
        report(c);
        yield c;
      }
    } catch (e) {
      throw readError(e, name, compression);
    }
  };
  const opened = {
    path,
    name,
    size,
    tapStored(fn: (chunk: Buffer) => void) {
      tap = fn;
      for (const c of pending) fn(c);
      pending = [];
    },
    close,
  };
  if (kind.kind === 'gzip') {
    const gunzip = createGunzip();
    // the pipeline destroys the gunzip stream with the source's error, so iterating it rethrows it
    pipeline(Readable.from(stored('gzip')), gunzip).catch(() => {});
    const decoded = gunzip[Symbol.asyncIterator]();
    let text: { buffered: Buffer[]; done: boolean };
    try {
      text = await pullHead(decoded, SNIFF_BYTES);
    } catch (e) {
      close();
      throw readError(e, name, 'gzip');
    }
    const head = Buffer.concat(text.buffered);
    if (head.length === 0) {
      close();
      throw new SafemixError('input_empty', 'the file is gzip data that decompresses to nothing: there are no records to read', {
        position: { file: name },
        hint: 'give a dataset with at least one record',
      });
    }
    const inner = classifyInput(head);
    if (inner.kind !== 'text') {
      close();
      if (inner.kind === 'gzip')
        throw new SafemixError('input_compressed', 'the file is gzip-compressed twice', {
          position: { file: name },
          hint: 'decompress it once: gunzip -c FILE > FILE.once.gz',
        });
      throw inputKindError(inner, name, 'gzip');
    }
    assertNotBlank(head, text.done, name);
    const chunks = (async function* () {
      try {
        yield* text.buffered;
        if (text.done) return;
        for (;;) {
          const next = await decoded.next();
          if (next.done) return;
          yield next.value as Buffer;
        }
      } catch (e) {
        throw readError(e, name, 'gzip');
      }
    })();
    return { ...opened, head, complete: text.done, chunks, compression: 'gzip' };
  }
  if (kind.kind === 'binary' && kind.format === 'Parquet' && path !== '-' && size !== undefined) {
    // a Parquet file in place: read from its footer; its bytes still stream through for the hashes
    const reuseBlocks = (stream as ReturnType<typeof fileChunks>).reuseBlocks;
    return { ...opened, head: rawHead, complete: raw.done, chunks: stored(undefined), reuseBlocks, format: 'parquet' };
  }
  if (kind.kind !== 'text') {
    close();
    throw inputKindError(kind, name);
  }
  assertNotBlank(rawHead, raw.done, name);
  const reuseBlocks = path === '-' ? undefined : (stream as ReturnType<typeof fileChunks>).reuseBlocks;
  return { ...opened, head: rawHead, complete: raw.done, chunks: stored(undefined), reuseBlocks };
}

/** A file of nothing but spaces, tabs and line breaks is empty, whatever its container. */
function assertNotBlank(head: Buffer, complete: boolean, name: string): void {
  const bom = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  if (!complete || !allWhitespace(head, bom)) return;
  const lines = head.subarray(bom).toString('latin1').split('\n').length - 1;
  throw new SafemixError(
    'input_empty',
    `the file holds only whitespace (${head.length - bom} bytes${lines ? `, ${lines} blank line${lines === 1 ? '' : 's'}` : ''}): there are no records to read`,
    {
      position: { file: name },
      hint: 'give a dataset with at least one record',
    },
  );
}

interface DatasetReaderInit {
  input: OpenedInput;
  container: Container;
  containerEvidence: string;
  csv?: CsvShape & { headerEvidence?: string };
  parquet?: ParquetSource;
  maxRecordBytes: number;
  hash?: boolean;
  checksum?: boolean;
  parse?: boolean;
  exactRecords?: number;
  deferParse?: boolean;
  /** A JSON document's record path, and why. */
  nested?: { path: PathStep[]; evidence: string };
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
  /** Bytes of the file read so far, as stored (compressed, for gzip): progress and the manifest's size. */
  bytesRead = 0;
  /** Size of the file as stored. */
  readonly size?: number;
  /** `gzip` when the input is gzip-compressed. */
  readonly compression?: 'gzip';
  /** A Parquet input's footer: its schema and row groups (what a Parquet writer needs). */
  readonly parquet?: ParquetInfo;
  private readonly parquetSource?: ParquetSource;
  private readonly input: OpenedInput;
  private readonly maxRecordBytes: number;
  private readonly parse: boolean;
  private readonly exactRecords: number;
  private readonly deferParse: boolean;
  private readonly nested?: { path: PathStep[]; evidence: string };
  private readonly inheritedKeys = new Set<string>();
  private readonly separators = new Map<string, number>();
  private readonly hash?: Sha256;
  /** CRC-32 of the bytes read so far, when it is kept in-thread (checksum without hash). */
  private crc?: number;

  private constructor(init: DatasetReaderInit) {
    this.input = init.input;
    this.name = init.input.name;
    this.path = init.input.path;
    this.size = init.input.size;
    this.compression = init.input.compression;
    this.container = init.container;
    this.containerEvidence = init.containerEvidence;
    this.csv = init.csv;
    this.parquetSource = init.parquet;
    this.parquet = init.parquet?.info;
    this.maxRecordBytes = init.maxRecordBytes;
    this.parse = init.parse ?? true;
    this.exactRecords = init.exactRecords ?? Number.POSITIVE_INFINITY;
    this.deferParse = init.deferParse === true && init.parse !== false;
    this.nested = init.nested;
    // a large file is hashed on the worker thread, beside the parsing
    if (init.hash) this.hash = new Sha256((init.input.size ?? 0) >= PARALLEL_MIN_BYTES, { crc32: init.checksum });
    else if (init.checksum) this.crc = 0;
    // counts and the sha256 are of the file as stored, so they match `wc -c` and `sha256sum`
    init.input.tapStored((c) => {
      this.bytesRead += c.length;
      this.hash?.update(c);
      if (this.crc !== undefined) this.crc = crc32(c, this.crc);
    });
    this.layout = {
      container: init.container,
      prefix: Buffer.alloc(0),
      suffix: Buffer.alloc(0),
      separator: Buffer.alloc(0),
      bom: false,
      eol: init.csv?.eol ?? '\n',
      elementIndent: '',
      csv: init.csv,
      ...(init.nested ? { recordPath: formatRecordPath(init.nested.path) } : {}),
    };
  }

  static async open(path: string, options: ReadOptions = {}): Promise<DatasetReader> {
    const input = await openInput(path, options.displayName);
    let parquet: ParquetSource | undefined;
    try {
      if (input.format === 'parquet') {
        if (options.container && options.container !== 'parquet')
          throw new SafemixError('usage', `the file is Parquet (it starts with PAR1), not ${options.container}`, {
            position: { file: input.name },
            hint: 'leave out --container (or give --container parquet)',
          });
        parquet = await ParquetSource.open(path, input.name);
      } else if (options.container === 'parquet') {
        throw new SafemixError('usage', '--container parquet, but the file is not Parquet (it does not start with PAR1)', {
          position: { file: input.name },
          hint: 'leave out --container to have the container sniffed',
        });
      }
      return DatasetReader.fromInput(input, path, options, parquet);
    } catch (e) {
      input.close();
      parquet?.close();
      throw e;
    }
  }

  private static fromInput(input: OpenedInput, path: string, options: ReadOptions, parquet?: ParquetSource): DatasetReader {
    const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    if (parquet) {
      if (options.reuseBlocks) input.reuseBlocks?.();
      const evidence = `the file starts and ends with PAR1 (${parquet.info.rows.toLocaleString('en-US')} rows in ${parquet.info.rowGroups.length} row group${parquet.info.rowGroups.length === 1 ? '' : 's'})`;
      return new DatasetReader({
        input,
        container: 'parquet',
        containerEvidence: evidence,
        parquet,
        maxRecordBytes,
        hash: options.hash,
        checksum: options.checksum,
        parse: options.parse,
      });
    }
    let container = options.container;
    let containerEvidence = 'given by --container';
    if (!container) {
      const fileName = path === '-' ? '' : basename(path);
      const guess = sniffContainer(input.head, input.compression === 'gzip' ? fileName.replace(/\.gz$/i, '') : fileName);
      container = guess.container;
      containerEvidence = guess.evidence;
    }
    // a JSON document whose records sit deeper (given by --records, or a "{"-led file that is no JSON Lines)
    let nested: { path: PathStep[]; evidence: string } | undefined;
    if (options.recordPath !== undefined) {
      nested = { path: parseRecordPath(options.recordPath), evidence: `given by --records ${options.recordPath}` };
      container = 'json-array';
      containerEvidence = `a JSON document, records at ${formatRecordPath(nested.path)} (${nested.evidence})`;
    } else if (container === 'jsonl' && !options.container && isJsonDocument(input.head)) {
      const found = inferRecordPath(input.head);
      if (found) {
        nested = { path: found.path, evidence: found.evidence };
        container = 'json-array';
        containerEvidence = `a JSON document, records at ${formatRecordPath(found.path)} (${found.evidence})`;
      }
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
          if ((FORBIDDEN_KEYS as readonly string[]).includes(c))
            throw new SafemixError('csv_forbidden_header', `the header names a column "${c}", a name that can pollute object prototypes in downstream tools`, {
              position: { file: input.name, line: 1, field: c },
              hint: 'rename that column in the header row',
            });
        }
      }
    }
    // the JSON array scanner keeps no promise about how long it holds a block: it gets new blocks
    if (options.reuseBlocks && container !== 'json-array') input.reuseBlocks?.();
    return new DatasetReader({
      input,
      container,
      containerEvidence,
      csv,
      maxRecordBytes,
      hash: options.hash,
      checksum: options.checksum,
      parse: options.parse,
      exactRecords: options.exactRecords,
      deferParse: options.deferParse,
      nested,
    });
  }

  /** Streams the records. Record problems are reported on the record; framing errors throw. */
  async *records(): AsyncGenerator<SourceRecord> {
    for await (const batch of this.batches()) yield* batch;
  }

  /**
   * Streams the records a batch at a time (the records of one read block): the fast way through a
   * large file, with no per-record await. A batch's `raw` bytes may point into the read block: use
   * them before asking for the next batch, or copy them.
   */
  async *batches(): AsyncGenerator<SourceRecord[]> {
    const chunks = this.input.chunks;
    try {
      if (this.parquetSource) yield* this.parquetBatches(this.parquetSource);
      else if (this.container === 'csv' || this.container === 'tsv') yield* this.csvBatches(chunks);
      else {
        let first = true;
        for await (const batch of this.jsonBatches(chunks)) {
          if (first && batch.length) {
            first = false;
            if (this.container === 'jsonl' && batch[0]!.problem?.code === 'invalid_json') {
              // a gzip file cannot be re-read as text: only its decompressed head is looked at
              await rejectObjectDocument(this.compression ? '-' : this.path, this.name, this.input.head, this.input.complete, this.maxRecordBytes);
            }
          }
          yield batch;
        }
      }
    } finally {
      // an early stop (an error, a consumer that breaks) releases the file
      this.input.close();
      this.parquetSource?.close();
    }
    this.layout.separator = this.mostCommonSeparator();
  }

  /** Releases the file without reading it (a caller that stops before `records()`). */
  close(): void {
    this.input.close();
    this.parquetSource?.close();
  }

  /** Hex sha256 of every byte read; call after `records()` has finished. Needs `hash: true`. */
  sha256(): string {
    if (!this.hash) throw new Error('DatasetReader opened without hash: true');
    return this.hash.digestHex();
  }

  /**
   * CRC-32 of every byte read (as stored); call after `records()` has finished. Needs `checksum:
   * true`. A cheap check that a later pass read the same bytes: with `hash` it comes from the same
   * stream (on the worker thread for a large file), else it is computed in-thread (0.2 s a gigabyte).
   */
  crc32(): number {
    if (this.hash) return this.hash.crc32();
    if (this.crc === undefined) throw new Error('DatasetReader opened without checksum: true');
    return this.crc;
  }

  private noteSeparator(sep: Buffer): void {
    if (sep.length > 64 || this.separators.size > 32) return;
    // nearly every separator is one of these: no string is made for them (one per record)
    const key = sep.length === 1 && sep[0] === 0x0a ? '\n' : sep.length === 2 && sep[0] === 0x0d && sep[1] === 0x0a ? '\r\n' : sep.toString('latin1');
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

  private async *jsonBatches(chunks: AsyncIterable<Buffer>): AsyncGenerator<SourceRecord[]> {
    const arrayMode = this.container === 'json-array';
    const splitter = this.nested
      ? new JsonNestedScanner(this.nested.path, this.maxRecordBytes)
      : arrayMode
        ? new JsonArrayScanner(this.maxRecordBytes)
        : new JsonlSplitter(this.maxRecordBytes);
    const out: (LineSlice & { inherited?: Record<string, unknown> })[] = [];
    let index = 0;
    // records are parsed a group at a time: few parsed values are alive at once, so they die young
    // instead of filling the old generation (a read block holds thousands of short records)
    function* drain(self: DatasetReader): Generator<SourceRecord[]> {
      for (let from = 0; from < out.length; from += BATCH_RECORDS) {
        const to = Math.min(out.length, from + BATCH_RECORDS);
        const batch: SourceRecord[] = new Array(to - from);
        for (let i = from; i < to; i++) {
          const slice = out[i]!;
          if (index === 0) self.layout.prefix = splitter.prefix;
          else self.noteSeparator(slice.sepBefore);
          batch[i - from] = self.jsonRecord(slice, index++);
        }
        yield batch;
      }
      out.length = 0;
    }
    for await (const chunk of chunks) {
      splitter.push(chunk, out as NestedSlice[]);
      if (arrayMode && (splitter as JsonArrayScanner | JsonNestedScanner).problem) break;
      yield* drain(this);
    }
    const suffix = arrayMode ? (splitter as JsonArrayScanner | JsonNestedScanner).end() : (splitter as JsonlSplitter).end(out);
    yield* drain(this);
    if (arrayMode) {
      const problem = (splitter as JsonArrayScanner | JsonNestedScanner).problem;
      if (problem) {
        throw new SafemixError('json_array_syntax', problem.message, { position: { file: this.name, line: problem.line }, hint: problem.hint });
      }
      this.layout.elementIndent = (splitter as JsonArrayScanner | JsonNestedScanner).elementIndent;
      if (this.nested) this.layout.inheritedKeys = [...this.inheritedKeys].sort();
    }
    if (index === 0) {
      this.layout.prefix = splitter.prefix;
      if (!arrayMode)
        throw new SafemixError('input_empty', 'the file holds only blank lines: there are no records', {
          position: { file: this.name },
          hint: 'give a dataset with at least one record',
        });
      if (this.nested)
        throw new SafemixError('input_empty', `the JSON document has no record at ${formatRecordPath(this.nested.path)}`, {
          position: { file: this.name, line: 1 },
          hint: 'give the path of its records with --records, e.g. --records data[].paragraphs[].qas[]',
        });
      throw new SafemixError('input_empty', 'the JSON array is empty ([]): there are no records', {
        position: { file: this.name, line: 1 },
        hint: 'give a dataset with at least one record',
      });
    }
    this.layout.suffix = suffix;
    this.layout.bom = splitter.bom;
    this.layout.eol = splitter.crlf > splitter.lf ? '\r\n' : '\n';
  }

  /** A nested record's value with the fields it takes from the objects around it (its own fields win). */
  withInherited(value: unknown, inherited: Record<string, unknown> | undefined): unknown {
    if (!inherited || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const own = value as Record<string, unknown>;
    const out: Record<string, unknown> = { ...own };
    for (const [k, v] of Object.entries(inherited)) {
      if (k in own || (FORBIDDEN_KEYS as readonly string[]).includes(k)) continue;
      out[k] = v;
      this.inheritedKeys.add(k);
    }
    return out;
  }

  /**
   * A record read with `deferParse` (SourceRecord.deferred), read as it would have been without it:
   * its approximate value, or the exact reading and its problem. Its bytes must still be valid.
   */
  readDeferred(record: SourceRecord): SourceRecord {
    return this.jsonRecord({ line: record.line, offset: record.offset, raw: record.raw, sepBefore: record.sepBefore }, record.index, false);
  }

  private jsonRecord(slice: LineSlice & { inherited?: Record<string, unknown> }, index: number, defer = this.deferParse): SourceRecord {
    if (defer && index >= this.exactRecords && slice.tooLong === undefined && !slice.inherited)
      return { index, line: slice.line, offset: slice.offset, raw: slice.raw, sepBefore: slice.sepBefore, value: undefined, deferred: true };
    if (this.parse && index >= this.exactRecords && slice.tooLong === undefined) {
      // the fast reading: every check, no UTF-8 text; anything amiss is read again exactly for its message
      const value = approximateValue(slice.raw);
      if (value !== undefined)
        return {
          index,
          line: slice.line,
          offset: slice.offset,
          raw: slice.raw,
          sepBefore: slice.sepBefore,
          value: this.withInherited(value, slice.inherited),
          approximate: true,
          ...(slice.inherited ? { inherited: slice.inherited } : {}),
        };
    }
    const base = { index, line: slice.line, offset: slice.offset, raw: slice.raw, sepBefore: slice.sepBefore, value: undefined as unknown };
    const fail = (problem: RecordIssue): SourceRecord => ({ ...base, problem });
    if (slice.tooLong !== undefined) {
      return fail({
        code: 'record_too_long',
        message: `the record is ${slice.tooLong} bytes, over the limit of ${this.maxRecordBytes} bytes`,
        hint:
          this.container === 'jsonl'
            ? 'raise --max-record-bytes if the record is genuine; a JSON Lines record must sit on one line'
            : 'raise --max-record-bytes if the record is genuine',
      });
    }
    if (!this.parse) return base;
    const bytesProblem = checkRecordBytes(slice.raw) ?? checkNesting(slice.raw);
    if (bytesProblem) return fail(bytesProblem);
    let value: unknown;
    try {
      value = JSON.parse(slice.raw.toString('utf8'));
    } catch (e) {
      return fail({
        code: 'invalid_json',
        message: `invalid JSON: ${(e as Error).message}`,
        hint: this.container === 'jsonl' ? 'each line must be one complete JSON object; fix or remove this line' : 'fix the JSON of this record',
      });
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
      return {
        ...base,
        problem: {
          code: 'not_an_object',
          message: `the record is ${kind}, not a JSON object`,
          hint: 'every record must be a JSON object such as {"messages": [...]}',
        },
      };
    }
    const keyProblem = checkForbiddenKeys(slice.raw, value);
    if (keyProblem) return fail(keyProblem);
    return { ...base, value: this.withInherited(value, slice.inherited), ...(slice.inherited ? { inherited: slice.inherited } : {}) };
  }

  /**
   * A Parquet file's rows, one row group decoded at a time. The file's bytes are streamed beside
   * them, in order, up to the end of each row group read, for the byte count, the sha256 and the
   * CRC-32 (the same as of any other input: the file as stored).
   */
  private async *parquetBatches(source: ParquetSource): AsyncGenerator<SourceRecord[]> {
    const stored = this.input.chunks[Symbol.asyncIterator]();
    const readTo = async (end: number) => {
      while (this.bytesRead < end) if ((await stored.next()).done) return;
    };
    let index = 0;
    for (const [g, group] of source.info.rowGroups.entries()) {
      const rows = await source.readRowGroup(g);
      await readTo(group.end);
      for (let from = 0; from < rows.length; from += BATCH_RECORDS) {
        const to = Math.min(rows.length, from + BATCH_RECORDS);
        const batch: SourceRecord[] = new Array(to - from);
        for (let i = from; i < to; i++) batch[i - from] = this.parquetRecord(rows[i]!, index++, group.start);
        yield batch;
      }
      rows.length = 0;
    }
    await readTo(Number.POSITIVE_INFINITY);
    if (index === 0)
      throw new SafemixError('input_empty', 'the Parquet file has a schema but no rows', {
        position: { file: this.name },
        hint: 'give a dataset with at least one record',
      });
  }

  /** One Parquet row: its JSON text and value (a parsing pass), or the decoded row itself (a copying pass). */
  private parquetRecord(row: Record<string, unknown>, index: number, offset: number): SourceRecord {
    const base = { index, line: index + 1, row: index + 1, offset, sepBefore: EMPTY };
    if (!this.parse) return { ...base, raw: EMPTY, value: undefined, native: row };
    const raw = Buffer.from(rowJson(row));
    if (raw.length > this.maxRecordBytes)
      return {
        ...base,
        raw,
        value: undefined,
        problem: {
          code: 'record_too_long',
          message: `the row is ${raw.length} bytes as JSON, over the limit of ${this.maxRecordBytes} bytes`,
          hint: 'raise --max-record-bytes if the row is genuine',
        },
      };
    const problem = checkNesting(raw);
    if (problem) return { ...base, raw, value: undefined, problem };
    const value = JSON.parse(raw.toString('utf8')) as unknown;
    const keyProblem = checkForbiddenKeys(raw, value);
    if (keyProblem) return { ...base, raw, value: undefined, problem: keyProblem };
    return { ...base, raw, value };
  }

  private async *csvBatches(chunks: AsyncIterable<Buffer>): AsyncGenerator<SourceRecord[]> {
    const shape = this.csv!;
    const columns = shape.columns;
    const quote = shape.quote.charCodeAt(0);
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
    for await (const slices of csvBatches(stripBom(), shape, this.maxRecordBytes, (s, f) => ((suffix = s), (fatal = f)))) {
      let batch: SourceRecord[] = [];
      for (const slice of slices) {
        if (batch.length >= BATCH_RECORDS) {
          yield batch;
          batch = [];
        }
        if (!sawHeader) {
          sawHeader = true;
          headerBytes = Buffer.concat([slice.sepBefore, slice.raw]);
          continue;
        }
        // the BOM, the header and its line ending belong to the prefix
        if (index === 0) this.layout.prefix = Buffer.concat([bom ? BOM : EMPTY, headerBytes, slice.sepBefore]);
        else this.noteSeparator(slice.sepBefore);
        const record: SourceRecord = {
          index,
          line: slice.line,
          offset: slice.offset + (bom ? 3 : 0),
          row: index + 1,
          raw: slice.raw,
          sepBefore: index === 0 ? EMPTY : slice.sepBefore,
          value: undefined,
        };
        index++;
        if (!this.parse) {
          batch.push(record);
          continue;
        }
        const bytesProblem = checkRecordBytes(slice.raw);
        if (bytesProblem) {
          batch.push({ ...record, problem: bytesProblem });
          continue;
        }
        if (slice.fields !== columns.length) {
          batch.push({
            ...record,
            problem: {
              code: 'csv_ragged_row',
              message: `the row has ${slice.fields} fields, but ${shape.header ? 'the header has' : 'the first row has'} ${columns.length}`,
              hint: `give every row ${columns.length} fields; quote any field that contains the delimiter ${JSON.stringify(shape.delimiter)}`,
            },
          });
          continue;
        }
        // the column names were checked once, in the header: a row's keys are those names
        const exact = record.index < this.exactRecords;
        const cells = cellsOf(slice.raw, slice.bounds, quote, exact ? 'utf8' : 'latin1');
        const value: Record<string, string> = {};
        for (let c = 0; c < columns.length; c++) value[columns[c]!] = cells[c]!;
        record.value = value;
        if (!exact) record.approximate = true;
        batch.push(record);
      }
      if (batch.length) yield batch;
    }
    if (fatal) {
      const f = fatal as CsvFatal;
      throw new SafemixError(f.code, f.message, { position: { file: this.name, line: f.line }, hint: f.hint });
    }
    if (index === 0) this.layout.prefix = Buffer.concat([bom ? BOM : EMPTY, headerBytes, suffix]);
    else this.layout.suffix = suffix;
    this.layout.bom = bom;
    if (index === 0 && !shape.header)
      throw new SafemixError('input_empty', 'the file has no rows', { position: { file: this.name }, hint: 'give a dataset with at least one record' });
    if (index === 0)
      throw new SafemixError(
        'csv_no_rows',
        `the file has a header (${columns.slice(0, 6).join(shape.delimiter === '\t' ? ', ' : shape.delimiter)}${columns.length > 6 ? ', …' : ''}) but no data rows`,
        {
          position: { file: this.name, line: 2 },
          hint: 'give a dataset with at least one row below the header (or pass --no-header if that line is data)',
        },
      );
  }

  /**
   * The exact value of a record read with an approximate one (`record.approximate`): its strings
   * decoded as UTF-8. Other records' values are returned as they are.
   */
  exactValue(record: SourceRecord): unknown {
    if (!record.approximate) return record.value;
    if (this.container === 'csv' || this.container === 'tsv') {
      const shape = this.csv!;
      const scanner = new CsvScanner(shape, Number.MAX_SAFE_INTEGER);
      const out: CsvSlice[] = [];
      scanner.push(record.raw, out);
      scanner.end(out);
      const cells = out[0]!.cells;
      const value: Record<string, string> = {};
      for (let c = 0; c < shape.columns.length; c++) value[shape.columns[c]!] = cells[c]!;
      return value;
    }
    return this.withInherited(JSON.parse(record.raw.toString('utf8')), record.inherited);
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
async function rejectObjectDocument(path: string, name: string, head: Buffer, complete: boolean, maxBytes: number): Promise<void> {
  let text: string;
  if (complete) text = head.toString('utf8');
  else {
    // only a plain file small enough to be one record is read whole
    const size = path === '-' ? undefined : (await fsp.stat(path).catch(() => undefined))?.size;
    if (size === undefined || size > maxBytes) return;
    text = await fsp.readFile(path, 'utf8');
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return;
  throw objectDocumentError(doc, name);
}

/**
 * Whether a "{"-led file may be one JSON document rather than JSON Lines: its first line is no JSON
 * value by itself, or it is the file's only line (a document written on one line; it is one only if a
 * list of records is then found inside it).
 */
function isJsonDocument(head: Buffer): boolean {
  const nl = head.indexOf(0x0a);
  let line = head.subarray(0, nl < 0 ? head.length : nl).toString('utf8');
  if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
  try {
    JSON.parse(line);
  } catch {
    return true;
  }
  return (
    nl < 0 ||
    head
      .subarray(nl + 1)
      .toString('latin1')
      .trim() === ''
  );
}

/** The error for a file that is one JSON object holding (or not) lists of records. */
export function objectDocumentError(doc: object, name: string): SafemixError {
  const lists = findRecordLists(doc);
  const where = lists.length
    ? `lists of records found inside it at ${lists.map((l) => `${l.path} (${l.records} records)`).join(', ')}`
    : 'no list of records was found inside it';
  const example = lists[0]
    ? ` for example --records ${lists[0].path.replace(/^\$\.?/, '')}[] (a list inside its elements: --records ${lists[0].path.replace(/^\$\.?/, '')}[].NAME[])`
    : ' (--records data[].NAME[])';
  return new SafemixError('json_object_document', `the file is one JSON object, and no list of records was found in its first bytes: ${where}`, {
    position: { file: name, line: 1 },
    hint: `name the list that holds the records with --records PATH,${example}; or give a JSON array of records or JSON Lines`,
    exitCode: ExitCode.usage,
  });
}
