// Shared first step of every command: open the dataset and stream its records with the dialect
// decided from the first records (buffered, bounded), failing early when dialects are mixed.
import { SafemixError, ExitCode } from '../errors.js';
import { DatasetReader, findRecordLists, objectDocumentError } from '../read/reader.js';
import type { ReadOptions, SourceRecord } from '../read/types.js';
import { detectDialect, type Dialect, type DialectDetection } from '../profile/dialects.js';

/** Records looked at before the dialect is decided. */
const DETECT_RECORDS = 1000;

export interface ScanOptions extends ReadOptions {
  format?: Dialect;
  /**
   * Worker threads that parse and check JSON records beside the reading (0: all in this thread).
   * Default: one fewer than the cores, at most 3, for a file of 16 MB or more; none below. The
   * result is the same whatever the number.
   */
  threads?: number;
}

export interface Scan {
  reader: DatasetReader;
  /** Set before the first record is yielded. */
  detection: DialectDetection;
  /** The records one by one. Use either this or `batches`, once. */
  records: AsyncGenerator<SourceRecord>;
  /** The records a read block at a time (see DatasetReader.batches): the fast way through a large file. */
  batches: AsyncGenerator<SourceRecord[]>;
}

export async function openScan(path: string, options: ScanOptions = {}): Promise<Scan> {
  // the records the dialect is decided on are always read exactly
  const exactRecords = options.exactRecords === undefined ? undefined : Math.max(options.exactRecords, DETECT_RECORDS);
  const reader = await DatasetReader.open(path, { ...options, exactRecords });
  const scan = { reader, detection: undefined as unknown as DialectDetection } as Scan;
  if (options.parse === false) {
    // a pass that copies bytes has no values to decide on: the dialect is the one given, and no
    // records are held back (a pass that reuses its read blocks could not hold them)
    scan.detection = detectDialect([], reader.container, options.format);
    scan.batches = reader.batches();
  } else
    scan.batches = (async function* () {
      const head: SourceRecord[] = [];
      const iterator = reader.batches();
      let rest: SourceRecord[] = [];
      let ended = false;
      for (;;) {
        const next = await iterator.next();
        if (next.done) {
          ended = true;
          break;
        }
        // held across read blocks: a reader that reuses its blocks would overwrite them
        if (options.reuseBlocks) for (const r of next.value) ownBytes(r);
        const room = DETECT_RECORDS - head.length;
        if (next.value.length <= room) head.push(...next.value);
        else {
          for (let i = 0; i < room; i++) head.push(next.value[i]!);
          rest = next.value.slice(room);
        }
        if (head.length >= DETECT_RECORDS) break;
      }
      scan.detection = decideDialect(head, reader, options.format);
      // one line holding one object with lists of records inside is a JSON document, as it is on many lines
      const only = ended && head.length === 1 ? head[0]!.value : undefined;
      if (only && !options.format && reader.container === 'jsonl' && scan.detection.dialect === 'fields' && findRecordLists(only).length > 0)
        throw objectDocumentError(only as object, reader.name);
      if (rest.length) head.push(...rest);
      if (head.length) yield head;
      yield* iterator;
    })();
  scan.records = (async function* () {
    for await (const batch of scan.batches) yield* batch;
  })();
  return scan;
}

/** Points a record's bytes at a copy of them. */
function ownBytes(r: SourceRecord): void {
  r.raw = Buffer.from(r.raw);
  if (r.sepBefore.length) r.sepBefore = Buffer.from(r.sepBefore);
}

function decideDialect(head: SourceRecord[], reader: DatasetReader, given: Dialect | undefined): DialectDetection {
  const sample = head.filter((r) => !r.problem && r.value !== undefined).map((r) => ({ index: r.index, value: r.value }));
  const detection = detectDialect(sample, reader.container, given);
  if (!given && detection.outliers.length >= Math.max(2, 0.05 * sample.length)) {
    const byDialect = new Map<Dialect, number[]>();
    for (const o of detection.outliers) byDialect.set(o.dialect, [...(byDialect.get(o.dialect) ?? []), o.index]);
    const lineOf = (i: number) => head[i]?.line ?? i + 1;
    const others = [...byDialect]
      .map(([d, idx]) => `${idx.length} ${d} (lines ${idx.slice(0, 5).map(lineOf).join(', ')}${idx.length > 5 ? ', …' : ''})`)
      .join('; ');
    throw new SafemixError(
      'dialect_mixed',
      `dialects are mixed in one file: ${detection.counts[detection.dialect]} records are ${detection.dialect}, but ${others}`,
      {
        position: { file: reader.name, line: lineOf(detection.outliers[0]!.index) },
        hint: 'split the file by dialect, or force one with --format and fix the records it reports',
        exitCode: ExitCode.usage,
      },
    );
  }
  return detection;
}
