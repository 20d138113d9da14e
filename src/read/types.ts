// The values the read stage hands on: one source record with its exact bytes and position,
// and the file layout (the bytes around and between records) that lets a writer reproduce the file.

export type Container = 'jsonl' | 'json-array' | 'csv' | 'tsv' | 'parquet';

/** CSV/TSV shape, sniffed or given. */
export interface CsvShape {
  delimiter: string;
  quote: string;
  header: boolean;
  /** Column names: the header's cells, or `col1`..`colN` when there is no header. */
  columns: string[];
  /** Record delimiter used by the file. */
  eol: '\n' | '\r\n' | '\r';
}

export interface SourceRecord {
  /** 0-based index among the file's records (a CSV header is not a record). */
  index: number;
  /** 1-based line on which the record starts. */
  line: number;
  /** 1-based data row for CSV/TSV. */
  row?: number;
  /** Absolute byte offset of the record's first byte in the file. */
  offset: number;
  /** The record's exact bytes in the source, without separators or line ending. */
  raw: Buffer;
  /** The bytes between the previous record and this one (empty for the first record). */
  sepBefore: Buffer;
  /** Parsed value: a JSON value, or for CSV an object keyed by column name. Undefined when `problem` is set. */
  value: unknown;
  /**
   * Parquet, in a pass that does not parse (`ReadOptions.parse` false): the row as decoded (64-bit
   * integers as bigints, binary as bytes), which a Parquet writer writes back unchanged. A Parquet
   * record's `raw` is its row as JSON text (when parsed), never bytes of the file: see read/parquet-records.ts.
   */
  native?: Record<string, unknown>;
  /** A nested record's fields from the objects around it (exact values; `value` holds them too). */
  inherited?: Record<string, unknown>;
  /** Why the record cannot be used: it is reported with its position, never silently dropped. */
  problem?: RecordIssue;
  /**
   * Set when the record was read past `ReadOptions.exactRecords`: `value` has the exact shape, keys,
   * numbers and ASCII text, but its non-ASCII text is read byte by byte (Latin-1), which is enough to
   * check the record. `DatasetReader.exactValue` gives the true value.
   */
  approximate?: boolean;
  /**
   * Set when the record was read with `ReadOptions.deferParse`: it has no value yet (`value` is
   * undefined); `DatasetReader.readDeferred` reads it as it would have been read.
   */
  deferred?: boolean;
}

/** A problem with one record (bad JSON, bad bytes, bad shape). */
export interface RecordIssue {
  code: import('../errors.js').ErrorCode;
  message: string;
  hint: string;
  field?: string;
}

/** What a reader learned of the file's framing: enough to write the same file back. */
export interface Layout {
  container: Container;
  /** Bytes before the first record: BOM, `[` and whitespace, CSV header line. */
  prefix: Buffer;
  /** Bytes after the last record: final newline, `]`. Known once reading has finished. */
  suffix: Buffer;
  /** The separator to put between records the writer adds: the file's most common one. */
  separator: Buffer;
  /** Whether the file starts with a UTF-8 byte order mark. */
  bom: boolean;
  /** Line ending of the file (for JSONL and CSV the record separator's line ending). */
  eol: '\n' | '\r\n' | '\r';
  /** Column indentation of a JSON array's elements (the whitespace before an element on its line). */
  elementIndent: string;
  csv?: CsvShape;
  /** A JSON document whose records sit deeper (`data[].paragraphs[].qas[]`): their path. */
  recordPath?: string;
  /**
   * Fields a nested record takes from the objects around it (a paragraph's `context`): they are in
   * each record's value, never in its bytes, and a generated record is written without them.
   */
  inheritedKeys?: string[];
}

export interface ReadOptions {
  /** Largest record (JSONL line, JSON element, CSV record) accepted, in bytes. Default 64 MiB. */
  maxRecordBytes?: number;
  /** Force a container instead of sniffing it. */
  container?: Container;
  /** CSV: force header / no header. */
  header?: boolean;
  /** CSV: force the delimiter. */
  delimiter?: string;
  /** A JSON document's record path (`data[].paragraphs[].qas[]`); inferred for a document when absent. */
  recordPath?: string;
  /** Name used in messages for standard input. */
  displayName?: string;
  /** Parse and check JSON records (default true). A second pass that only copies bytes turns it off. */
  parse?: boolean;
  /** Compute the sha256 of the bytes read (see DatasetReader.sha256). */
  hash?: boolean;
  /** Compute a CRC-32 of the bytes read (see DatasetReader.crc32). */
  checksum?: boolean;
  /**
   * Records from this index on are read with an approximate value (see SourceRecord.approximate):
   * a pass that checks every record but keeps only a sample saves decoding text it never looks at.
   * Default: every value exact.
   */
  exactRecords?: number;
  /**
   * JSON Lines and JSON arrays: records past `exactRecords` are split but not parsed (see
   * SourceRecord.deferred), for a pass that parses and checks them elsewhere (on worker threads).
   */
  deferParse?: boolean;
  /**
   * Read a plain JSONL, CSV or TSV file into a small ring of reused blocks (see
   * OpenedInput.reuseBlocks): for a pass that copies records through and keeps none of their bytes.
   * A record's bytes stay valid while the next two read blocks are handed over, not longer.
   * Ignored for standard input, gzip and JSON arrays.
   */
  reuseBlocks?: boolean;
}

export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;
