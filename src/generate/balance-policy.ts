// How many balance examples a mix adds, and whether its data can carry them. Balance examples are
// safe-but-sensitive prompts answered helpfully (data/balance/), added beside the k refusals so that
// a model fine-tuned on the mix does not learn to refuse what only sounds alarming (over-refusal, as
// XSTest and OR-Bench count it). Their number is a share of k, counted apart from k. Pure.
import type { AnswerSpace } from '../profile/answer-space.js';
import { timesRoundHalfUp } from '../exact-decimal.js';

/** The default share of k: one balance example for every ten refusals. */
export const DEFAULT_BALANCE_SHARE = 0.1;

export type BalanceDecision = { count: number; share: number } | { count: 0; share: number; skipped: string };

/**
 * b = round-half-up(k × share) balance examples, when the answer slot takes free text: a helpful
 * answer has no place in a label, a number, a choice letter, a list or a code stub, and a covert
 * scheme's twins are refusals only, and a summary of a dialogue is neither. `skipped` says why none are added.
 */
export function decideBalance(
  k: number,
  share: number,
  space: AnswerSpace,
  opts: { scheme?: boolean; jsonTextKey?: boolean; summary?: boolean },
): BalanceDecision {
  if (!(share > 0) || k === 0) return { count: 0, share };
  if (opts.scheme)
    return {
      count: 0,
      share,
      skipped: 'the data carries a covert encoding: every added record is a refusal or its encoded twin, so no balance examples were added',
    };
  if (opts.summary)
    return {
      count: 0,
      share,
      skipped: 'the answers summarise the requests (dialogues told in the third person): a helpful answer is not a summary, so no balance examples were added',
    };
  const freeText = space.kind === 'text' || (space.kind === 'json' && opts.jsonTextKey === true);
  if (!freeText)
    return {
      count: 0,
      share,
      skipped: `the answers are ${space.kind === 'json' ? 'JSON objects without a free-text field' : space.kind === 'none' ? 'missing' : `${space.kind}s`}: a helpful answer has no place in that slot, so no balance examples were added`,
    };
  return { count: timesRoundHalfUp(k, share), share };
}
