// The string refusal judges by name, for the commands that label responses (`score`, `judge`,
// `inspect`): `string-v2` (the default, refusal-judge-v2.ts) and `string-v1` (refusal-judge.ts, frozen
// and kept selectable with `--judge string-v1`). Both are measured in docs/judge.md. Pure.
import { JUDGE_VERSION, judgeResponse, type Judgement } from './refusal-judge.js';
import { JUDGE_V2_VERSION, judgeResponseV2 } from './refusal-judge-v2.js';

export const STRING_JUDGES = ['string-v2', 'string-v1'] as const;
export type StringJudgeName = (typeof STRING_JUDGES)[number];
export const DEFAULT_STRING_JUDGE: StringJudgeName = 'string-v2';

interface StringJudge {
  name: StringJudgeName;
  /** `safemix-string-judge/2`: what a report names. */
  version: string;
  judge(response: string | null | undefined): Judgement;
}

export function stringJudge(name: StringJudgeName = DEFAULT_STRING_JUDGE): StringJudge {
  return name === 'string-v1' ? { name, version: JUDGE_VERSION, judge: judgeResponse } : { name, version: JUDGE_V2_VERSION, judge: judgeResponseV2 };
}
