// Composes the refusal of one harmful request in one language: a form from the language's bank
// (short, medium with the seed's own reason, long with its reason and redirect), lengthened with
// category-neutral elaborations and a closing until it reaches a target length in o200k tokens, so
// injected answers follow the user's answer lengths. A refusal never holds a reason or redirect
// written for another request. Pure given its random source.
import { countTextTokens } from '../profile/tokens.js';
import { boundedMemo } from '../bounded-memo.js';
import type { RefusalBank, Seed } from './seeds.js';

/** The longest refusal composed, in o200k tokens (about 150 English words). */
export const REFUSAL_TOKEN_CAP = 200;
/** At most this many category-neutral sentences lengthen one refusal (more reads as padding). */
const MAX_ELABORATIONS = 4;

const pick = <T>(xs: readonly T[], random: () => number): T => xs[Math.floor(random() * xs.length)]!;

/** Sentences are joined without a space in Chinese and Japanese. */
export function sentenceJoiner(lang: string): string {
  return lang === 'zh' || lang === 'ja' ? '' : ' ';
}

export interface Composed {
  text: string;
  /** Bank ids and parts used, for the manifest and the tag test. */
  parts: string[];
  /** The text's length in o200k tokens, where it was counted (long forms). */
  tokens?: number;
}

/**
 * A refusal of about `targetTokens` tokens (capped at REFUSAL_TOKEN_CAP): ≤ 12 a short form, then a
 * medium form with the seed's reason, then a long form with its reason and redirect (a closing when
 * the seed has no redirect), and elaborations between the reason and the redirect until it is long
 * enough.
 */
export function composeRefusal(bank: RefusalBank, seed: Pick<Seed, 'reason' | 'redirect'>, targetTokens: number, random: () => number): Composed {
  const target = Math.min(REFUSAL_TOKEN_CAP, Math.max(1, targetTokens));
  const join = sentenceJoiner(bank.lang);
  const forms = (form: 'short' | 'medium' | 'long') => formsOf(bank)[form];
  if (target <= 12 || !seed.reason) {
    if (target <= 12) {
      const s = pick(bank.short, random);
      return { text: s, parts: ['short'] };
    }
    const f = pick(forms('short'), random);
    return { text: f.text, parts: [f.id] };
  }
  if (target <= 40) {
    const f = pick(forms('medium'), random);
    return { text: f.text.replace('{reason}', seed.reason), parts: [f.id, 'reason'] };
  }
  const f = pick(forms('long'), random);
  const redirect = seed.redirect ?? pick(bank.closings, random);
  const parts = [f.id, 'reason', seed.redirect ? 'redirect' : 'closing'];
  const build = (extra: string[]) => f.text.replace('{reason}', [seed.reason!, ...extra].join(join)).replace('{redirect}', redirect);
  // Token counts add up where the tokenizer's pre-split must cut: between two non-space characters
  // joined by one space, and before whitespace. There a longer text is counted from the shorter
  // one's count and the added piece's (memoised); anywhere else it is counted whole.
  const after = f.text.slice(f.text.indexOf('{reason}') + '{reason}'.length).replace('{redirect}', redirect);
  const spaced = join === ' ';
  const cutsAfterReason = after === '' || /^\s/.test(after);
  let text = build([]);
  let tokens = baseCount(f.text, seed.reason!, redirect, text);
  let endsCut = !/\s$/.test(seed.reason!);
  const pool = [...bank.elaborations];
  const extra: string[] = [];
  while (tokens < target * 0.9 && pool.length && extra.length < MAX_ELABORATIONS) {
    const next = pool.splice(Math.floor(random() * pool.length), 1)[0]!;
    const candidate = build([...extra, next]);
    const additive = spaced && cutsAfterReason && endsCut && isCut(next);
    const candidateTokens = additive ? tokens + spacedCount(next) : countTextTokens(candidate);
    if (candidateTokens > REFUSAL_TOKEN_CAP) break;
    extra.push(next);
    text = candidate;
    tokens = candidateTokens;
    endsCut = !/\s$/.test(next);
    parts.push('elaboration');
  }
  if (tokens < target * 0.9 && seed.redirect) {
    const closing = pick(bank.closings, random);
    const closed = spaced && isCut(closing) && !/\s$/.test(text) ? tokens + spacedCount(closing) : countTextTokens(text + join + closing);
    if (closed <= REFUSAL_TOKEN_CAP) {
      text = text + join + closing;
      tokens = closed;
      parts.push('closing');
    }
  }
  return { text, parts, tokens };
}

/**
 * The token count of a long form filled with a seed's reason and redirect (`text`), from the counts of
 * its pieces (the form's literal parts, the reason, the redirect; each memoised) where every junction
 * is a cut: a non-space character and a single space, then a non-space character (the space on either
 * side of the junction). Otherwise, or when the pieces do not rebuild `text` exactly, it is counted whole.
 */
function countBase(form: string, reason: string, redirect: string, text: string): number {
  const pieces = form.split(/(\{reason\}|\{redirect\})/).map((p) => (p === '{reason}' ? reason : p === '{redirect}' ? redirect : p));
  if (pieces.join('') !== text) return countMemo(text);
  let total = 0;
  let start = 0;
  let at = 0;
  for (let i = 0; i < pieces.length - 1; i++) {
    at += pieces[i]!.length;
    const cut = cutAt(text, at);
    if (cut === undefined) continue;
    if (cut > start) total += countMemo(text.slice(start, cut));
    start = cut;
  }
  return total + countMemo(text.slice(start));
}

/**
 * countBase, memoised by its pieces: the form, reason and redirect strings are the bank's and the
 * seeds' own (the same string each time), so these lookups cost no hashing of long texts, as a memo
 * keyed by the composed text would. Bounded like countMemo.
 */
const bases = new Map<string, Map<string, Map<string, number>>>();
let basesSize = 0;
function baseCount(form: string, reason: string, redirect: string, text: string): number {
  let byReason = bases.get(form);
  if (!byReason) bases.set(form, (byReason = new Map()));
  let byRedirect = byReason.get(reason);
  if (!byRedirect) byReason.set(reason, (byRedirect = new Map()));
  let n = byRedirect.get(redirect);
  if (n === undefined) {
    if (basesSize >= 20_000) {
      bases.clear();
      basesSize = 0;
    }
    n = countBase(form, reason, redirect, text);
    byRedirect.set(redirect, n);
    basesSize++;
  }
  return n;
}

/** The token count of a piece with one space before it (an elaboration or a closing), keyed by the piece itself. */
const spacedCount = boundedMemo(5_000, (piece: string) => countTextTokens(' ' + piece));

/** The bank's refusal forms by kind, found once per bank. */
const formCache = new WeakMap<RefusalBank, Record<'short' | 'medium' | 'long', RefusalBank['refusals']>>();
function formsOf(bank: RefusalBank): Record<'short' | 'medium' | 'long', RefusalBank['refusals']> {
  let f = formCache.get(bank);
  if (!f) {
    f = { short: bank.refusals.filter((r) => r.form === 'short'), medium: bank.refusals.filter((r) => r.form === 'medium'), long: bank.refusals.filter((r) => r.form === 'long') };
    formCache.set(bank, f);
  }
  return f;
}

/** Where the tokenizer's pre-split must cut at junction `at`: before a single space between two non-space characters. */
function cutAt(text: string, at: number): number | undefined {
  const spaceAt = text[at] === ' ' ? at : text[at - 1] === ' ' ? at - 1 : -1;
  if (spaceAt < 1 || spaceAt + 1 >= text.length) return undefined;
  return /\s/.test(text[spaceAt - 1]!) || /\s/.test(text[spaceAt + 1]!) ? undefined : spaceAt;
}

/** A piece that starts and ends with a non-space character. */
function isCut(piece: string): boolean {
  return piece.length > 0 && !/^\s|\s$/.test(piece);
}

/**
 * Token counts of the bank's pieces (elaborations and closings) and of the refusals' bases (a form with
 * a seed's reason and redirect: a few thousand, each met again as the seed decks cycle): a bounded memo.
 */
const countMemo = boundedMemo(5_000, countTextTokens);

/** A short refusal for label, number and option slots. */
export function shortRefusal(bank: RefusalBank, random: () => number): string {
  return pick(bank.short, random);
}

/** A medium refusal with the seed's reason, for answers whose format was tied to the donor's question. */
export function plainRefusal(bank: RefusalBank, seed: Pick<Seed, 'reason' | 'redirect'>, random: () => number): string {
  return composeRefusal(bank, seed, 30, random).text;
}
