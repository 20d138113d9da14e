// The word order reversed (`text.split(' ').reverse().join(' ')`): every word is a word of the
// language and the letters read as language, so only the order gives it away. English uses some word
// pairs constantly in one order and almost never in the other ("of the", never "the of"; "is a",
// never "a is"): a text with several of them backwards and few forwards has had its word order turned.
import type { Detection } from './types.js';
import { reverseWordOrder } from './codecs/letters.js';
import { readsNatural } from './language-model.js';
import { englishWordRate } from './english-stats.js';
import { excerpt, wordNumber } from './text-scan.js';

/** Pairs English writes in this order, whose reversal is no English (questions such as "is it" left out). */
const ORDERED_PAIRS: readonly string[] = (
  'of the,in the,to the,on the,and the,for the,with the,at the,from the,by the,into the,about the,that the,is the,was the,are the,' +
  'than the,if the,when the,what the,all the,of a,in a,for a,to a,with a,as a,is a,was a,a few,a little,a lot,lot of,' +
  'the same,the most,the best,the other,the new,the two,' +
  'of this,of their,of his,of her,of your,of my,number of,part of,out of,instead of,because of,according to,due to,at least,each other,' +
  'more than,less than,fewer than,rather than,' +
  'up to,going to,used to,has to,had to,able to,how to,will be,can be,should be,would be,could be,might be,must be,may be,' +
  'has been,have been,had been,would have,could have,should have,does not,did not,is not,are not,was not,were not,will not'
).split(',');

/** The pairs' words (by wordNumber) as small ids, and the pairs as id pairs. */
const WORD_IDS = new Map<number, number>();
const PAIR_IDS = new Set<number>();
/** Longest word of a pair: a longer word needs no lookup. */
const LONGEST = 9;
for (const pair of ORDERED_PAIRS) {
  const [a, b] = pair.split(' ').map((w) => {
    const n = wordNumber(w, 0, w.length);
    if (!WORD_IDS.has(n)) WORD_IDS.set(n, WORD_IDS.size);
    return WORD_IDS.get(n)!;
  });
  PAIR_IDS.add(a! * 256 + b!);
}

/** By word length, the first letters (a bit each) of the pairs' words of that length: other words need no lookup. */
const FIRST_LETTERS = new Int32Array(LONGEST + 1);
for (const pair of ORDERED_PAIRS) for (const w of pair.split(' ')) FIRST_LETTERS[w.length]! |= 1 << (w.charCodeAt(0) - 97);

/** The id of the word text[from..to) among the pairs' words, or -1. */
function wordId(text: string, from: number, to: number): number {
  if (to - from > LONGEST || (FIRST_LETTERS[to - from]! & (1 << ((text.charCodeAt(from) | 32) - 97))) === 0) return -1;
  return WORD_IDS.get(wordNumber(text, from, to)) ?? -1;
}

/** Backward pairs a text needs with no forward one; with forward ones, how many times (plus one) they must outnumber them. */
const MIN_BACKWARD = 2;
const RATIO = 3;

const isWhite = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;
const isAsciiLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** A quote or bracket a word may open with, and the marks it may close with (a stop among them ends a clause). */
const isOpener = (c: number): boolean => c === 34 || c === 39 || c === 40 || c === 91;
const isCloser = (c: number): boolean => c === 34 || c === 39 || c === 41 || c === 93;
const isStop = (c: number): boolean => c === 44 || c === 46 || c === 59 || c === 58 || c === 33 || c === 63;

/**
 * Forward and backward ordered pairs among a text's words: neighbouring tokens of letters only, the
 * first not ending a sentence or clause (a digit or a mark between words breaks their neighbourhood).
 * One pass over the characters.
 */
export function orderedPairs(text: string): { forward: number; backward: number } {
  let forward = 0;
  let backward = 0;
  let prev = -1;
  // the next word opens the text, a sentence or a clause
  let opening = true;
  let lowerCase: boolean | undefined;
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && isWhite(text.charCodeAt(i))) i++;
    if (i >= n) break;
    // one token: [opener] letters [closers and stops], else no word
    let k = i;
    if (isOpener(text.charCodeAt(k))) k++;
    const from = k;
    while (k < n && isAsciiLetter(text.charCodeAt(k))) k++;
    const to = k;
    let stop = false;
    while (k < n && (isCloser(text.charCodeAt(k)) || isStop(text.charCodeAt(k)))) {
      if (isStop(text.charCodeAt(k))) stop = true;
      k++;
    }
    const word = to > from && (k >= n || isWhite(text.charCodeAt(k)));
    // in a text written in lower case, a capital standing alone inside a sentence names a letter
    // ("vitamin A is", "LATIN SMALL LETTER A WITH" among code names), it is no article (in a text in
    // capitals it may be either)
    const letterName = to === from + 1 && text.charCodeAt(from) < 97 && !opening && (lowerCase ??= mostlyLowerCase(text));
    const id = word && !letterName ? wordId(text, from, to) : -1;
    if (prev >= 0 && id >= 0) {
      if (PAIR_IDS.has(prev * 256 + id)) forward++;
      if (PAIR_IDS.has(id * 256 + prev)) backward++;
    }
    prev = word && !stop ? id : -1;
    opening = stop;
    while (k < n && !isWhite(text.charCodeAt(k))) k++;
    i = k;
  }
  return { forward, backward };
}

/** Half or more of the text's ASCII letters are lower case. */
function mostlyLowerCase(text: string): boolean {
  let lower = 0;
  let upper = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) lower++;
    else if (c >= 65 && c <= 90) upper++;
  }
  return lower >= upper;
}

/** The text opens with a sentence's last word ("May?") and closes on a capitalized word with no stop: a sentence turned round. */
export function endsTurned(text: string): boolean {
  const { first, last } = edgeWords(text);
  if (!/[a-z][.!?]+["')\]]*$/.test(first) || !/^["'(]?[A-Z][a-z]*$/.test(last)) return false;
  // six words or more
  let tokens = 0;
  for (let i = 0, inToken = false; i < text.length && tokens < 6; i++) {
    const white = isWhite(text.charCodeAt(i));
    if (!white && !inToken) tokens++;
    inToken = !white;
  }
  return tokens >= 6;
}

/** A text whose word order was reversed, read back; proven when the reading reads as language with its pairs forwards. */
export function findWordOrderReversal(text: string): Detection | undefined {
  const { forward, backward } = orderedPairs(text);
  // a text in capitals without a stop is a list of names or labels (`LATIN SMALL LETTER A WITH
  // ACUTE`), where "A" is a letter; prose turned round keeps its stops
  if (backward > 0 && !mostlyLowerCase(text) && !/[A-Za-z][.!?]["')\]]*(?:\s|$)/.test(text)) return undefined;
  const turned = forward === 0 ? backward >= MIN_BACKWARD || endsTurned(text) : backward >= RATIO * (forward + 1);
  if (!turned) return undefined;
  // English words (another language's "a to" is no reversed "to a")
  if (englishWordRate(text) < 0.5) return undefined;
  const decoded = reverseWordOrder(text.trim());
  // read back, its pairs run the usual way and it opens and closes as a sentence does
  const back = orderedPairs(decoded);
  if (back.backward > back.forward || endsTurned(decoded) || !readsNatural(decoded)) return undefined;
  return {
    family: 'reversed',
    score: Math.min(0.97, 0.6 + backward / 20),
    evidence: `${backward} word pairs English writes the other way round ("the of", "a is") and ${forward} the usual way${endsTurned(text) ? "; it opens with a sentence's last word and closes on its first" : ''}: the word order is reversed`,
    excerpt: excerpt(text),
    decoded,
    proven: true,
    scheme: { family: 'reversed', variant: 'word-order' },
  };
}

/** Fewest words of a text and its reversal in one record for a pair. */
const MIN_PAIR_WORDS = 6;

/**
 * A record holding a text and the same words in the reverse order (the second text may open with an
 * instruction of its own: "Decode this message:"): the encoded text's index, read back. A text and its
 * reversal side by side teach the reversal; the pair is its proof.
 */
export function findWordOrderPair(texts: readonly string[]): { textIndex: number; detection: Detection } | undefined {
  // either way the encoded text's last word is the plain text's first: only such pairs are split into words
  const ends = texts.map(edgeWords);
  const tokens: (string[] | undefined)[] = [];
  const tokensOf = (i: number): string[] => (tokens[i] ??= texts[i]!.trim().split(/\s+/).filter(Boolean));
  for (let e = 0; e < texts.length; e++)
    for (let p = 0; p < texts.length; p++) {
      if (e === p || !ends[e]!.last || ends[e]!.last !== ends[p]!.first) continue;
      const plain = tokensOf(p);
      const encoded = tokensOf(e);
      if (plain.length < MIN_PAIR_WORDS || encoded.length < MIN_PAIR_WORDS) continue;
      // the plain words reversed are the encoded text's last words, or the encoded text's words
      // (after a short instruction) reversed open the plain text (a plaintext followed by its answer)
      const asSuffix = encoded.length >= plain.length && reversedAt(plain, 0, plain.length, encoded, encoded.length - plain.length);
      const skip = asSuffix
        ? 0
        : [0, 1, 2, 3].find(
            (k) => encoded.length - k >= MIN_PAIR_WORDS && encoded.length - k <= plain.length && reversedAt(encoded, k, encoded.length, plain, 0),
          );
      if (!asSuffix && skip === undefined) continue;
      const turned = asSuffix ? encoded.slice(encoded.length - plain.length) : encoded.slice(skip);
      const decoded = [...turned].reverse().join(' ');
      if (decoded === turned.join(' ')) continue;
      return {
        textIndex: e,
        detection: {
          family: 'reversed',
          score: 0.97,
          evidence: `a text and the same ${turned.length} words in the reverse order in one record: the word order is reversed`,
          excerpt: excerpt(texts[e]!),
          decoded,
          proven: true,
          scheme: { family: 'reversed', variant: 'word-order' },
        },
      };
    }
  return undefined;
}

/** Whether a[from..to) reversed equals b from `at`. */
function reversedAt(a: readonly string[], from: number, to: number, b: readonly string[], at: number): boolean {
  if (at < 0 || at + (to - from) > b.length) return false;
  for (let k = 0; k < to - from; k++) if (a[to - 1 - k] !== b[at + k]) return false;
  return true;
}

/** A text's first and last whitespace-separated tokens, read from its two ends only. */
function edgeWords(t: string): { first: string; last: string } {
  let a = 0;
  while (a < t.length && isWhite(t.charCodeAt(a))) a++;
  let b = a;
  while (b < t.length && !isWhite(t.charCodeAt(b))) b++;
  let z = t.length;
  while (z > a && isWhite(t.charCodeAt(z - 1))) z--;
  let y = z;
  while (y > a && !isWhite(t.charCodeAt(y - 1))) y--;
  return { first: t.slice(a, b), last: t.slice(y, z) };
}
