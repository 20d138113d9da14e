// Transpositions: the text's own characters in another order (rail fence, columnar with a short
// keyword). They keep the letters' frequencies, so a text whose letters are English by count but
// which reads as no language is tried with every rail count and every short column order; a
// decoding that reads as English is the proof.
import type { Detection } from './types.js';
import { englishWordRate, LETTER_FREQUENCIES } from './english-stats.js';
import { excerpt } from './text-scan.js';

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

/** Chi-square of the text's letter counts against English's (lower is closer). */
function englishLetterDistance(text: string): { letters: number; distance: number } {
  const counts = new Array<number>(26).fill(0);
  let letters = 0;
  for (const ch of text.toLowerCase()) {
    const c = ch.charCodeAt(0) - 97;
    if (c >= 0 && c < 26) {
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
 * written, and a rail count or a column order of up to five columns under which it reads as English.
 */
export function findTransposition(text: string): Detection | undefined {
  const t = text.trim();
  const shape = englishLetterDistance(t);
  // (a substitution's chi-square is about one per letter; English text's is a few dozen plus a fifth of that)
  if (shape.letters < 40 || t.length > 4000 || shape.distance > 40 + 0.2 * shape.letters || englishWordRate(t) > 0.1) return undefined;
  const reads = (d: string) => englishWordRate(d) >= 0.6;
  for (const rails of RAILS) {
    const decoded = railFenceDecode(t, rails);
    if (reads(decoded)) return detection('rail fence', `${rails} rails`, t, decoded);
  }
  for (const order of ORDERS) {
    const decoded = columnarDecode(t, order);
    if (reads(decoded))
      return detection('columnar transposition', `${order.length} columns read in the order ${order.map((c) => c + 1).join('-')}`, t, decoded);
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
