// Parquet input: a file read from its footer (schema, row groups), then one row group at a time, so
// that memory holds one row group's rows, never the file. Each row is handed on twice over: as the
// decoded row (`native`: 64-bit integers as bigints, binary as bytes, timestamps and dates as the
// integers stored), which a Parquet writer writes back unchanged, and as JSON text (`raw`) with its
// parsed value, which is all the profiler, the checks and the renderer ever look at. A Parquet file
// has no record bytes to copy: its rows are written back by value (docs/formats-parquet.md).
import { closeSync, fstatSync, read as readFd } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import {
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type AsyncBuffer,
  type Compressors,
  type FileMetaData,
  type ParquetParsers,
  type SchemaTree,
} from 'hyparquet';
import { decompress as zstdDecompress } from 'fzstd';
import { SafemixError } from '../errors.js';
import { openReadable } from '../io/open-readable.js';
import { FORBIDDEN_KEYS } from './record-checks.js';

/** Codecs read: hyparquet's own (uncompressed, snappy), and gzip, brotli (zlib) and zstd (fzstd). */
const COMPRESSORS: Compressors = {
  GZIP: (input) => new Uint8Array(gunzipSync(input)),
  BROTLI: (input) => new Uint8Array(brotliDecompressSync(input)),
  ZSTD: (input, outputLength) => zstdDecompress(input, new Uint8Array(outputLength)),
};
const READ_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', ...Object.keys(COMPRESSORS)]);

/**
 * Values as stored, never rounded: a timestamp stays the integer it is (micro- and nanoseconds
 * would be cut to milliseconds by a Date), a date its day number. The writer takes them back as they are.
 */
const PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (v: bigint) => v,
  timestampFromMicroseconds: (v: bigint) => v,
  timestampFromNanoseconds: (v: bigint) => v,
  dateFromDays: (v: number) => v,
};

interface ParquetRowGroup {
  rows: number;
  /** Index of the group's first row in the file. */
  firstRow: number;
  /** Byte range of the group's column chunks. */
  start: number;
  end: number;
}

/** What a Parquet file's footer says: what pass 2's writer needs to write the same schema. */
export interface ParquetInfo {
  metadata: FileMetaData;
  schema: SchemaTree;
  rowGroups: ParquetRowGroup[];
  rows: number;
  /** The codec of the file's first column chunk (UNCOMPRESSED when it has none). */
  codec: string;
}

/** An AsyncBuffer over a file descriptor: hyparquet reads the footer and each row group's byte range from it. */
function fileBuffer(fd: number, size: number): AsyncBuffer {
  return {
    byteLength: size,
    slice(start: number, end = size): Promise<ArrayBuffer> {
      const length = Math.max(0, Math.min(end, size) - start);
      const out = new ArrayBuffer(length);
      const view = new Uint8Array(out);
      return new Promise((resolve, reject) => {
        let got = 0;
        const next = () => {
          if (got >= length) return resolve(out);
          readFd(fd, view, got, length - got, start + got, (err, n) => {
            if (err) return reject(err);
            if (n === 0) return reject(new Error(`the file ended at byte ${start + got}, before the ${length} bytes asked at ${start}`));
            got += n;
            next();
          });
        };
        next();
      });
    },
  };
}

/** A Parquet file opened for reading: its footer, and its rows one row group at a time. */
export class ParquetSource {
  private fd: number | undefined;
  private readonly buffer: AsyncBuffer;

  private constructor(
    fd: number,
    size: number,
    readonly info: ParquetInfo,
    private readonly name: string,
  ) {
    this.fd = fd;
    this.buffer = fileBuffer(fd, size);
  }

  static async open(path: string, name: string): Promise<ParquetSource> {
    const fd = openReadable(path, name);
    try {
      const size = fstatSync(fd).size;
      const buffer = fileBuffer(fd, size);
      let info: ParquetInfo;
      try {
        if (size < 12) throw new Error(`it is ${size} bytes, shorter than the smallest Parquet file (12 bytes)`);
        // the footer's length (the 4 bytes before the closing PAR1) must leave room for the opening PAR1
        const tail = new DataView(await buffer.slice(size - 8, size));
        if (tail.getUint32(4, false) !== 0x50415231) throw new Error('it does not end with PAR1, as every Parquet file does (cut short?)');
        const footer = tail.getUint32(0, true);
        if (footer === 0 || footer > size - 12) throw new Error(`its footer length (${footer} bytes) does not fit in the file (${size} bytes)`);
        info = describe(await parquetMetadataAsync(buffer), name);
      } catch (e) {
        throw corrupt(name, e);
      }
      return new ParquetSource(fd, size, info, name);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /** The decoded rows of row group `g`, in order. */
  async readRowGroup(g: number): Promise<Record<string, unknown>[]> {
    if (this.fd === undefined) throw new Error('the Parquet file is closed');
    const group = this.info.rowGroups[g]!;
    let rows: Record<string, unknown>[] = [];
    try {
      await parquetRead({
        file: this.buffer,
        metadata: this.info.metadata,
        rowStart: group.firstRow,
        rowEnd: group.firstRow + group.rows,
        rowFormat: 'object',
        utf8: false,
        parsers: PARSERS,
        compressors: COMPRESSORS,
        onComplete: (r) => (rows = r),
      });
    } catch (e) {
      throw corrupt(this.name, e, `row group ${g + 1} of ${this.info.rowGroups.length} (rows ${group.firstRow + 1} to ${group.firstRow + group.rows})`);
    }
    if (rows.length !== group.rows) throw corrupt(this.name, new Error(`row group ${g + 1} holds ${rows.length} rows, its footer says ${group.rows}`));
    return rows;
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

function corrupt(name: string, e: unknown, where?: string): SafemixError {
  if (e instanceof SafemixError) return e;
  const why = e instanceof Error ? e.message : String(e);
  return new SafemixError('input_unreadable', `the file starts as Parquet (PAR1) but cannot be read as Parquet${where ? ` in ${where}` : ''}: ${why}`, {
    position: { file: name },
    hint: 'check that the file is complete (a Parquet file ends with its footer and PAR1): copy or download it again, or rewrite it with pyarrow or pandas',
    cause: e,
  });
}

/** Reads the footer's row groups and checks what safemix cannot read before any row is decoded. */
function describe(metadata: FileMetaData, name: string): ParquetInfo {
  if (!metadata.schema?.length || !metadata.row_groups) throw new Error('its footer holds no schema or no row groups');
  const schema = parquetSchema(metadata);
  checkSchema(schema, name, []);
  const rowGroups: ParquetRowGroup[] = [];
  let firstRow = 0;
  let codec: string | undefined;
  for (const rg of metadata.row_groups) {
    let start = Number.POSITIVE_INFINITY;
    let end = 0;
    for (const c of rg.columns) {
      const m = c.meta_data;
      if (!m) continue;
      codec ??= m.codec;
      if (!READ_CODECS.has(m.codec))
        throw new SafemixError(
          'parquet_unsupported',
          `column ${m.path_in_schema.join('.')} is compressed with ${m.codec}, which safemix does not read (it reads uncompressed, snappy, gzip, brotli and zstd)`,
          {
            position: { file: name, field: m.path_in_schema.join('.') },
            hint: 'rewrite the file with another codec, e.g. pyarrow.parquet.write_table(table, OUT, compression="zstd")',
          },
        );
      const from = Number(m.dictionary_page_offset ?? m.data_page_offset);
      start = Math.min(start, from);
      end = Math.max(end, from + Number(m.total_compressed_size));
    }
    const rows = Number(rg.num_rows);
    rowGroups.push({ rows, firstRow, start: Number.isFinite(start) ? start : 0, end });
    firstRow += rows;
  }
  if (firstRow !== Number(metadata.num_rows)) throw corrupt(name, new Error(`its row groups hold ${firstRow} rows, its footer says ${metadata.num_rows}`));
  return { metadata, schema, rowGroups, rows: firstRow, codec: codec ?? 'UNCOMPRESSED' };
}

/** Column names that could pollute object prototypes, and types no reader here decodes, are refused up front. */
function checkSchema(node: SchemaTree, name: string, path: string[]): void {
  for (const child of node.children) {
    const el = child.element;
    const here = [...path, el.name];
    const field = here.join('.');
    if ((FORBIDDEN_KEYS as readonly string[]).includes(el.name))
      throw new SafemixError(
        'forbidden_key',
        `the Parquet schema names a column "${el.name}" (${field}), a name that can pollute object prototypes in downstream tools`,
        {
          position: { file: name, field },
          hint: 'rename that column (e.g. with pyarrow: table.rename_columns([...])) and write the file again',
        },
      );
    const ct = el.converted_type;
    const lt = el.logical_type?.type;
    if (ct === 'BSON' || lt === 'BSON' || ct === 'INTERVAL' || lt === 'VARIANT')
      throw new SafemixError('parquet_unsupported', `column ${field} holds ${lt ?? ct} values, which safemix does not read`, {
        position: { file: name, field },
        hint: 'drop or convert that column (to a string or a struct), or convert the file to JSON Lines',
      });
    checkSchema(child, name, here);
  }
}

/**
 * A decoded row as JSON text: 64-bit integers with all their digits, bytes as UTF-8 text, NaN and
 * infinities (which JSON cannot hold) as null. Keys in the schema's order.
 */
export function rowJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return 'null';
  }
  if (value instanceof Uint8Array) return JSON.stringify(UTF8.decode(value));
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = value as ArrayLike<unknown>;
    const parts: string[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) parts[i] = rowJson(items[i]);
    return `[${parts.join(',')}]`;
  }
  if (value instanceof Map) return rowJson(Object.fromEntries([...value].map(([k, v]) => [String(k), v])));
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) parts.push(`${JSON.stringify(k)}:${rowJson(v)}`);
  return `{${parts.join(',')}}`;
}

const UTF8 = new TextDecoder('utf-8');
