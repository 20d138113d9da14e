// The covert-encoding verdict with the screen (encoding/screen.ts): every record was screened, and
// the suspects beyond the sample are analysed with it, for one file (mix, inspect) or several judged
// as one dataset (plan, a multi-file mix), by one rule.
import type { Dialect } from '../profile/dialects.js';
import { analyzeEncoding, countsTowardVerdict, type AnalyzeOptions, type EncodingReport, type RecordFinding, type TextUnit } from '../encoding/index.js';
import { textUnitOf } from '../profile/text-units.js';
import { analyzeFiles, type FileSample } from './encoding-check.js';
import { startModuleWorker } from './worker-script.js';

/** What the screen gave of one file: its suspects (a reservoir), how many it flagged, how many of those the sample holds. */
interface Screened<R> {
  suspects: R[];
  count: number;
  inSample: number;
}

/** One file's sample and the screen's suspects as text units (profile/text-units.ts): what the analysis reads of them. */
export interface ScreenedUnits {
  sample: TextUnit[];
  screened: Screened<TextUnit> | undefined;
  records: number;
}

/**
 * The sample and the screen's suspects (encoding/screen.ts: every record of the file was screened)
 * analysed together, one verdict: the sample's own rates as analyseSample gives them, or, where the
 * suspects beyond the sample hold proven records, their rate over the whole file (proven share of the
 * suspects analysed × the suspects the screen found), so an encoded row cannot hide by where it sits
 * or by how large the records are.
 */
export function analyzeScreened(
  dialect: Dialect,
  sample: { index: number; value: unknown }[],
  screened: Screened<{ index: number; value: unknown }> | undefined,
  records: number,
  options?: AnalyzeOptions,
): EncodingReport {
  return analyzeScreenedUnits(screenedUnits(dialect, sample, screened, records), options);
}

function screenedUnits(
  dialect: Dialect,
  sample: { index: number; value: unknown }[],
  screened: Screened<{ index: number; value: unknown }> | undefined,
  records: number,
): ScreenedUnits {
  const unit = (r: { index: number; value: unknown }) => textUnitOf(dialect, r.index, r.value);
  return { sample: sample.map(unit), screened: screened && { ...screened, suspects: screened.suspects.map(unit) }, records };
}

/** analyzeScreened on text units (what encoding-worker.ts runs). */
export function analyzeScreenedUnits({ sample, screened, records }: ScreenedUnits, options?: AnalyzeOptions): EncodingReport {
  const inSample = new Set(sample.map((u) => u.record));
  const extra = (screened?.suspects ?? []).filter((u) => !inSample.has(u.record));
  if (!screened || extra.length === 0) return analyzeEncoding(sample, options);
  const union = analyzeEncoding(
    [...sample, ...extra].sort((a, b) => a.record - b.record),
    options,
  );
  return { ...union, ...screenedVerdict(union, (f) => inSample.has(f.record), { sampled: sample.length, extra: extra.length, ...screened, records }) };
}

/** The analysis worker's young generation: V8's default for a thread lets it reach several times this, which a run's peak memory pays for. */
const YOUNG_MB = 8;

/** How the analyses asked of analyzeScreenedOffThread ran: on the worker, or here because the worker failed. */
export const offThreadAnalyses = { onWorker: 0, here: 0 };

/**
 * analyzeScreened on a worker thread (encoding-worker.ts), so the calling thread can go on meanwhile
 * (mix writes its second pass). The report is analyzeScreened's; the records reach the worker as
 * their text units only. Should the worker fail to start or stop without a report, the analysis
 * runs on the calling thread instead.
 */
export function analyzeScreenedOffThread(
  dialect: Dialect,
  sample: { index: number; value: unknown }[],
  screened: Screened<{ index: number; value: unknown }> | undefined,
  records: number,
): Promise<EncodingReport> {
  const units = screenedUnits(dialect, sample, screened, records);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (report?: EncodingReport) => {
      if (settled) return;
      settled = true;
      try {
        if (report) offThreadAnalyses.onWorker++;
        else offThreadAnalyses.here++;
        resolve(report ?? analyzeScreenedUnits(units));
      } catch (e) {
        reject(e as Error);
      }
    };
    let worker;
    try {
      worker = startModuleWorker('encoding-worker', units, { maxYoungGenerationSizeMb: YOUNG_MB });
    } catch {
      settle();
      return;
    }
    worker.once('message', (report: EncodingReport) => {
      settle(report);
      void worker.terminate();
    });
    worker.once('error', () => settle());
    worker.once('exit', () => settle());
  });
}

/**
 * The verdict of a union analysis (the sample and the suspects beyond it): from the sample's own
 * rates, or from the rate of proven records the suspects beyond it give over every record.
 */
function screenedVerdict(
  union: EncodingReport,
  sampled: (f: RecordFinding) => boolean,
  n: { sampled: number; extra: number; count: number; inSample: number; records: number },
): Pick<EncodingReport, 'verdict' | 'reason'> {
  const t = union.thresholds;
  const key = (f: RecordFinding) => `${f.file ?? 0}:${f.record}`;
  // content and unproven words-a-line findings are no evidence (countsTowardVerdict)
  const counted = union.findings.filter(countsTowardVerdict);
  const proven = (keep: boolean) => new Set(counted.filter((f) => f.proven && sampled(f) === keep).map(key)).size;
  const sampleProven = proven(true);
  const sampleFlagged = new Set(counted.filter(sampled).map(key)).size;
  const extraProven = proven(false);
  // the suspects outside the sample: all the screen counted but the sample's own
  const outside = Math.max(n.extra, n.count - n.inSample);
  const estimate = Math.round((extraProven / n.extra) * outside);
  const provenBar = (units: number) => Math.max(t.provenRecords, Math.ceil(t.provenShare * units));
  const screen = `the screen of every record flagged ${n.count} of ${n.records}; ${n.extra} beyond the sample analysed, ${extraProven} proven`;
  if (sampleProven >= provenBar(n.sampled) || (sampleFlagged > 0 && sampleFlagged >= t.encodedShare * n.sampled))
    return { verdict: 'encoded', reason: `${sampleProven} of ${n.sampled} sampled records carry proven evidence, ${sampleFlagged} flagged; ${screen}` };
  if (sampleProven + estimate >= provenBar(n.records))
    return {
      verdict: 'encoded',
      reason: `about ${sampleProven + estimate} of ${n.records} records carry proven evidence (${screen}), at least ${provenBar(n.records)}`,
    };
  return {
    verdict: union.flagged > 0 ? 'suspicious' : 'none',
    reason: `${sampleProven} of ${n.sampled} sampled records and about ${estimate} more proven, below ${provenBar(n.records)}; ${screen}`,
  };
}

/** One file's part of a multi-file analysis with the screen: its suspects beyond the sample, the screen's counts, its records. */
interface ScreenedFile extends FileSample {
  extra: { index: number; value: unknown }[];
  count: number;
  inSample: number;
  records: number;
}

/**
 * Several screened files judged as one dataset (see analyzeFiles and analyzeScreened): their samples
 * and the suspects beyond them analysed together, one verdict by the same rule as one file's.
 */
export function analyzeScreenedFiles(files: ScreenedFile[], options?: AnalyzeOptions): EncodingReport {
  if (files.every((f) => f.extra.length === 0)) return analyzeFiles(files, options);
  const union = analyzeFiles(
    files.map((f) => ({ ...f, sample: [...f.sample, ...f.extra].sort((a, b) => a.index - b.index) })),
    options,
  );
  const sampled = new Set(files.flatMap((f, file) => f.sample.map((r) => `${file}:${r.index}`)));
  const sum = (pick: (f: ScreenedFile) => number) => files.reduce((a, f) => a + pick(f), 0);
  const n = {
    sampled: sum((f) => f.sample.length),
    extra: sum((f) => f.extra.length),
    count: sum((f) => f.count),
    inSample: sum((f) => f.inSample),
    records: sum((f) => f.records),
  };
  const perFile = union.files.map((x, file) => ({ ...x, records: files[file]!.sample.length }));
  return { ...union, files: perFile, ...screenedVerdict(union, (f) => sampled.has(`${f.file ?? 0}:${f.record}`), n) };
}
