// One shard's part of `safemix plan`: a single streaming pass that hashes the shard, counts and
// checks its records, tracks the largest id per field and keeps a seeded reservoir sample. The
// result is plain data (it crosses a process boundary when shards are scanned in parallel).
import { sampleDataset } from '../api/sample.js';
import type { Rejection } from '../api/record-rejection.js';
import type { ScanOptions } from '../api/scan.js';
import type { Dialect } from '../profile/dialects.js';
import type { Container } from '../read/types.js';

export interface ShardScanOptions extends ScanOptions {
  /** Reservoir size (the plan's --sample). */
  sample: number;
  /** The plan's seed; the shard's reservoir uses `SEED:shard-INDEX`. */
  seed: string;
  /** Screen every record for a covert encoding's marks and keep a reservoir of the suspects (see sampleDataset). */
  screen?: boolean;
}

/** What the plan needs of one shard (JSON-safe: buffers are base64). */
export interface ShardScan {
  index: number;
  name: string;
  sha256: string;
  bytes: number;
  records: number;
  rejected: Rejection[];
  idMax: [string, number | string][];
  detection: { dialect: Dialect; confidence: number; evidence: string };
  container: Container;
  csv?: { delimiter: string; header: boolean; columns: string[] };
  layout: { prefix: string; suffix: string; separator: string; elementIndent: string; recordPath?: string; inheritedKeys?: string[] };
  /** The reservoir (shard-local indices), in index order. */
  sample: ShardSampleEntry[];
  /** With `screen`: the records the screen flagged (how many), and a reservoir of them (shard-local indices, in index order). */
  screened?: { count: number; suspects: ShardSampleEntry[] };
}

/** A kept record of a shard, JSON-safe. */
type ShardSampleEntry = { index: number; line: number; raw: string; cells?: Record<string, string>; inherited?: Record<string, unknown> };

/** A nested record's fields from the objects around it, as its value holds them. */
function inheritedOf(value: unknown, keys: readonly string[]): Record<string, unknown> {
  const v = value as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => k in v).map((k) => [k, v[k]]));
}

export async function scanShard(
  path: string,
  index: number,
  options: ShardScanOptions,
  onProgress?: (bytes: number, size: number | undefined) => void,
): Promise<ShardScan> {
  const pass = await sampleDataset(path, {
    ...options,
    seed: `${options.seed}:shard-${index}`,
    sample: options.sample,
    hash: true,
    validate: true,
    trackNumbers: true,
    screen: options.screen === true,
    onProgress,
  });
  const { scan, sample, records, rejected, idMax, screened } = pass;
  const reader = scan.reader;
  const delimited = reader.container === 'csv' || reader.container === 'tsv';
  const layout = reader.layout;
  const entry = (r: (typeof sample)[number]): ShardSampleEntry => ({
    index: r.index,
    line: r.line,
    raw: r.raw.toString('base64'),
    ...(delimited ? { cells: r.value as Record<string, string> } : {}),
    ...(layout.inheritedKeys?.length ? { inherited: inheritedOf(r.value, layout.inheritedKeys) } : {}),
  });
  return {
    index,
    name: reader.name,
    sha256: reader.sha256(),
    bytes: reader.bytesRead,
    records,
    rejected,
    // Infinity and numbers past 2^53 keep their text form
    idMax: [...idMax].map(([k, v]) => [k, Number.isFinite(v) ? v : String(v)]),
    detection: { dialect: scan.detection.dialect, confidence: scan.detection.confidence, evidence: scan.detection.evidence },
    container: reader.container,
    csv: reader.csv ? { delimiter: reader.csv.delimiter, header: reader.csv.header, columns: reader.csv.columns } : undefined,
    layout: {
      prefix: layout.prefix.toString('base64'),
      suffix: layout.suffix.toString('base64'),
      separator: layout.separator.toString('base64'),
      elementIndent: layout.elementIndent,
      ...(layout.recordPath ? { recordPath: layout.recordPath, inheritedKeys: layout.inheritedKeys ?? [] } : {}),
    },
    sample: sample.map(entry),
    ...(screened ? { screened: { count: screened.count, suspects: screened.suspects.map(entry) } } : {}),
  };
}
