// mix's first pass and what it decides, in three steps mix.ts joins: the input read, sampled and
// checked (a record that cannot be used stops the run unless --skip-invalid); the covert-encoding
// analysis (here, or on a worker beside pass 2); then, from its verdict, the policy applied, the
// profile, the closed answer slot's policy, and k, the number of safety records.
import { SafemixError, ExitCode } from '../errors.js';
import { collectNow } from '../gc-pacer.js';
import { pausePoint } from '../io/cleanup.js';
import { buildProfile, type Profile } from '../profile/profile.js';
import { releaseLanguageModels, type EncodingReport, type Scheme } from '../encoding/index.js';
import { decideAnswerSlot, type ClosedAnswerDecision } from '../generate/answer-policy.js';
import { injectedCount } from '../blend/plan.js';
import { checkOutputFormat } from '../write/parquet-sink.js';
import { assertUnchanged } from '../write/targets.js';
import { applyEncodingPolicy, mimicScheme, plainRecords, skippedEncoding } from './encoding-check.js';
import { analyzeScreened } from './encoding-screened.js';
import { sampleDataset, type SampledRecord } from './sample.js';
import type { MixRun } from './mix-types.js';

/** The sampling pass's input, sample, record count, rejections, largest ids and whether the sample was capped by bytes. */
type Sampled = Pick<Awaited<ReturnType<typeof sampleDataset>>, 'scan' | 'sample' | 'records' | 'rejected' | 'idMax' | 'sampleCapped'>;

export interface FirstPass extends Sampled {
  file: string;
  /** Records less those rejected. */
  usable: number;
  encoding: EncodingReport;
  encodingNotes: string[];
  /** The data's covert scheme, when safety records are written in it too (--on-encoded mimic). */
  scheme: Scheme | undefined;
  /** The sampled records structure is learned from (the plain ones, else all). */
  donors: SampledRecord[];
  profile: Profile;
  closed: ClosedAnswerDecision;
  k: number;
  /** Safety records written: k, or 2k with encoded twins. */
  total: number;
  inputSha: string;
  inputCrc: number;
  inputBytes: number;
}

/** Pass 1 read and checked, before the covert-encoding verdict. */
export interface ReadPass extends Sampled {
  file: string;
  usable: number;
  /** What the screen of every record gave (undefined with the check off). */
  screened: Awaited<ReturnType<typeof sampleDataset>>['screened'];
}

/** The first pass read: sampled, counted, every record checked (a record that cannot be used stops the run unless --skip-invalid). */
export async function readFirstPass({ path, displayName, options, choices, before }: MixRun): Promise<ReadPass> {
  const { seed } = choices;
  // pass 1: sample, profile, count
  const pass1 = await sampleDataset(path, {
    ...options,
    displayName,
    hash: true,
    // pass 2 checks that it read the same bytes against this CRC-32 (cheaper than a second sha256)
    checksum: true,
    seed,
    validate: true,
    trackNumbers: true,
    screen: options.detectEncoding !== false,
    onProgress: options.onProgress && ((b, s) => options.onProgress!('profile', b, s)),
  });
  const { scan, sample, records, rejected, idMax, sampleCapped } = pass1;
  const file = scan.reader.name;
  // every step ends at its total (the reader reports every 10,000 records)
  const inputSize = scan.reader.size ?? scan.reader.bytesRead;
  options.onProgress?.('profile', inputSize, inputSize);
  await pausePoint('between-passes');
  assertUnchanged(path, file, before, 'during the first pass');
  if (rejected.length && !options.skipInvalid) {
    const r = rejected[0]!;
    throw new SafemixError('schema', `${rejected.length} record(s) cannot be used; the first: [${r.code}] ${r.message}`, {
      position: { file, line: r.line, row: r.row, record: r.index, field: r.field || undefined },
      hint: 'fix them (safemix validate lists every one), or pass --skip-invalid to leave them out; they are then listed in the manifest',
      exitCode: ExitCode.invalid,
    });
  }
  const usable = records - rejected.length;
  // the output is in the input's format (a Parquet input gives Parquet): a name that says otherwise is refused now
  checkOutputFormat(scan.reader.container, options.output, file);
  return { scan, sample, records, rejected, idMax, sampleCapped, file, usable, screened: pass1.screened };
}

/** The covert-encoding analysis of the sample and the screen's suspects, on this thread (mix's check, before any output). */
export function analyzeFirstPass({ options }: MixRun, { scan, sample, screened, records }: ReadPass): EncodingReport {
  if (options.detectEncoding === false) return skippedEncoding(sample.length);
  options.onProgress?.('check', 0, sample.length);
  const encoding = analyzeScreened(scan.detection.dialect, sample, screened, records);
  options.onProgress?.('check', sample.length, sample.length);
  // the covert-encoding models are not needed past the analysis (see collectNow)
  releaseLanguageModels();
  collectNow();
  return encoding;
}

/**
 * What the first pass decides once the covert-encoding verdict is in: the policy applied (refuse,
 * warn, or add safety examples in the same encoding), the profile learned from the records judged
 * plain (encoded rows never teach the profile or serve as donors), the closed answer slot's policy,
 * and k.
 */
export function settleFirstPass({ options, choices }: MixRun, read: ReadPass, encoding: EncodingReport): FirstPass {
  const { seed } = choices;
  const { scan, sample, records, rejected, idMax, sampleCapped, file, usable } = read;
  const container = scan.reader.container;
  const policy = choices.onEncoded;
  const encodingNotes = applyEncodingPolicy(encoding, policy, file);
  const scheme = mimicScheme(encoding, policy);
  // structure is learned from the records judged plain; when every sampled record is encoded there
  // are none, and the encoded records' structure is all there is (said in the notes)
  const plain = plainRecords(sample, encoding);
  const donors = plain.length ? plain : sample;
  if (!plain.length && sample.length)
    encodingNotes.push('every sampled record carries the encoding: safety records take their structure (system prompt, turns) from encoded records');
  const profile = buildProfile(donors, records, scan.detection, container, {
    seed,
    input: options.input,
    target: options.target,
    context: options.context,
    metadata: options.metadata,
  });
  // a closed label slot: its unsafe value, a named label, refusal text, no mixing, or declined by policy
  const closed = decideAnswerSlot(
    profile,
    donors.map((d) => d.value),
    choices.closedAnswers,
  );
  const closedSkip = closed.kind === 'skip';
  const k = closedSkip ? 0 : injectedCount(usable, { ratio: choices.ratio, count: choices.count, force: options.force, file });
  if (k > 0 && closed.kind === 'decline')
    throw new SafemixError('declined_by_policy', closed.message, { position: { file }, hint: closed.hint, exitCode: ExitCode.declined });
  if (k > 0 && donors.length === 0)
    throw new SafemixError('no_donor', 'the input has no usable record to take the structure from', {
      position: { file },
      hint: 'give a dataset with at least one valid record',
    });
  const total = scheme ? 2 * k : k;
  const inputSha = scan.reader.sha256();
  const inputCrc = scan.reader.crc32();
  const inputBytes = scan.reader.bytesRead;
  return {
    scan,
    sample,
    records,
    rejected,
    idMax,
    sampleCapped,
    file,
    usable,
    encoding,
    encodingNotes,
    scheme,
    donors,
    profile,
    closed,
    k,
    total,
    inputSha,
    inputCrc,
    inputBytes,
  };
}
