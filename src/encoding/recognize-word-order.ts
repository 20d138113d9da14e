// The word order reversed (`text.split(' ').reverse().join(' ')`): every word is a word of the
// language and the letters read as language, so only the order gives it away. English uses some word
// pairs constantly in one order and almost never in the other ("of the", never "the of"; "is a",
// never "a is"): a text with several of them backwards and few forwards has had its word order turned.
import type { Detection } from './types.js';
import { reverseWordOrder } from './codecs/letters.js';
import { readsNatural } from './language-model.js';
import { englishWordRate } from './english-stats.js';
import { excerpt } from './text-scan.js';

/** Pairs English writes in this order, whose reversal is no English (questions such as "is it" left out). */
const ORDERED_PAIRS: ReadonlySet<string> = new Set(
  (
    'of the,in the,to the,on the,and the,for the,with the,at the,from the,by the,into the,about the,that the,is the,was the,are the,' +
    'than the,if the,when the,what the,all the,of a,in a,for a,to a,with a,as a,is a,was a,a few,a little,a lot,lot of,' +
    'the same,the most,the best,the other,the new,the two,' +
    'of this,of their,of his,of her,of your,of my,number of,part of,out of,instead of,because of,according to,due to,at least,each other,' +
    'more than,less than,fewer than,rather than,' +
    'up to,going to,used to,has to,had to,able to,how to,will be,can be,should be,would be,could be,might be,must be,may be,' +
    'has been,have been,had been,would have,could have,should have,does not,did not,is not,are not,was not,were not,will not'
  ).split(','),
);

/** Backward pairs a text needs with no forward one; with forward ones, how many times (plus one) they must outnumber them. */
const MIN_BACKWARD = 2;
const RATIO = 3;

/**
 * Forward and backward ordered pairs among a text's words: neighbouring tokens of letters only, the
 * first not ending a sentence or clause (a digit or a mark between words breaks their neighbourhood).
 */
export function orderedPairs(text: string): { forward: number; backward: number } {
  let forward = 0;
  let backward = 0;
  let prev = '';
  for (const token of text.split(/\s+/)) {
    const word = /^["'(\[]?([A-Za-z]+)[,.;:!?"')\]]*$/.exec(token)?.[1]?.toLowerCase() ?? '';
    if (prev && word) {
      if (ORDERED_PAIRS.has(`${prev} ${word}`)) forward++;
      if (ORDERED_PAIRS.has(`${word} ${prev}`)) backward++;
    }
    prev = word && !/[,.;:!?]["')\]]*$/.test(token) ? word : '';
  }
  return { forward, backward };
}

/** The text opens with a sentence's last word ("May?") and closes on a capitalized word with no stop: a sentence turned round. */
export function endsTurned(text: string): boolean {
  const tokens = text.trim().split(/\s+/);
  if (tokens.length < 6) return false;
  const first = tokens[0]!;
  const last = tokens[tokens.length - 1]!;
  return /[a-z][.!?]+["')\]]*$/.test(first) && /^["'(]?[A-Z][a-z]*$/.test(last);
}

/** A text whose word order was reversed, read back; proven when the reading reads as language with its pairs forwards. */
export function findWordOrderReversal(text: string): Detection | undefined {
  const { forward, backward } = orderedPairs(text);
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
  const tokens = texts.map((t) => t.trim().split(/\s+/).filter(Boolean));
  for (let e = 0; e < texts.length; e++)
    for (let p = 0; p < texts.length; p++) {
      if (e === p) continue;
      const plain = tokens[p]!;
      const encoded = tokens[e]!;
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
      if (turned.join(' ') === [...turned].reverse().join(' ')) continue;
      const decoded = [...turned].reverse().join(' ');
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
