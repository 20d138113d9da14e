// Joins the covert-encoding analysis to the commands: the sampled records' text units
// (profile/text-units.ts) analysed, one verdict over several files, the records the profiler may
// learn from, and mix's --on-encoded policy.
import { SafemixError, ExitCode } from '../errors.js';
import type { Dialect } from '../profile/dialects.js';
import { textUnitOf } from '../profile/text-units.js';
import { analyzeEncoding, isWritable, type AnalyzeOptions, type EncodingReport, type Scheme, type TextUnit } from '../encoding/index.js';
import { schemeText } from '../encoding/describe.js';

export { decodedExample, describeEncoding, skippedEncoding } from '../encoding/describe.js';

export type OnEncoded = 'fail' | 'warn' | 'mimic';

export function analyzeSample(dialect: Dialect, sample: { index: number; value: unknown }[], options?: AnalyzeOptions): EncodingReport {
  return analyzeEncoding(
    sample.map((r) => textUnitOf(dialect, r.index, r.value)),
    options,
  );
}

/** One file's part of a multi-file analysis. */
export interface FileSample {
  /** The name shown in the report. */
  file: string;
  dialect: Dialect;
  sample: { index: number; value: unknown }[];
}

/**
 * Several files judged as one dataset (a split upload is seen whole): one verdict over all their
 * sampled records; findings, examples and `files` name each record's file by its position in the list.
 */
export function analyzeFiles(files: FileSample[], options?: AnalyzeOptions): EncodingReport & { files: NonNullable<EncodingReport['files']> } {
  const units: TextUnit[] = files.flatMap((f, file) => f.sample.map((r) => ({ ...textUnitOf(f.dialect, r.index, r.value), file })));
  const report = analyzeEncoding(units, options);
  const perFile = files.map((f, file) => {
    const found = report.files?.find((x) => x.file === file);
    return { file, name: f.file, records: f.sample.length, flagged: found?.flagged ?? 0, proven: found?.proven ?? 0 };
  });
  return { ...report, files: perFile };
}

/**
 * The sampled records judged plain: those without any finding in the report. Template inference,
 * field roles and donors should be learned from these only, so no attacker text reaches a safety
 * record. With `file` given (multi-file analysis), only findings of that file count.
 */
export function plainRecords<T extends { index: number }>(sample: T[], report: EncodingReport, file?: number): T[] {
  if (report.verdict === 'none' || report.findings.length === 0) return sample;
  const flagged = new Set(report.findings.filter((f) => file === undefined || (f.file ?? 0) === file).map((f) => f.record));
  return sample.filter((r) => !flagged.has(r.index));
}

/**
 * The scheme mix's encoded twins are written in: under `mimic`, whenever the data is `encoded` or
 * `suspicious` and a scheme that can write any text was recovered; otherwise none.
 */
export function mimicScheme(report: EncodingReport, policy: OnEncoded): Scheme | undefined {
  if (policy !== 'mimic' || report.verdict === 'none' || !report.scheme) return undefined;
  return isWritable(report.scheme) ? report.scheme : undefined;
}

/** mix's policy: refuse (exit 3), warn, or go on and mimic. Throws for fail on `encoded`, and for mimic on `encoded` without a writable scheme. */
export function applyEncodingPolicy(report: EncodingReport, policy: OnEncoded, file: string): string[] {
  if (report.verdict === 'none') return [];
  const evidence = report.families
    .map((f) => `${f.family} in ${(f.share * 100).toFixed(1)}% of sampled records (e.g. record ${f.examples[0]?.record ?? '?'}: ${f.evidence})`)
    .join('; ');
  const scheme = mimicScheme(report, policy);
  if (report.verdict === 'suspicious') {
    const note = `a few records look encoded (${evidence}); ${report.reason}`;
    return [policy === 'mimic' && scheme ? `${note}; encoded safety examples added (${schemeText(scheme)})` : note];
  }
  if (policy === 'fail')
    throw new SafemixError('encoded_data', `the data carries a covert encoding: ${report.reason}. ${evidence}`, {
      position: { file },
      hint: 'inspect it (safemix inspect --json lists every flagged record with its decoding); --on-encoded warn mixes anyway, --on-encoded mimic also adds safety examples in the same encoding',
      exitCode: ExitCode.encoded,
    });
  if (policy === 'mimic' && !scheme)
    throw new SafemixError(
      'encoding_unrecoverable',
      `the data carries a covert encoding (${evidence}), but ${report.scheme ? `its scheme (${schemeText(report.scheme)}) cannot write arbitrary text` : 'its scheme could not be recovered'}, so safety examples cannot be written in it`,
      {
        position: { file },
        hint: 'refuse the dataset, or pass --on-encoded warn to mix plain safety examples only',
        exitCode: ExitCode.encoded,
      },
    );
  return [`covert encoding found (${evidence})${policy === 'mimic' ? '; encoded safety examples added' : '; mixed anyway (--on-encoded warn)'}`];
}
