// Writes a Parquet input's mix as Parquet: the input's schema (column names, order, physical and
// logical types, repetition), the user's rows as they were decoded (never re-typed), the generated
// rows turned from their JSON text into values of the schema's types, row groups of a bounded size,
// and the file's key-value metadata carried over. Its bytes go to a ByteSink (the atomic output or
// standard output) as the writer produces them; the same rows in the same order give the same bytes.
// What is kept and what is not: docs/formats-parquet.md.
import { writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { deserialize, serialize } from 'node:v8';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { isListLike, isMapLike } from 'hyparquet/src/schema.js';
import type { CompressionCodec, SchemaElement, SchemaTree } from 'hyparquet';
import { isLosslessNumber, parse as losslessParse, type LosslessNumber } from 'lossless-json';
import { SafemixError } from '../errors.js';
import type { ParquetInfo } from '../read/parquet-records.js';
import type { SourceRecord } from '../read/types.js';
import type { ByteSink } from './record-sink.js';
import { RunTempFile } from '../io/run-temp-file.js';
import { writeError } from '../io/io-error.js';
import { INDEX_DIR_LEAD } from '../read/record-index.js';

/** A row group is written once it holds this many rows… */
const ROW_GROUP_ROWS = 10_000;
/** …or about this many bytes of values (strings and binary counted by length). */
const ROW_GROUP_BYTES = 32 * 1024 * 1024;
/** The writer's buffer is passed on to the sink past this many bytes. */
const FLUSH_BYTES = 1 << 20;

type Row = Record<string, unknown>;

export class ParquetSink {
  private readonly writer: ParquetWriter;
  private readonly columns: string[];
  private rows: Row[] = [];
  private rowBytes = 0;
  private count = 0;
  private ended = false;

  constructor(
    out: ByteSink,
    private readonly info: ParquetInfo,
    private readonly file: string,
    createdBy: string,
  ) {
    unwritable(info.schema, file, []);
    const bytes = new ByteWriter();
    const pass = () => {
      if (bytes.index === 0) return;
      out.write(Buffer.from(bytes.buffer, 0, bytes.index));
      bytes.index = 0;
    };
    const ensure = bytes.ensure.bind(bytes);
    bytes.ensure = (size: number) => {
      if (bytes.index > FLUSH_BYTES) pass();
      ensure(size);
    };
    Object.assign(bytes, { flush: pass, finish: pass });
    this.columns = info.schema.children.map((c) => c.element.name);
    // snappy (the writer's own) unless the input was uncompressed: other codecs would need compressors of their own
    const codec: CompressionCodec = info.codec === 'UNCOMPRESSED' ? 'UNCOMPRESSED' : 'SNAPPY';
    this.writer = new ParquetWriter({
      writer: bytes,
      schema: info.metadata.schema,
      codec,
      statistics: true,
      kvMetadata: info.metadata.key_value_metadata?.length ? info.metadata.key_value_metadata : undefined,
      // no time or path in it: the same rows give the same bytes
      createdBy: `${createdBy} (hyparquet-writer)`,
    });
  }

  /** A user row: the values decoded from the input (SourceRecord.native), written back as they are. */
  writeUser(record: Pick<SourceRecord, 'native' | 'index'>): void {
    if (!record.native) throw new Error(`Parquet row ${record.index + 1} was read without its decoded values (parse must be false)`);
    this.push(record.native, estimate(record.native));
  }

  /** A user row spooled for --order shuffle (see ParquetRowSpool). */
  writeSpooled(bytes: Buffer): void {
    this.push(deserialize(bytes) as Row, bytes.length);
  }

  /** A generated record: its JSON text (the serializer's), written as a row of the schema. */
  writeGenerated(text: Buffer | string): void {
    const json = typeof text === 'string' ? text : text.toString('utf8');
    const value = losslessParse(json) as unknown;
    this.push(toRow(this.info.schema, value, this.file), json.length);
  }

  private push(row: Row, size: number): void {
    this.rows.push(row);
    this.rowBytes += size;
    this.count++;
    if (this.rows.length >= ROW_GROUP_ROWS || this.rowBytes >= ROW_GROUP_BYTES) this.flushGroup();
  }

  private flushGroup(): void {
    const rows = this.rows;
    if (!rows.length) return;
    this.rows = [];
    this.rowBytes = 0;
    const columnData = this.columns.map((name) => ({ name, data: rows.map((r) => r[name] ?? null) }));
    try {
      // one call, one row group (write() returns no promise: the byte writer's flush is synchronous)
      void this.writer.write({ columnData, rowGroupSize: rows.length });
    } catch (e) {
      if (e instanceof SafemixError) throw e;
      throw new SafemixError(
        'parquet_unsupported',
        `the Parquet writer cannot write these rows in the input's schema: ${(e as Error).message}; nothing was written`,
        {
          position: { file: this.file },
          hint: 'convert the file to JSON Lines and mix that (pandas: read_parquet(FILE).to_json(OUT, orient="records", lines=True))',
          cause: e,
        },
      );
    }
  }

  /** Writes the last row group and the footer. The suffix is a text layout's: a Parquet file has none. */
  end(_suffix?: Buffer): void {
    if (this.ended) return;
    this.ended = true;
    this.flushGroup();
    void this.writer.finish();
  }

  get records(): number {
    return this.count;
  }
}

/**
 * The user rows of a Parquet input for --order shuffle: a Parquet file has no record bytes to read
 * back by position, so each decoded row is spooled (v8-serialized: bigints, bytes and typed arrays
 * kept) to a run temp file, and read back by the offset and length `add` returns.
 */
export class ParquetRowSpool {
  private readonly file = new RunTempFile(INDEX_DIR_LEAD, 'rows');
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  private written = 0;

  add(row: Row): [offset: number, length: number] {
    const bytes = serialize(row);
    const offset = this.written + this.pendingBytes;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    return [offset, bytes.length];
  }

  private flush(): void {
    if (!this.pendingBytes) return;
    const block = Buffer.concat(this.pending);
    try {
      let off = 0;
      while (off < block.length) off += writeSync(this.file.fd, block, off, block.length - off, this.written + off);
    } catch (e) {
      this.close();
      throw writeError(e, `${tmpdir()} (the shuffle spool)`);
    }
    this.written += block.length;
    this.pending.length = 0;
    this.pendingBytes = 0;
  }

  /** The spool's descriptor, every row written. */
  get fd(): number {
    this.flush();
    return this.file.fd;
  }

  close(): void {
    this.file.close();
  }
}

/** Types the writer cannot write back: refused before anything is written. */
function unwritable(node: SchemaTree, file: string, path: string[]): void {
  for (const child of node.children) {
    const here = [...path, child.element.name];
    if (child.element.type === 'INT96')
      throw new SafemixError(
        'parquet_unsupported',
        `column ${here.join('.')} holds INT96 timestamps, which safemix cannot write back to Parquet; nothing was written`,
        {
          position: { file, field: here.join('.') },
          hint: 'rewrite the file with 64-bit timestamps (pyarrow: write_table(..., use_deprecated_int96_timestamps=False, coerce_timestamps="us")), or convert it to JSON Lines',
        },
      );
    unwritable(child, file, here);
  }
}

/** A rough size of a decoded row, to bound a row group's memory. */
function estimate(v: unknown): number {
  if (typeof v === 'string') return v.length;
  if (v instanceof Uint8Array) return v.length;
  if (Array.isArray(v)) {
    let n = 8;
    for (const x of v) n += estimate(x);
    return n;
  }
  if (v !== null && typeof v === 'object') {
    let n = 8;
    for (const k in v) n += 8 + estimate((v as Row)[k]);
    return n;
  }
  return 8;
}

const isObject = (v: unknown): v is Row => v !== null && typeof v === 'object' && !Array.isArray(v) && !isLosslessNumber(v) && !(v instanceof Uint8Array);

/** A generated value (parsed JSON, numbers as LosslessNumber) as a row of the schema. */
function toRow(schema: SchemaTree, value: unknown, file: string): Row {
  if (!isObject(value)) throw unfit(file, '', `the record is not an object but ${JSON.stringify(value)?.slice(0, 60)}`);
  return struct(schema, value, file, '');
}

function struct(node: SchemaTree, v: Row, file: string, path: string): Row {
  const out: Row = {};
  const names = new Set<string>();
  for (const child of node.children) {
    const name = child.element.name;
    names.add(name);
    out[name] = field(child, v[name], file, path ? `${path}.${name}` : name);
  }
  for (const k of Object.keys(v)) if (!names.has(k)) throw unfit(file, path ? `${path}.${k}` : k, 'the schema has no column for this field');
  return out;
}

function field(node: SchemaTree, v: unknown, file: string, path: string): unknown {
  if (node.element.repetition_type !== 'REPEATED') return one(node, v, file, path);
  // a repeated field outside a LIST annotation: a list of its values
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) throw unfit(file, path, 'a repeated field needs a list');
  return v.map((x, i) => one(node, x, file, `${path}[${i}]`));
}

function one(node: SchemaTree, v: unknown, file: string, path: string): unknown {
  const el = node.element;
  if (v === null || v === undefined) {
    if (el.repetition_type === 'REQUIRED') throw unfit(file, path, 'the column is required (not nullable) and the record has no value for it');
    return null;
  }
  if (isListLike(node)) {
    if (!Array.isArray(v)) throw unfit(file, path, `a LIST column needs a list, not ${JSON.stringify(v).slice(0, 40)}`);
    const repeated = node.children[0]!;
    const element = repeated.children.length ? repeated.children[0]! : repeated;
    return v.map((x, i) => one(element, x, file, `${path}[${i}]`));
  }
  if (isMapLike(node)) {
    const kv = node.children[0]!;
    const keyNode = kv.children.find((c) => c.element.name === 'key')!;
    const valueNode = kv.children.find((c) => c.element.name === 'value')!;
    let entries: [unknown, unknown][];
    if (v instanceof Map) entries = [...v];
    else if (Array.isArray(v)) entries = v.map((e) => (isObject(e) ? [e.key, e.value] : Array.isArray(e) ? [e[0], e[1]] : [e, null]));
    else if (isObject(v)) entries = Object.entries(v);
    else throw unfit(file, path, 'a MAP column needs an object');
    return entries.map(([k, x]) => ({ key: one(keyNode, k, file, `${path}.key`), value: field(valueNode, x, file, `${path}[${JSON.stringify(String(k))}]`) }));
  }
  if (node.children.length) {
    if (!isObject(v)) throw unfit(file, path, `a struct column needs an object, not ${JSON.stringify(v).slice(0, 40)}`);
    return struct(node, v, file, path);
  }
  return leaf(el, v, file, path);
}

const ENCODER = new TextEncoder();

/** A JSON leaf (string, LosslessNumber, boolean) as a value of the column's physical and logical type. */
function leaf(el: SchemaElement, v: unknown, file: string, path: string): unknown {
  const ct = el.converted_type;
  const lt = el.logical_type?.type;
  const num = (): number => {
    const n = isLosslessNumber(v)
      ? Number((v as LosslessNumber).value)
      : typeof v === 'string' && v.trim() !== ''
        ? Number(v)
        : typeof v === 'number'
          ? v
          : NaN;
    if (Number.isNaN(n)) throw unfit(file, path, `the ${el.type} column needs a number, not ${JSON.stringify(v)}`);
    return n;
  };
  const decimal = ct === 'DECIMAL' || lt === 'DECIMAL';
  switch (el.type) {
    case 'BOOLEAN':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      throw unfit(file, path, `the BOOLEAN column needs true or false, not ${JSON.stringify(v)}`);
    case 'INT32': {
      const n = num();
      if (!decimal && !Number.isInteger(n)) throw unfit(file, path, `the INT32 column needs an integer, not ${n}`);
      return n;
    }
    case 'INT64': {
      if (decimal) return num();
      const text = isLosslessNumber(v)
        ? (v as LosslessNumber).value
        : typeof v === 'bigint'
          ? String(v)
          : typeof v === 'number' || typeof v === 'string'
            ? String(v).trim()
            : '';
      if (!/^-?\d+$/.test(text)) throw unfit(file, path, `the INT64 column needs an integer, not ${JSON.stringify(v)}`);
      return BigInt(text);
    }
    case 'FLOAT':
    case 'DOUBLE':
      return num();
    case 'BYTE_ARRAY':
      if (decimal) return num();
      if (ct === 'JSON' || lt === 'JSON') return plain(v);
      if (lt === 'GEOMETRY' || lt === 'GEOGRAPHY') return plain(v);
      if (typeof v === 'object') throw unfit(file, path, `the text column needs a string, not ${JSON.stringify(v).slice(0, 40)}`);
      {
        const text = isLosslessNumber(v) ? (v as LosslessNumber).value : String(v);
        // text columns take strings; binary ones (no string annotation) hold bytes, as the input's rows do
        return ct === 'UTF8' || lt === 'STRING' ? text : ENCODER.encode(text);
      }
    case 'FIXED_LEN_BYTE_ARRAY': {
      if (decimal || lt === 'FLOAT16') return num();
      if (lt === 'UUID') return String(v);
      const bytes = ENCODER.encode(String(v));
      if (bytes.length !== el.type_length)
        throw unfit(file, path, `the column holds ${el.type_length}-byte values; ${JSON.stringify(v)} is ${bytes.length} bytes`);
      return bytes;
    }
    default:
      throw unfit(file, path, `safemix does not write ${el.type} values`);
  }
}

/** A parsed JSON tree with LosslessNumbers as plain numbers (a JSON column's value). */
function plain(v: unknown): unknown {
  if (isLosslessNumber(v)) return Number((v as LosslessNumber).value);
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function unfit(file: string, field: string, why: string): SafemixError {
  return new SafemixError('parquet_unsupported', `a safety record does not fit the Parquet schema${field ? ` at ${field}` : ''}: ${why}; nothing was written`, {
    position: { file, ...(field ? { field } : {}) },
    hint: "report this with the file's schema (safemix inspect shows it); meanwhile, convert the file to JSON Lines and mix that",
  });
}

/**
 * The output of a mix is written in the input's format: a Parquet input gives a Parquet file, and a
 * text input never does. An output name that says otherwise is refused before anything is written.
 */
export function checkOutputFormat(container: string, output: string, file: string): void {
  if (output === '-') return;
  const name = output.toLowerCase();
  if (container === 'parquet') {
    if (name.endsWith('.gz'))
      throw new SafemixError('usage', `the input is Parquet and so is the output, which is not gzip-compressed: ${output} ends in .gz`, {
        position: { file },
        hint: 'name the output .parquet (Parquet compresses its own pages)',
      });
    if (/\.(jsonl|ndjson|json|csv|tsv)$/.test(name))
      throw new SafemixError('usage', `the input is Parquet, so the output is Parquet too, but ${output} is named for another format`, {
        position: { file },
        hint: 'name the output .parquet; for JSON Lines, convert the input first (pandas: read_parquet(FILE).to_json(OUT, orient="records", lines=True, force_ascii=False))',
      });
  } else if (/\.parquet$/.test(name)) {
    throw new SafemixError('usage', `the input is ${container}, so the output is ${container} too, but ${output} is named .parquet`, {
      position: { file },
      hint: "name the output for the input's format, and convert it to Parquet afterwards if you need Parquet",
    });
  }
}
