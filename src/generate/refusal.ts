// Chooses and composes a refusal for one harmful request: a phrasing from the bank, the category's
// reason where the phrasing asks for one, and a safe redirect when the task's answers are long
// enough to hold it. Sized to fit the user's answers. Pure given its random source.
import type { RefusalBank } from './seeds.js';

export interface RefusalFit {
  /** Typical answer length of the task, in characters (p50). */
  targetChars: number;
}

const pick = <T>(xs: readonly T[], random: () => number): T => xs[Math.floor(random() * xs.length)]!;

export function composeRefusal(bank: RefusalBank, category: string, fit: RefusalFit, random: () => number): string {
  if (fit.targetChars < 60) return pick(bank.short, random);
  const phrasing = pick(bank.refusals, random).text;
  const reasons = bank.reasons[category] ?? Object.values(bank.reasons)[0]!;
  let text = phrasing.replace('{reason}', pick(reasons, random));
  const redirects = bank.redirects[category];
  if (redirects && fit.targetChars >= 160 && text.length < fit.targetChars * 0.8) text += ' ' + pick(redirects, random);
  return text;
}

/** A short refusal for label, number and wrapper slots. */
export function shortRefusal(bank: RefusalBank, random: () => number): string {
  return pick(bank.short, random);
}
