// Transpositions: the text's own characters in another order (rail fence, columnar with a keyword).
// They keep the letters' frequencies, so a text whose letters are English by count but which reads
// as no language (under the letter models of 50 languages, so text in another language is never
// tried) is tried with every rail count and every order of up to 5 columns; for 6 to 8 columns (720
// to 40,320 orders), each order's first rows are scored by English letter pairs and the best few
// decoded in full. A decoding that reads as English is the proof.
import type { Detection } from './types.js';
import { bigramModel, englishWordRate, englishWordsReach, LETTER_FREQUENCIES } from './english-stats.js';
import { readsNatural } from './language-model.js';
import { countWords, excerpt, letterIndex, wordTokenShare } from './text-scan.js';

/** Rail counts tried. */
const RAILS = [2, 3, 4, 5, 6, 7, 8];
/** Columnar keys tried: every order of up to this many columns. */
const MAX_COLUMNS = 5;

/** The rail fence written with `rails` rails, read back (the characters' zigzag order undone). */
function railFenceDecode(text: string, rails: number): string {
  const chars = [...text];
  const n = chars.length;
  const cycle = 2 * (rails - 1);
  const railOf = (i: number) => {
    const k = i % cycle;
    return k < rails ? k : cycle - k;
  };
  const order: number[] = [];
  for (let r = 0; r < rails; r++) for (let i = 0; i < n; i++) if (railOf(i) === r) order.push(i);
  const out: string[] = new Array(n);
  order.forEach((pos, k) => (out[pos] = chars[k]!));
  return out.join('');
}

/** Columnar transposition undone: `order[j]` is the column read j-th; columns hold the text row by row. */
function columnarDecode(text: string, order: number[]): string {
  const chars = [...text];
  const n = chars.length;
  const k = order.length;
  const rows = Math.ceil(n / k);
  const long = n % k === 0 ? k : n % k;
  const length = (col: number) => (col < long ? rows : rows - 1);
  const columns: string[][] = new Array(k);
  let at = 0;
  for (const col of order) {
    columns[col] = chars.slice(at, at + length(col));
    at += length(col);
  }
  let out = '';
  for (let r = 0; r < rows; r++) for (let col = 0; col < k; col++) if (r < columns[col]!.length) out += columns[col]![r];
  return out;
}

function permutations(k: number): number[][] {
  if (k === 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutations(k - 1)) for (let at = 0; at <= p.length; at++) out.push([...p.slice(0, at), k - 1, ...p.slice(at)]);
  return out;
}

const ORDERS = Array.from({ length: MAX_COLUMNS - 1 }, (_, i) => permutations(i + 2)).flat();
/** Longer keywords: 6 to this many columns, searched by a letter-pair score of the first rows. */
const MAX_SEARCHED_COLUMNS = 8;
/** Decoded characters each order is scored on, and orders per column count decoded in full. */
const SCORED_CHARS = 120;
const BEST_ORDERS = 8;

let longOrders: Map<number, number[][]> | undefined;

/** Every order of k columns, made once (k ≤ MAX_SEARCHED_COLUMNS). */
function ordersOf(k: number): number[][] {
  longOrders ??= new Map();
  let list = longOrders.get(k);
  if (!list) longOrders.set(k, (list = permutations(k)));
  return list;
}

/** The letter-pair index of a character: a..z as 0..25, anything else a word gap (26). */
function pairIndex(ch: string): number {
  const c = ch.charCodeAt(0) | 32;
  return c >= 97 && c <= 122 ? c - 97 : 26;
}

/**
 * The column orders of k columns whose first rows read best as English letter pairs (see the
 * module's first lines): the text is split into columns as each order says, and only the first
 * SCORED_CHARS characters of its decoding are scored.
 */
function bestColumnOrders(chars: string[], k: number): number[][] {
  const n = chars.length;
  const rows = Math.ceil(n / k);
  const long = n % k === 0 ? k : n % k;
  const ids = Int8Array.from(chars, pairIndex);
  const log = bigramModel().logConditional;
  const scoredRows = Math.min(rows, Math.ceil(SCORED_CHARS / k));
  const start = new Int32Array(k);
  const best: { order: number[]; score: number }[] = [];
  for (const order of ordersOf(k)) {
    let at = 0;
    for (const col of order) {
      start[col] = at;
      at += col < long ? rows : rows - 1;
    }
    let score = 0;
    let prev = 26;
    for (let r = 0; r < scoredRows; r++)
      for (let col = 0; col < k; col++) {
        if (r === rows - 1 && col >= long) break;
        const cur = ids[start[col]! + r]!;
        score += log[prev * 27 + cur]!;
        prev = cur;
      }
    if (best.length < BEST_ORDERS || score > best[best.length - 1]!.score) {
      best.push({ order, score });
      best.sort((a, b) => b.score - a.score);
      if (best.length > BEST_ORDERS) best.pop();
    }
  }
  return best.map((b) => b.order);
}

/** Chi-square of the text's letter counts against English's (lower is closer). */
function englishLetterDistance(text: string): { letters: number; distance: number } {
  const counts = new Array<number>(26).fill(0);
  let letters = 0;
  for (let i = 0; i < text.length; i++) {
    // a..z of the text in lower case: İ lower-cases to i and a dot, the Kelvin sign to k
    const code = text.charCodeAt(i);
    const c = code === 0x130 ? 8 : code === 0x212a ? 10 : letterIndex(code);
    if (c >= 0) {
      counts[c]!++;
      letters++;
    }
  }
  let distance = 0;
  for (let c = 0; c < 26; c++) {
    const want = (LETTER_FREQUENCIES[c]! / 100) * letters;
    distance += (counts[c]! - want) ** 2 / Math.max(want, 1);
  }
  return { letters, distance };
}

/**
 * A transposed text: at least 40 letters, English by letter counts, almost no English words as
 * written, and a rail count or a column order (of up to 8 columns) under which it reads as English.
 */
export function findTransposition(text: string): Detection | undefined {
  const trimmed = text.trim();
  const shape = englishLetterDistance(trimmed);
  // (a substitution's chi-square is about one per letter; English text's is a few dozen plus a fifth of that)
  if (shape.letters < 40 || trimmed.length > 4000 || shape.distance > 40 + 0.2 * shape.letters) return undefined;
  // a few English words come by chance (a transposition makes some: "a", "in", "to"); a text that
  // reads as some language (German has English letter counts and few English words) is no transposition
  const words = countWords(trimmed);
  if ((words > 0 && englishWordsReach(trimmed, (english) => english / words > 0.2)) || readsNatural(trimmed)) return undefined;
  // a space the transposition moved to either end is one of its characters: the text as given first
  // (one or two; more is the text's own indentation or layout)
  const edges = text.length - trimmed.length;
  const candidates = edges === 0 || edges > 2 ? [trimmed] : [text, trimmed];
  for (const t of candidates) {
    const found = undoShortKeys(t);
    if (found) return found;
  }
  for (const t of candidates) {
    const chars = [...t];
    for (let k = MAX_COLUMNS + 1; k <= MAX_SEARCHED_COLUMNS; k++) {
      if (chars.length < 3 * k) break;
      for (const order of bestColumnOrders(chars, k)) {
        const found = columnar(t, order);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/**
 * A decoding reads as English: most of its tokens are words (a table of marks and emoji has a few
 * letters between them, not words), its words are English words, and its letters read as language.
 */
const reads = (d: string): boolean => englishWordRate(d) >= 0.6 && readsNatural(d) && wordTokenShare(d) >= 0.6;

/** The columnar decoding of `t` by `order`, when it reads as English. */
function columnar(t: string, order: number[]): Detection | undefined {
  const decoded = columnarDecode(t, order);
  return reads(decoded)
    ? detection('columnar transposition', `${order.length} columns read in the order ${order.map((c) => c + 1).join('-')}`, t, decoded)
    : undefined;
}

/** Every rail count, then every order of up to MAX_COLUMNS columns. */
function undoShortKeys(t: string): Detection | undefined {
  for (const rails of RAILS) {
    const decoded = railFenceDecode(t, rails);
    if (reads(decoded)) return detection('rail fence', `${rails} rails`, t, decoded);
  }
  for (const order of ORDERS) {
    const found = columnar(t, order);
    if (found) return found;
  }
  return undefined;
}

function detection(kind: string, key: string, text: string, decoded: string): Detection {
  return {
    family: 'transposition',
    score: 0.93,
    evidence: `the letters are English by count but in no word order: a ${kind} (${key}) undone reads as English ("${excerpt(decoded, 60)}")`,
    excerpt: excerpt(text),
    decoded,
    proven: true,
  };
}
