// `safemix judge` as a library call: labels every assistant response of a dataset with the refusal
// judge (every answer turn of a chat or a chat-template text, the answer slot of fields data or a
// field given with --field, both sides of a preference pair) and counts the verdicts. One pass for
// the structure on a seeded sample (inspect's), one streaming pass over every record.
import { openScan } from './scan.js';
import { buildProfile } from '../profile/profile.js';
import { responsesOf } from '../profile/responses.js';
import type { Verdict } from '../judge/refusal-judge.js';
import { stringJudge, type StringJudgeName } from '../judge/string-judges.js';
import type { InspectOptions } from './inspect.js';
import { sampleDataset } from './sample.js';
import { SafemixError } from '../errors.js';

interface JudgeFileOptions extends InspectOptions {
  /** The field that holds the response (`output`, `answer.text`): overrides what the profile finds. */
  field?: string;
  /** Keep one verdict per response in the report (the CLI's --json). */
  verdicts?: boolean;
  /** The string judge (default `string-v2`). */
  judge?: StringJudgeName;
}

interface ResponseVerdict {
  /** 0-based record index, and its line. */
  index: number;
  line: number;
  /** Where the response is in the record (`messages[2].content`, `chosen`). */
  path: string;
  verdict: Verdict;
  reason: string;
}

interface JudgeReport {
  file: string;
  judge: string;
  dialect: string;
  records: number;
  responses: number;
  counts: Record<Verdict, number>;
  /** Share of the responses judged a refusal or a partial refusal. */
  refusalShare: number;
  verdicts?: ResponseVerdict[];
}

export async function judgeFile(path: string, options: JudgeFileOptions = {}): Promise<JudgeReport> {
  if (path === '-')
    throw new SafemixError('usage', 'judge reads the file twice (its structure, then every record): standard input cannot be read twice', {
      position: { file: '-' },
      hint: 'write the data to a file and give its path',
    });
  const { scan, sample, records } = await sampleDataset(path, options);
  const profile = buildProfile(sample, records, scan.detection, scan.reader.container, {
    seed: options.seed ?? 'safemix',
    input: options.input,
    target: options.target,
    context: options.context,
    metadata: options.metadata,
  });
  const pass = await openScan(path, {
    ...options,
    container: scan.reader.container,
    recordPath: scan.reader.layout.recordPath,
    format: scan.detection.dialect,
  });
  const judge = stringJudge(options.judge);
  const counts: Record<Verdict, number> = { refusal: 0, partial: 0, compliance: 0 };
  const verdicts: ResponseVerdict[] = [];
  let responses = 0;
  for await (const r of pass.records) {
    if (r.problem) continue;
    const value = r.approximate ? pass.reader.exactValue(r) : r.value;
    for (const res of responsesOf(value, profile, options.field)) {
      const j = judge.judge(res.text);
      counts[j.verdict]++;
      responses++;
      if (options.verdicts) verdicts.push({ index: r.index, line: r.line, path: res.path, verdict: j.verdict, reason: j.reason });
    }
  }
  if (responses === 0)
    throw new SafemixError(
      'no_donor',
      options.field !== undefined ? `no record has a text at "${options.field}"` : 'no assistant response was found in the records',
      {
        position: { file: scan.reader.name, field: options.field },
        hint: 'name the field that holds the responses with --field PATH (e.g. --field output)',
      },
    );
  return {
    file: scan.reader.name,
    judge: judge.version,
    dialect: scan.detection.dialect,
    records,
    responses,
    counts,
    refusalShare: (counts.refusal + counts.partial) / responses,
    ...(options.verdicts ? { verdicts } : {}),
  };
}
