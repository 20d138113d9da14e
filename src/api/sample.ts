// The one streaming pass that inspect, mix, plan and the probes start with: it counts the records,
// checks each, lists those that cannot be used and keeps a seeded reservoir sample of the others
// (memory bounded by the sample's count and bytes), with the largest trailing number of every field.
import { progressGate } from '../progress-gate.js';
import { pausePoint } from '../io/cleanup.js';
import { mayHoldUnsafeNumber, preciseValue } from '../profile/precise-values.js';
import { openScan, type ScanOptions } from './scan.js';
import { recordRejection, type Rejection } from './record-rejection.js';
import { Reservoir } from '../profile/reservoir.js';
import type { SampleRecord } from '../profile/profile.js';
import { noteNumbers } from '../generate/id-max.js';
import { screenBytes } from '../encoding/screen.js';
import type { SourceRecord } from '../read/types.js';
import { defaultThreads, readChecked } from './pass1-read.js';

export const DEFAULT_SAMPLE = 5000;
/** The sample's records hold at most this many bytes (as stored), which bounds its memory and the covert-encoding check's time. */
export const SAMPLE_MAX_BYTES = 8 * 1024 * 1024;
export const DEFAULT_SEED = 'safemix';
/** The screen's suspects analysed beside the sample: at most this many records and bytes. */
const SUSPECTS_MAX = 1000;
const SUSPECTS_MAX_BYTES = 4 * 1024 * 1024;

/** What the sampling pass takes besides the scan's options (inspect's options hold these too). */
export interface SampleScanOptions extends ScanOptions {
  sample?: number;
  seed?: string;
  /** Called with bytes read so far (for progress bars). */
  onProgress?: (bytesRead: number, size: number | undefined) => void;
}

/** Sampled records with their raw bytes kept (mix needs them to learn the writing style). */
export interface SampledRecord extends SampleRecord {
  raw: Buffer;
}

interface SampleOptions extends SampleScanOptions {
  /** Also apply the dialect checks: records that fail them are unusable (mix never writes them). */
  validate?: boolean;
  /**
   * Screen every usable record for the marks of a covert encoding (encoding/screen.ts) and keep a
   * reservoir of the suspects beside the sample, seeded with the seed and SAFEMIX_SAMPLE_SECRET.
   */
  screen?: boolean;
  /** Track the largest trailing number of every top-level field (for new ids). */
  trackNumbers?: boolean;
}

/** One pass: counts records, keeps a seeded reservoir sample of the usable ones, lists the others. */
export async function sampleDataset(path: string, options: SampleOptions = {}) {
  // every record is checked; only sampled ones need their text decoded (see SourceRecord.approximate).
  // Nothing keeps a record's bytes past its batch but the sample, which copies them: the read
  // blocks are reused. Records past the first are parsed and checked on worker threads, beside the reading
  const threads = options.threads ?? defaultThreads(path);
  const scan = await openScan(path, { ...options, exactRecords: 0, reuseBlocks: true, deferParse: threads > 0 });
  const seed = options.seed ?? DEFAULT_SEED;
  // bounded by count and by bytes: a file of huge records cannot fill memory through its sample
  const reservoir = new Reservoir<SampledRecord>(options.sample ?? DEFAULT_SAMPLE, seed, { maxBytes: SAMPLE_MAX_BYTES, bytesOf: (s) => s.raw.length });
  // the screen's suspects: their own reservoir, seeded with a secret an uploader cannot know
  const suspects = options.screen
    ? new Reservoir<SampledRecord>(SUSPECTS_MAX, `${seed}:suspects:${process.env.SAFEMIX_SAMPLE_SECRET ?? ''}`, {
        maxBytes: SUSPECTS_MAX_BYTES,
        bytesOf: (s) => s.raw.length,
      })
    : undefined;
  let suspectCount = 0;
  let records = 0;
  const rejected: Rejection[] = [];
  const idMax = new Map<string, number>();
  const due = progressGate();
  const { reader } = scan;
  const csv = reader.container === 'csv' || reader.container === 'tsv';
  // a record that can be used: into the sample, and into the suspects when the screen flags it
  const keep = (r: SourceRecord, suspect: boolean) => {
    // big integers stay exact in the profiled sample (ids past 2^53 must not look constant)
    // made once, shared by the sample and the suspects when both keep it
    let made: SampledRecord | undefined;
    const make = () =>
      (made ??= {
        index: r.index,
        line: r.line,
        value: !csv && mayHoldUnsafeNumber(r.raw) ? reader.withInherited(preciseValue(r.raw), r.inherited) : reader.exactValue(r),
        raw: ownCopy(r.raw),
      });
    reservoir.offer(make);
    if (suspect) {
      suspectCount++;
      suspects!.offer(make);
    }
  };
  const count = async () => void (++records === 2 && (await pausePoint('pass1')));
  // one record read with its value: checked here
  const handle = async (r: SourceRecord) => {
    await count();
    let rejection = recordRejection(r, scan.detection.dialect, reader.container, options.validate === true);
    // an approximate reading's message may quote text: it is told from the exact value
    if (rejection && r.approximate)
      rejection = recordRejection(
        { ...r, value: reader.exactValue(r), approximate: false },
        scan.detection.dialect,
        reader.container,
        options.validate === true,
      );
    if (rejection) {
      rejected.push(rejection);
      return;
    }
    if (options.trackNumbers && r.value && typeof r.value === 'object') noteNumbers(r.value as Record<string, unknown>, r.approximate === true, idMax);
    keep(r, suspects !== undefined && screenBytes(r.raw) !== undefined);
  };
  // records read with their value are handled here, the others checked in groups (on worker threads)
  const { groupsOnWorkers } = await readChecked(
    scan.batches,
    threads,
    idMax,
    () => ({
      dialect: scan.detection.dialect,
      container: reader.container,
      validate: options.validate === true,
      trackNumbers: options.trackNumbers === true,
      screen: suspects !== undefined,
    }),
    {
      handle,
      again: (r) => handle(reader.readDeferred(r)),
      usable: async (r, suspect) => void (await count(), keep(r, suspect)),
      after: () => {
        if (options.onProgress && due(records)) options.onProgress(reader.bytesRead, reader.size);
      },
    },
  );
  const sample = reservoir.items.sort((a, b) => a.index - b.index);
  const unusableExamples = rejected.slice(0, 10).map(({ line, row, code, message }) => ({ line, row, code, message }));
  // (the sample's own suspects, so the suspects outside it are known: the screen is cheap to run again on 5,000 records)
  const screened = suspects
    ? {
        suspects: suspects.items.sort((a, b) => a.index - b.index),
        count: suspectCount,
        inSample: sample.filter((r) => screenBytes(r.raw) !== undefined).length,
      }
    : undefined;
  return {
    scan,
    sample,
    records,
    rejected,
    unusable: rejected.length,
    unusableExamples,
    seed,
    idMax,
    sampleCapped: reservoir.capped,
    screened,
    groupsOnWorkers,
  };
}

/** A copy that owns its memory: Buffer.from() of a small buffer would pin an 8 KiB pool slab. */
function ownCopy(b: Buffer): Buffer {
  const copy = Buffer.alloc(b.length);
  b.copy(copy);
  return copy;
}
