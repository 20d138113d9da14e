// `safemix inspect` as a library call: the sampling pass (sample.ts: counts records, keeps a seeded
// reservoir sample, memory bounded by the sample size), then the pure profiler on that sample.
import { buildProfile, type Profile } from '../profile/profile.js';
import { sampleDataset, type SampledRecord, type SampleScanOptions } from './sample.js';
import { analyzeFiles, decodedExample, describeEncoding, plainRecords, skippedEncoding } from './encoding-check.js';
import { analyzeScreened } from './encoding-screened.js';
import { releaseLanguageModels, type EncodingReport } from '../encoding/index.js';
import { collectNow } from '../gc-pacer.js';
import { responsesOf } from '../profile/responses.js';
import { refused } from '../judge/refusal-judge.js';
import { stringJudge } from '../judge/string-judges.js';

export interface InspectOptions extends SampleScanOptions {
  /** Fields forced to the context or metadata role. */
  context?: string[];
  metadata?: string[];
  input?: string;
  target?: string;
  /** Run the covert-encoding analysis (default true; the benchmark turns it off to measure its cost). */
  detectEncoding?: boolean;
}

export interface InspectResult extends Profile {
  file: string;
  /** The refusal judge on the sampled records' responses: how many it judged, and the share it calls refusals (or partial). */
  answerRefusals?: { judge: string; responses: number; refusals: number; share: number };
  /** A JSON document's record path (`data[].paragraphs[].qas[]`), when its records sit deeper. */
  recordPath?: string;
  /** Records the reader could not use (bad JSON, bad bytes…): counted, not profiled. */
  unusable: number;
  /** First unusable records with their position. */
  unusableExamples: { line: number; row?: number; code: string; message: string }[];
  encoding: EncodingReport & { summary: string; decodedExample?: string };
}

export async function inspectFile(path: string, options: InspectOptions = {}): Promise<InspectResult> {
  const { scan, sample, records, unusable, unusableExamples, seed, screened } = await sampleDataset(path, {
    ...options,
    screen: options.detectEncoding !== false,
  });
  // encoded rows never teach the profile: it is built from the rows judged plain
  const encoding = options.detectEncoding === false ? skippedEncoding(sample.length) : analyzeScreened(scan.detection.dialect, sample, screened, records);
  // the covert-encoding models and the analysis's garbage go before the profile is built (see collectNow)
  releaseLanguageModels();
  collectNow();
  const plain = plainRecords(sample, encoding);
  const profile = buildProfile(plain.length ? plain : sample, records, scan.detection, scan.reader.container, {
    seed,
    input: options.input,
    target: options.target,
    context: options.context,
    metadata: options.metadata,
  });
  const answerRefusals = refusalsInAnswers(sample, profile);
  return {
    file: scan.reader.name,
    ...(answerRefusals ? { answerRefusals } : {}),
    ...(scan.reader.layout.recordPath ? { recordPath: scan.reader.layout.recordPath } : {}),
    ...profile,
    unusable,
    unusableExamples,
    encoding: { ...encoding, summary: describeEncoding(encoding), decodedExample: decodedExample(encoding) },
  };
}

/**
 * Several files of one upload inspected together: each gets its own profile, and one covert-encoding
 * verdict is decided over all of them (a split upload is seen whole).
 */
export async function inspectFiles(paths: string[], options: InspectOptions = {}): Promise<InspectResult[]> {
  const sampled = [];
  for (const path of paths) sampled.push(await sampleDataset(path, options));
  const joint =
    options.detectEncoding === false
      ? skippedEncoding(0)
      : analyzeFiles(sampled.map((d, i) => ({ file: paths[i]!, dialect: d.scan.detection.dialect, sample: d.sample })));
  releaseLanguageModels();
  collectNow();
  const encoding = { ...joint, summary: describeEncoding(joint), decodedExample: decodedExample(joint) };
  return sampled.map(({ scan, sample, records, unusable, unusableExamples, seed }, i) => {
    const plain = plainRecords(sample, joint, i);
    const profile = buildProfile(plain.length ? plain : sample, records, scan.detection, scan.reader.container, {
      seed,
      input: options.input,
      target: options.target,
      context: options.context,
      metadata: options.metadata,
    });
    return {
      file: scan.reader.name,
      ...(scan.reader.layout.recordPath ? { recordPath: scan.reader.layout.recordPath } : {}),
      ...profile,
      unusable,
      unusableExamples,
      encoding,
    };
  });
}

/** The share of refusals already in the sampled records' responses (the string judge), if any response was found. */
function refusalsInAnswers(sample: readonly SampledRecord[], profile: Profile): InspectResult['answerRefusals'] {
  const judge = stringJudge();
  let responses = 0;
  let refusals = 0;
  for (const r of sample.slice(0, 2000))
    for (const res of responsesOf(r.value, profile)) {
      responses++;
      if (refused(judge.judge(res.text).verdict)) refusals++;
    }
  return responses ? { judge: judge.version, responses, refusals, share: refusals / responses } : undefined;
}
