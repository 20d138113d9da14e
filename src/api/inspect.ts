// `safemix inspect` as a library call: one streaming pass that counts records and keeps a seeded
// reservoir sample (memory bounded by the sample size), then the pure profiler on that sample.
import { openScan, type ScanOptions } from './scan.js';
import { Reservoir } from '../profile/reservoir.js';
import { buildProfile, type Profile, type SampleRecord } from '../profile/profile.js';
import type { SourceRecord } from '../read/types.js';

export const DEFAULT_SAMPLE = 5000;
export const DEFAULT_SEED = 'safemix';

export interface InspectOptions extends ScanOptions {
  sample?: number;
  seed?: string;
  input?: string;
  target?: string;
  /** Called with bytes read so far (for progress bars). */
  onProgress?: (bytesRead: number, size: number | undefined) => void;
}

export interface InspectResult extends Profile {
  file: string;
  /** Records the reader could not use (bad JSON, bad bytes…): counted, not profiled. */
  unusable: number;
  /** First unusable records with their position. */
  unusableExamples: { line: number; row?: number; code: string; message: string }[];
  encoding: { verdict: 'none' | 'suspicious' | 'encoded' | 'not-analysed'; [key: string]: unknown };
}

/** Sampled records with their raw bytes kept (mix needs them to learn the writing style). */
export interface SampledRecord extends SampleRecord {
  raw: Buffer;
}

export async function sampleDataset(path: string, options: InspectOptions = {}) {
  const scan = await openScan(path, options);
  const seed = options.seed ?? DEFAULT_SEED;
  const reservoir = new Reservoir<SampledRecord>(options.sample ?? DEFAULT_SAMPLE, seed);
  let records = 0;
  let unusable = 0;
  const unusableExamples: InspectResult['unusableExamples'] = [];
  let lastProgress = 0;
  for await (const r of scan.records as AsyncGenerator<SourceRecord>) {
    records++;
    if (r.problem) {
      unusable++;
      if (unusableExamples.length < 10) unusableExamples.push({ line: r.line, row: r.row, code: r.problem.code, message: r.problem.message });
      continue;
    }
    reservoir.offer(() => ({ index: r.index, line: r.line, value: r.value, raw: Buffer.from(r.raw) }));
    if (options.onProgress && records - lastProgress >= 10_000) {
      lastProgress = records;
      options.onProgress(scan.reader.bytesRead, scan.reader.size);
    }
  }
  const sample = reservoir.items.sort((a, b) => a.index - b.index);
  return { scan, sample, records, unusable, unusableExamples, seed };
}

export async function inspectFile(path: string, options: InspectOptions = {}): Promise<InspectResult> {
  const { scan, sample, records, unusable, unusableExamples, seed } = await sampleDataset(path, options);
  const profile = buildProfile(sample, records, scan.detection, scan.reader.container, { seed, input: options.input, target: options.target });
  return { file: scan.reader.name, ...profile, unusable, unusableExamples, encoding: { verdict: 'not-analysed' } };
}
