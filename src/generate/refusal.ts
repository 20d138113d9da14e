// Composes the refusal of one harmful request in one language, from request-specific parts only: a
// decline from the language's bank, then (as the user's answers are longer) the seed's own reason,
// then its own safe alternative (redirect). No generic sentence is ever added to reach a length: a
// refusal is as long as what can be said about this request. A form that remarks on framing ("however
// it's framed") is used only for a request that has such framing, a writing verb only for a request
// for text, and the form's register follows the request's (formal or informal address); the tags are
// set by hand on the seeds and the bank forms. Pure given its random source.
import { countTextTokens } from '../profile/tokens.js';
import { boundedMemo } from '../bounded-memo.js';
import type { RefusalBank, Seed } from './seeds.js';

/** The longest refusal composed, in o200k tokens (about 150 English words). */
const REFUSAL_TOKEN_CAP = 200;

const pick = <T>(xs: readonly T[], random: () => number): T => xs[Math.floor(random() * xs.length)]!;

/** Sentences are joined without a space in Chinese and Japanese. */
function sentenceJoiner(lang: string): string {
  return lang === 'zh' || lang === 'ja' ? '' : ' ';
}

interface Composed {
  text: string;
  /** Bank ids and parts used, for the manifest and the tag test. */
  parts: string[];
  /** The text's length in o200k tokens, where it was counted (long forms). */
  tokens?: number;
}

/** What the request is, for choosing forms that fit it (from the seed's hand-set tags). */
export interface RequestFit {
  framing?: boolean;
  writing?: boolean;
  formality?: 'formal' | 'informal' | 'neutral';
  /**
   * A request for advice safemix may not give (a dose, a diagnosis, a legal outcome): asked by
   * someone in need, not someone doing wrong, it gets no firm or curt form ("No. I won't help with
   * this.", "This is a firm no from me.").
   */
  advice?: boolean;
}

interface Tagged {
  framing: boolean;
  writing: boolean;
  register: 'formal' | 'informal' | 'neutral';
  tone?: string;
}

/** Tones of the bank that read as curt or stern to someone asking for help. */
const STERN = new Set(['firm', 'brief']);

/**
 * The forms that fit a request: no framing remark unless it has framing, no writing verb unless it
 * asks for text, and no form in the opposite register (formal address to an informal request, or the
 * reverse). When the register rule would leave nothing, it is dropped; the other two never are. A
 * request for advice gets no firm or curt form where two others remain.
 */
export function fitting<T extends Tagged>(forms: readonly T[], fit: RequestFit = {}): T[] {
  // asked for every safety record with a handful of distinct fits: each list is filtered once per fit
  let byFit = fittingCache.get(forms);
  if (!byFit) fittingCache.set(forms, (byFit = new Map()));
  const key = `${fit.framing === true}|${fit.writing === true}|${fit.formality ?? ''}|${fit.advice === true}`;
  let out = byFit.get(key) as T[] | undefined;
  if (!out) byFit.set(key, (out = filterFitting(forms, fit)));
  return out;
}

const fittingCache = new WeakMap<readonly Tagged[], Map<string, Tagged[]>>();

function filterFitting<T extends Tagged>(forms: readonly T[], fit: RequestFit): T[] {
  const allowed = forms.filter((f) => (!f.framing || fit.framing === true) && (!f.writing || fit.writing === true));
  const base = allowed.length ? allowed : forms.filter((f) => !f.framing && !f.writing);
  const opposite = fit.formality === 'formal' ? 'informal' : fit.formality === 'informal' ? 'formal' : undefined;
  const registered = opposite ? base.filter((f) => f.register !== opposite) : base;
  const chosen = registered.length ? registered : base.length ? base : [...forms];
  if (!fit.advice) return chosen;
  const kind = chosen.filter((f) => !STERN.has(f.tone ?? ''));
  return kind.length >= 2 ? kind : chosen;
}

/**
 * A refusal of about `targetTokens` tokens (capped at REFUSAL_TOKEN_CAP): ≤ 12 a short form, ≤ 40 a
 * medium form with the seed's reason, else a long form with its reason and redirect (a medium form
 * when the seed has no redirect). Longer targets get no more than that.
 */
export function composeRefusal(
  bank: RefusalBank,
  seed: Pick<Seed, 'reason' | 'redirect'>,
  targetTokens: number,
  random: () => number,
  fit: RequestFit = {},
): Composed {
  const target = Math.min(REFUSAL_TOKEN_CAP, Math.max(1, targetTokens));
  const forms = (form: 'short' | 'medium' | 'long') => fitting(formsOf(bank)[form], fit);
  if (target <= 12 || !seed.reason) {
    if (target <= 12) return { text: shortRefusal(bank, random, fit), parts: ['short'] };
    const f = pick(forms('short'), random);
    return { text: f.text, parts: [f.id] };
  }
  if (target <= 40 || !seed.redirect) {
    const f = pick(forms('medium'), random);
    return { text: f.text.replace('{reason}', seed.reason), parts: [f.id, 'reason'] };
  }
  const f = pick(forms('long'), random);
  const text = f.text.replace('{reason}', seed.reason).replace('{redirect}', seed.redirect);
  return { text, parts: [f.id, 'reason', 'redirect'], tokens: baseCount(f.text, seed.reason, seed.redirect, text) };
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

/**
 * The bank's refusal forms by kind, found once per bank. Medium and long forms are the bank's own
 * plus one made of each short refusal followed by the reason (and the redirect): a decline sentence
 * of its own, so no one opening sentence carries a large share of a language's refusals.
 */
const formCache = new WeakMap<RefusalBank, Record<'short' | 'medium' | 'long', RefusalBank['refusals']>>();
function formsOf(bank: RefusalBank): Record<'short' | 'medium' | 'long', RefusalBank['refusals']> {
  let f = formCache.get(bank);
  if (!f) {
    const join = sentenceJoiner(bank.lang);
    const made = (kind: 'medium' | 'long') =>
      bank.shortForms.map((s, i) => ({
        id: `${bank.lang}-${kind === 'medium' ? 'sm' : 'sl'}${String(i + 1).padStart(2, '0')}`,
        form: kind,
        tone: 'short decline',
        framing: s.framing,
        writing: s.writing,
        register: s.register,
        text: kind === 'medium' ? `${s.text}${join}{reason}` : `${s.text}${join}{reason}${join}{redirect}`,
      }));
    f = {
      short: bank.refusals.filter((r) => r.form === 'short'),
      medium: [...bank.refusals.filter((r) => r.form === 'medium'), ...made('medium')],
      long: [...bank.refusals.filter((r) => r.form === 'long'), ...made('long')],
    };
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

/**
 * Token counts of the refusals' bases (a form with a seed's reason and redirect: a few thousand, each
 * met again as the seed decks cycle): a bounded memo.
 */
const countMemo = boundedMemo(5_000, countTextTokens);

/** A short refusal for label, number and option slots, one that fits the request. */
export function shortRefusal(bank: RefusalBank, random: () => number, fit: RequestFit = {}): string {
  return pick(fitting(bank.shortForms, fit), random).text;
}

/** A medium refusal with the seed's reason, for answers whose format was tied to the donor's question. */
export function plainRefusal(bank: RefusalBank, seed: Pick<Seed, 'reason' | 'redirect'>, random: () => number, fit: RequestFit = {}): string {
  return composeRefusal(bank, seed, 30, random, fit).text;
}
