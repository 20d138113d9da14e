// Whether words taken one a line (the last or the first word of each line) read as sentences by
// their order, not only by their words. The line ends of a poem or a dialogue are real words of the
// language, and "the", "of", "to" are as common among them as in a sentence, so a test of the words
// alone reads them as hidden messages. A hidden message differs in its order: its neighbouring words
// are pairs the language uses. Each message's order is weighed against shuffles of its own words by
// how often its neighbouring pairs occur in a reference text (the dataset's other records and the
// Universal Declaration of Human Rights in their languages): a permutation test, seeded by the words,
// so the same words always get the same answer. One message's test is weak (a short reference
// knows few pairs), so the dataset's messages are judged together: they read in order when far more
// of them beat their shuffles than chance gives (a binomial tail).
import seedrandom from 'seedrandom';

/** Shuffles the test compares against, and the share of them the given order must beat. */
const SHUFFLES = 400;
/** A message beats its shuffles at this level; the share of messages that do by chance is taken as NULL_RATE (twice the level, for a reference that is not the language). */
const SIGNIFICANCE = 0.05;
const NULL_RATE = 0.1;
/** The messages together read in order when as many beating their shuffles by chance is at most this likely. */
const GROUP_SIGNIFICANCE = 1e-6;
/** Fewest neighbouring pairs found in the reference for an order to beat its shuffles. */
const MIN_FOUND = 2;
/**
 * Words of the reference text at most: a bounded share of the dataset's text is enough, and it bounds
 * the pair table (1.7 million words of the corpus's text took 40 MB and 1.3 s to count; this many, 32 MB
 * and 0.3 s).
 */
const MAX_REFERENCE_WORDS = 300_000;

/** Lower-case words of letters (and inner apostrophes) of a text, in order. */
export function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(/\p{L}+(?:['’]\p{L}+)*/gu) ?? []).map((w) => w.replace(/’/g, "'"));
}

/** The neighbouring word pairs of reference texts, counted. */
export class WordPairs {
  private readonly pairs = new Map<string, number>();
  private words = 0;

  /** Adds a text's neighbouring pairs (within its lines: a line break is no neighbourhood). */
  add(text: string): void {
    for (const line of text.split('\n')) {
      if (this.words >= MAX_REFERENCE_WORDS) return;
      const w = wordsOf(line);
      this.words += w.length;
      for (let i = 0; i + 1 < w.length; i++) {
        const key = `${w[i]} ${w[i + 1]}`;
        this.pairs.set(key, (this.pairs.get(key) ?? 0) + 1);
      }
    }
  }

  /** A pair's count, less its count in `without` (the message's own record: its text is no reference for itself). */
  count(a: string, b: string, without?: WordPairs): number {
    const key = `${a} ${b}`;
    return (this.pairs.get(key) ?? 0) - (without?.pairs.get(key) ?? 0);
  }

  /** How well the order of `words` fits the reference: the log of each neighbouring pair's count (plus one), summed. */
  fit(words: readonly string[], without?: WordPairs): number {
    let s = 0;
    for (let i = 0; i + 1 < words.length; i++) s += Math.log1p(this.count(words[i]!, words[i + 1]!, without));
    return s;
  }

  /** Neighbouring pairs of `words` found in the reference. */
  found(words: readonly string[], without?: WordPairs): number {
    let n = 0;
    for (let i = 0; i + 1 < words.length; i++) if (this.count(words[i]!, words[i + 1]!, without) > 0) n++;
    return n;
  }
}

/** The order's pairs found, and the share of shuffles of the same words that find as many or more. */
function orderSignificance(words: readonly string[], reference: WordPairs, without?: WordPairs): { found: number; p: number } {
  const found = reference.found(words, without);
  const fit = reference.fit(words, without);
  if (words.length < 3) return { found, p: 1 };
  const random = seedrandom(`word-order:${words.join(' ')}`);
  const shuffled = [...words];
  let asMany = 0;
  for (let k = 0; k < SHUFFLES; k++) {
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = shuffled[i]!;
      shuffled[i] = shuffled[j]!;
      shuffled[j] = t;
    }
    if (reference.fit(shuffled, without) >= fit) asMany++;
  }
  return { found, p: (asMany + 1) / (SHUFFLES + 1) };
}

/**
 * The words of a message taken a word a line: each token as one word (a line's `half-a-crown` is one
 * word of the message, not three), lower case, without its edge punctuation; tokens with no letter left out.
 */
export function messageWords(text: string): string[] {
  const out: string[] = [];
  for (const token of text.toLowerCase().split(/\s+/)) {
    const w = token.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '').replace(/’/g, "'");
    if (w) out.push(w);
  }
  return out;
}

/** Whether one message's order beats its shuffles (see the module's first lines). */
export function beatsShuffles(text: string, reference: WordPairs, without?: WordPairs): boolean {
  const { found, p } = orderSignificance(messageWords(text), reference, without);
  return found >= MIN_FOUND && p <= SIGNIFICANCE;
}

/** P(X ≥ k) for X binomial(n, q). */
function binomialTail(k: number, n: number, q: number): number {
  if (k <= 0) return 1;
  let term = Math.pow(1 - q, n);
  let below = 0;
  for (let i = 0; i < k; i++) {
    below += term;
    term *= ((n - i) / (i + 1)) * (q / (1 - q));
  }
  return Math.max(0, 1 - below);
}

/** Whether `beating` of `messages` beating their shuffles is far beyond chance: the messages read in order. */
export function readInOrder(beating: number, messages: number): boolean {
  return beating > 0 && binomialTail(beating, messages, NULL_RATE) <= GROUP_SIGNIFICANCE;
}
