// English statistics: letter frequencies, a letter-bigram model built from the embedded word list,
// a dictionary test with common suffixes, and the text measures the recognizers share (pure).
import { COMMON_WORDS } from './english-words.js';
import { boundedMemo } from '../bounded-memo.js';
import { isLetter, letterIndex, scanWords } from './text-scan.js';

/** Relative frequency (percent) of a..z in English running text. */
export const LETTER_FREQUENCIES: readonly number[] = [
  8.17, 1.49, 2.78, 4.25, 12.7, 2.23, 2.02, 6.09, 6.97, 0.15, 0.77, 4.03, 2.41, 6.75, 7.51, 1.93, 0.095, 5.99, 6.33, 9.06, 2.76, 0.98, 2.36, 0.15, 1.97, 0.074,
];

/** English letters from most to least frequent (etaoinshr…), from LETTER_FREQUENCIES. */
export const LETTERS_BY_FREQUENCY: string = [...'abcdefghijklmnopqrstuvwxyz']
  .map((ch, i) => ({ ch, f: LETTER_FREQUENCIES[i]! }))
  .sort((a, b) => b.f - a.f)
  .map((x) => x.ch)
  .join('');

const WORD_SET: ReadonlySet<string> = new Set(COMMON_WORDS);

function inSet(w: string): boolean {
  return w.length > 0 && WORD_SET.has(w);
}

const judgedInflection = boundedMemo(20_000, (word: string) => inflectionOfCommon(word));

/** True when a lower-case word is a common English word or a regular inflection of one. */
export function isEnglishWord(word: string): boolean {
  if (WORD_SET.has(word)) return true;
  // words outside the list are judged once (prose repeats its words); only short ones are kept, which
  // the engine copies out of their text (a longer one may be a slice that keeps its whole text alive)
  return word.length > 12 ? inflectionOfCommon(word) : judgedInflection(word);
}

function inflectionOfCommon(word: string): boolean {
  const apostrophe = word.indexOf("'");
  if (apostrophe > 0) return isEnglishWord(word.slice(0, apostrophe));
  const n = word.length;
  if (n < 3) return false;
  const last = word.charCodeAt(n - 1);
  if (last === 115 /* s */) {
    if (inSet(word.slice(0, -1))) return true;
    if (word.endsWith('es') && inSet(word.slice(0, -2))) return true;
    if (word.endsWith('ies') && inSet(word.slice(0, -3) + 'y')) return true;
    if (word.endsWith('ness') && inSet(word.slice(0, -4))) return true;
    if (word.endsWith('less') && inSet(word.slice(0, -4))) return true;
    if (word.endsWith('ments') && inSet(word.slice(0, -5))) return true;
    if (word.endsWith('ers') && stemWithE(word.slice(0, -3))) return true;
    if (word.endsWith('ings') && stemWithE(word.slice(0, -4))) return true;
    return false;
  }
  if (word.endsWith('ed')) return stemWithE(word.slice(0, -2)) || (word.endsWith('ied') && inSet(word.slice(0, -3) + 'y'));
  if (word.endsWith('ing')) return stemWithE(word.slice(0, -3));
  if (word.endsWith('er')) return stemWithE(word.slice(0, -2)) || (word.endsWith('ier') && inSet(word.slice(0, -3) + 'y'));
  if (word.endsWith('est')) return stemWithE(word.slice(0, -3)) || (word.endsWith('iest') && inSet(word.slice(0, -4) + 'y'));
  if (word.endsWith('ly'))
    return inSet(word.slice(0, -2)) || (word.endsWith('ily') && inSet(word.slice(0, -3) + 'y')) || (word.endsWith('ally') && inSet(word.slice(0, -4)));
  if (word.endsWith('ment')) return inSet(word.slice(0, -4));
  if (word.endsWith('ful')) return inSet(word.slice(0, -3));
  if (word.endsWith('ness')) return inSet(word.slice(0, -4));
  if (word.endsWith('able')) return stemWithE(word.slice(0, -4));
  return false;
}

/** A stem as found, with a final `e` restored, or with a doubled final consonant undone. */
function stemWithE(stem: string): boolean {
  if (stem.length < 2) return false;
  if (inSet(stem) || inSet(stem + 'e')) return true;
  const n = stem.length;
  return n >= 3 && stem.charCodeAt(n - 1) === stem.charCodeAt(n - 2) && inSet(stem.slice(0, -1));
}

interface WordStats {
  /** Words of two or more letters. */
  words: number;
  /** Of those, common English words. */
  englishWords: number;
  /** englishWords / words (0 when there are no words). */
  englishRate: number;
  /** Words starting with a capital letter. */
  capitalized: number;
  letters: number;
}

/** Dictionary-word rate of a text's words (ASCII letter runs; one-letter words are not counted). */
export function wordStats(text: string): WordStats {
  let words = 0;
  let englishWords = 0;
  let capitalized = 0;
  let letters = 0;
  scanWords(text, (word, _start, _end, stemLength, isCapitalized) => {
    letters += stemLength;
    if (stemLength < 2) return;
    words++;
    if (isCapitalized) capitalized++;
    if (isEnglishWord(word)) englishWords++;
  });
  return { words, englishWords, englishRate: words ? englishWords / words : 0, capitalized, letters };
}

/**
 * Whether the count of English words (of 2+ letters, as wordStats counts them) reaches what `enough`
 * asks: the scan stops as soon as it does, so text that reads as English is read only in part.
 */
export function englishWordsReach(text: string, enough: (englishWords: number) => boolean): boolean {
  let englishWords = 0;
  let reached = false;
  scanWords(text, (word, _start, _end, stemLength) => {
    if (stemLength < 2 || !isEnglishWord(word)) return;
    englishWords++;
    if (!enough(englishWords)) return;
    reached = true;
    return false;
  });
  return reached;
}

/** Share of words (2+ letters) that are common English words. */
export function englishWordRate(text: string): number {
  return wordStats(text).englishRate;
}

/** Index of coincidence of the ASCII letters: about 0.066 for English (and any substitution of it), 0.038 for random letters. */
export function indexOfCoincidence(text: string): number {
  const counts = new Array<number>(26).fill(0);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const k = letterIndex(text.charCodeAt(i));
    if (k >= 0) {
      counts[k]!++;
      n++;
    }
  }
  if (n < 2) return 0;
  let sum = 0;
  for (const c of counts) sum += c * (c - 1);
  return sum / (n * (n - 1));
}

/** Share of letters that are a, e, i, o, u (about 0.38 in English). */
export function vowelRatio(text: string): number {
  let vowels = 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const k = letterIndex(text.charCodeAt(i));
    if (k < 0) continue;
    n++;
    if (k === 0 || k === 4 || k === 8 || k === 14 || k === 20) vowels++;
  }
  return n ? vowels / n : 0;
}

/** Symbol 26 stands for a word boundary in the bigram model. */
export const BOUNDARY = 26;

interface BigramModel {
  /** log P(next | previous), 27 x 27 flattened (row = previous). */
  logConditional: Float64Array;
  /** Joint probability of within-word letter bigrams, 26 x 26 flattened. */
  joint: Float64Array;
}

let model: BigramModel | undefined;

/**
 * Bigram statistics estimated from the word list, each word weighted by a Zipf-like 1/(rank+8), so
 * `the`, `of`, `and` dominate as they do in running text. Built once, on first use.
 */
export function bigramModel(): BigramModel {
  if (model) return model;
  const counts = new Float64Array(27 * 27);
  const joint = new Float64Array(26 * 26);
  let jointTotal = 0;
  COMMON_WORDS.forEach((w, rank) => {
    const weight = 1 / (rank + 8);
    let prev = BOUNDARY;
    for (let i = 0; i < w.length; i++) {
      const k = letterIndex(w.charCodeAt(i));
      if (k < 0) {
        prev = BOUNDARY;
        continue;
      }
      counts[prev * 27 + k]! += weight;
      if (prev !== BOUNDARY) {
        joint[prev * 26 + k]! += weight;
        jointTotal += weight;
      }
      prev = k;
    }
    counts[prev * 27 + BOUNDARY]! += weight;
  });
  const logConditional = new Float64Array(27 * 27);
  for (let a = 0; a < 27; a++) {
    let row = 0;
    for (let b = 0; b < 27; b++) row += counts[a * 27 + b]!;
    const smooth = row * 0.002 + 1e-6;
    const denom = row + smooth * 27;
    for (let b = 0; b < 27; b++) logConditional[a * 27 + b] = Math.log((counts[a * 27 + b]! + smooth) / denom);
  }
  for (let i = 0; i < joint.length; i++) joint[i]! /= jointTotal;
  model = { logConditional, joint };
  return model;
}

/** A within-word bigram English almost never uses (jq, vk, xz, …). */
const RARE_JOINT = 0.00012;

interface LetterShape {
  letters: number;
  /** Within-word letter pairs. */
  bigrams: number;
  /** Share of those pairs that English almost never uses. */
  rareBigramShare: number;
  /** Mean log P(next | previous) over letters and word boundaries. */
  meanLogProb: number;
}

/** How English-like the letter sequences of a text are, whatever its words mean. */
export function letterShape(text: string): LetterShape {
  const { logConditional, joint } = bigramModel();
  let letters = 0;
  let bigrams = 0;
  let rare = 0;
  let logSum = 0;
  let steps = 0;
  let prev = BOUNDARY;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    const k = isLetter(c) ? letterIndex(c) : BOUNDARY;
    if (k === BOUNDARY && prev === BOUNDARY) continue;
    if (k !== BOUNDARY) letters++;
    if (k !== BOUNDARY && prev !== BOUNDARY) {
      bigrams++;
      if (joint[prev * 26 + k]! < RARE_JOINT) rare++;
    }
    logSum += logConditional[prev * 27 + k]!;
    steps++;
    prev = k;
  }
  return { letters, bigrams, rareBigramShare: bigrams ? rare / bigrams : 0, meanLogProb: steps ? logSum / steps : 0 };
}

/**
 * How much of a letter string splits into English words: letters covered by dictionary words of 3+
 * letters (2-letter words count half), by dynamic programming over word lengths up to 12.
 */
export function wordCoverage(letters: string): number {
  const n = letters.length;
  if (n === 0) return 0;
  const best = new Float64Array(n + 1);
  for (let i = 1; i <= n; i++) {
    best[i] = best[i - 1]!;
    for (let len = 2; len <= Math.min(12, i); len++) {
      const word = letters.slice(i - len, i);
      if (!isEnglishWord(word)) continue;
      const value = len >= 3 ? len : 1;
      if (best[i - len]! + value > best[i]!) best[i] = best[i - len]! + value;
    }
  }
  return best[n]! / n;
}
