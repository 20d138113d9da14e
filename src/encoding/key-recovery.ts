// Recovers a substitution key: exactly from plaintext/encoded pairs (letter-by-letter votes), or
// from ciphertext alone by frequency analysis, bigram hill climbing and dictionary-word refinement.
import seedrandom from 'seedrandom';
import type { Scheme } from './types.js';
import { BOUNDARY, LETTERS_BY_FREQUENCY, bigramModel, isEnglishWord } from './english-stats.js';
import { joinSeparatedCharacters } from './codecs/letters.js';
import { ALPHABET } from './codecs/keys.js';
import { isLetter, letterIndex } from './text-scan.js';

/** If every second character is the same non-alphanumeric separator (`h|e|l|l|o`), the text without them. */
function stripUniformSeparator(text: string): { text: string; separator?: string } {
  const chars = Array.from(text);
  if (chars.length < 5 || chars.length % 2 === 0) return { text };
  const sep = chars[1]!;
  if (isLetter(sep.charCodeAt(0)) || (sep >= '0' && sep <= '9')) return { text };
  for (let i = 1; i < chars.length; i += 2) if (chars[i] !== sep) return { text };
  return { text: joinSeparatedCharacters(text, sep), separator: sep };
}

function lettersOf(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const k = letterIndex(text.charCodeAt(i));
    if (k >= 0) out.push(k);
  }
  return out;
}

interface PartialKey {
  /** key[plain] = cipher letter index, -1 where the pairs say nothing. */
  key: number[];
  known: number;
  /** Votes agreeing with the chosen letters / all votes. */
  agreement: number;
  separator?: string;
}

/** Letter-by-letter votes from pairs whose letters line up one to one, assigned greedily (most votes first). */
function voteKey(pairs: { plain: string; encoded: string }[]): PartialKey | undefined {
  const votes = new Array<number>(26 * 26).fill(0);
  let used = 0;
  let separator: string | undefined;
  for (const pair of pairs) {
    const stripped = stripUniformSeparator(pair.encoded);
    if (stripped.separator) separator = stripped.separator;
    const p = lettersOf(pair.plain);
    const e = lettersOf(stripped.text);
    if (p.length === 0 || p.length !== e.length) continue;
    for (let k = 0; k < p.length; k++) votes[p[k]! * 26 + e[k]!]!++;
    used++;
  }
  if (used === 0) return undefined;
  const cells: { plain: number; cipher: number; count: number }[] = [];
  let total = 0;
  for (let p = 0; p < 26; p++)
    for (let c = 0; c < 26; c++) {
      const count = votes[p * 26 + c]!;
      if (count > 0) cells.push({ plain: p, cipher: c, count });
      total += count;
    }
  cells.sort((a, b) => b.count - a.count || a.plain - b.plain);
  const key = new Array<number>(26).fill(-1);
  const taken = new Array<boolean>(26).fill(false);
  let agreeing = 0;
  for (const cell of cells) {
    if (key[cell.plain] !== -1 || taken[cell.cipher]) continue;
    key[cell.plain] = cell.cipher;
    taken[cell.cipher] = true;
    agreeing += cell.count;
  }
  return { key, known: key.filter((c) => c >= 0).length, agreement: total ? agreeing / total : 0, separator };
}

function schemeOf(key: number[], separator: string | undefined, exact: boolean, lettersKnown: number): Scheme {
  const scheme: Scheme = { family: separator ? 'substitution-separated' : 'substitution', key: key.map((c) => ALPHABET[c]).join(''), exact, lettersKnown };
  if (separator) scheme.separator = separator;
  return scheme;
}

/**
 * Key from pairs whose letters line up one to one (same number of letters). Votes are assigned
 * greedily, most votes first; when 25 letters are known the 26th follows. `exact` when all 26 are
 * determined and fewer than 2% of votes disagree; letters the pairs never show get the unused
 * cipher letters in alphabetical order (see recoverKeyFromPairsAndText to fill them better).
 */
export function recoverSubstitutionKeyFromPairs(pairs: { plain: string; encoded: string }[]): Scheme | undefined {
  const partial = voteKey(pairs);
  if (!partial) return undefined;
  const key = [...partial.key];
  const taken = new Array<boolean>(26).fill(false);
  for (const c of key) if (c >= 0) taken[c] = true;
  fillUnassigned(key, taken);
  return schemeOf(key, partial.separator, partial.known >= 25 && partial.agreement >= 0.98, partial.known);
}

/**
 * Pairs first; letters they leave open are filled by dictionary-word hill climbing over the
 * ciphertext with the paired letters held fixed. Exact only when the pairs alone determine the key.
 */
export function recoverKeyFromPairsAndText(pairs: { plain: string; encoded: string }[], encodedTexts: string[]): Scheme | undefined {
  const partial = voteKey(pairs);
  if (!partial) return undefined;
  if (partial.known >= 25) return recoverSubstitutionKeyFromPairs(pairs);
  const corpus = buildCorpus(encodedTexts);
  // decrypt[cipher] = plain; paired cipher letters are locked.
  const decrypt = new Array<number>(26).fill(-1);
  const locked = new Array<boolean>(26).fill(false);
  const plainUsed = new Array<boolean>(26).fill(false);
  partial.key.forEach((cipher, plain) => {
    if (cipher < 0) return;
    decrypt[cipher] = plain;
    locked[cipher] = true;
    plainUsed[plain] = true;
  });
  const freePlain = [...LETTERS_BY_FREQUENCY].map((ch) => ch.charCodeAt(0) - 97).filter((p) => !plainUsed[p]);
  const freeCipher = [...ALPHABET]
    .map((_, c) => c)
    .filter((c) => !locked[c])
    .sort((a, b) => corpus.letterCounts[b]! - corpus.letterCounts[a]! || a - b);
  freeCipher.forEach((c, i) => (decrypt[c] = freePlain[i]!));
  climbWords(corpus, decrypt, locked);
  const key = new Array<number>(26);
  for (let c = 0; c < 26; c++) key[decrypt[c]!] = c;
  return schemeOf(key, partial.separator, false, partial.known);
}

/** Gives plain letters without a cipher letter the unused cipher letters, in alphabetical order. */
function fillUnassigned(key: number[], taken: boolean[]): void {
  let next = 0;
  for (let p = 0; p < 26; p++) {
    if (key[p] !== -1) continue;
    while (taken[next]) next++;
    key[p] = next;
    taken[next] = true;
  }
}

interface CipherCorpus {
  /** Non-zero cipher bigram counts (27 symbols, BOUNDARY for word edges). */
  bigrams: { from: number; to: number; count: number }[];
  letterCounts: number[];
  /** Distinct cipher words (letter indices) with counts, most frequent first. */
  words: { letters: number[]; count: number }[];
}

const MAX_WORDS = 1500;

function buildCorpus(texts: string[]): CipherCorpus {
  const bigramCounts = new Map<number, number>();
  const letterCounts = new Array<number>(26).fill(0);
  const wordCounts = new Map<string, number>();
  for (const raw of texts) {
    const text = stripUniformSeparator(raw).text;
    let prev = BOUNDARY;
    let word = '';
    for (let i = 0; i <= text.length; i++) {
      const k = i < text.length ? letterIndex(text.charCodeAt(i)) : -1;
      const sym = k >= 0 ? k : BOUNDARY;
      if (k >= 0) {
        letterCounts[k]!++;
        word += ALPHABET[k];
      } else if (word) {
        wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
        word = '';
      }
      if (!(sym === BOUNDARY && prev === BOUNDARY)) bigramCounts.set(prev * 27 + sym, (bigramCounts.get(prev * 27 + sym) ?? 0) + 1);
      prev = sym;
    }
  }
  const bigrams = [...bigramCounts].map(([key, count]) => ({ from: Math.floor(key / 27), to: key % 27, count }));
  const words = [...wordCounts]
    .filter(([w]) => w.length >= 2)
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_WORDS)
    .map(([w, count]) => ({ letters: [...w].map((ch) => ch.charCodeAt(0) - 97), count }));
  return { bigrams, letterCounts, words };
}

/** Sum of count * log P(plain bigram) under a decryption (cipher letter -> plain letter). */
function bigramScore(corpus: CipherCorpus, decrypt: number[]): number {
  const { logConditional } = bigramModel();
  let s = 0;
  for (const b of corpus.bigrams) {
    const from = b.from === BOUNDARY ? BOUNDARY : decrypt[b.from]!;
    const to = b.to === BOUNDARY ? BOUNDARY : decrypt[b.to]!;
    s += b.count * logConditional[from * 27 + to]!;
  }
  return s;
}

function swap(a: number[], i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/** Steepest-first hill climbing over swaps of two cipher letters' plain values. */
function climbBigrams(corpus: CipherCorpus, decrypt: number[]): number {
  let score = bigramScore(corpus, decrypt);
  for (let round = 0; round < 50; round++) {
    let improved = false;
    for (let i = 0; i < 26; i++)
      for (let j = i + 1; j < 26; j++) {
        if (corpus.letterCounts[i] === 0 && corpus.letterCounts[j] === 0) continue;
        swap(decrypt, i, j);
        const s = bigramScore(corpus, decrypt);
        if (s > score + 1e-9) {
          score = s;
          improved = true;
        } else swap(decrypt, i, j);
      }
    if (!improved) break;
  }
  return score;
}

const BIGRAM_WEIGHT = 0.02;

/** Refines with whole words: a decryption scores by the letters of its decoded words that are English. */
function climbWords(corpus: CipherCorpus, decrypt: number[], locked?: boolean[]): void {
  const words = corpus.words;
  const withLetter: number[][] = Array.from({ length: 26 }, () => []);
  words.forEach((w, idx) => {
    const seen = new Set<number>();
    for (const k of w.letters) if (!seen.has(k)) (seen.add(k), withLetter[k]!.push(idx));
  });
  const cache = new Map<string, boolean>();
  const english = (s: string): boolean => {
    let v = cache.get(s);
    if (v === undefined) {
      v = isEnglishWord(s);
      if (cache.size < 200_000) cache.set(s, v);
    }
    return v;
  };
  const value = (idx: number): number => {
    const w = words[idx]!;
    let s = '';
    for (const k of w.letters) s += ALPHABET[decrypt[k]!];
    return english(s) ? w.count * w.letters.length : 0;
  };
  const values = words.map((_, idx) => value(idx));
  let bigram = bigramScore(corpus, decrypt);
  const stamp = new Int32Array(words.length);
  let stampId = 0;
  for (let round = 0; round < 12; round++) {
    let improved = false;
    for (let i = 0; i < 26; i++)
      for (let j = i + 1; j < 26; j++) {
        if (corpus.letterCounts[i] === 0 && corpus.letterCounts[j] === 0) continue;
        if (locked && (locked[i] || locked[j])) continue;
        stampId++;
        const affected: number[] = [];
        for (const idx of withLetter[i]!) if (stamp[idx] !== stampId) ((stamp[idx] = stampId), affected.push(idx));
        for (const idx of withLetter[j]!) if (stamp[idx] !== stampId) ((stamp[idx] = stampId), affected.push(idx));
        swap(decrypt, i, j);
        let delta = 0;
        const next: number[] = [];
        for (const idx of affected) {
          const v = value(idx);
          next.push(v);
          delta += v - values[idx]!;
        }
        const newBigram = bigramScore(corpus, decrypt);
        delta += BIGRAM_WEIGHT * (newBigram - bigram);
        if (delta > 1e-9) {
          affected.forEach((idx, k) => (values[idx] = next[k]!));
          bigram = newBigram;
          improved = true;
        } else swap(decrypt, i, j);
      }
    if (!improved) break;
  }
}

function wordScore(corpus: CipherCorpus, decrypt: number[]): number {
  let s = 0;
  for (const w of corpus.words) {
    let str = '';
    for (const k of w.letters) str += ALPHABET[decrypt[k]!];
    if (isEnglishWord(str)) s += w.count * w.letters.length;
  }
  return s + BIGRAM_WEIGHT * bigramScore(corpus, decrypt);
}

/**
 * Key from ciphertext alone: cipher letters ranked by frequency against English, then bigram hill
 * climbing from several seeded starts, then dictionary-word refinement of the best. Deterministic.
 * `lettersKnown` is the number of distinct cipher letters seen (the rest of the key is a guess).
 */
export function recoverSubstitutionKeyByFrequency(encodedTexts: string[]): Scheme {
  const corpus = buildCorpus(encodedTexts);
  let separator: string | undefined;
  for (const t of encodedTexts) {
    const s = stripUniformSeparator(t).separator;
    if (s) {
      separator = s;
      break;
    }
  }
  const byFrequency = [...ALPHABET].map((_, k) => k).sort((a, b) => corpus.letterCounts[b]! - corpus.letterCounts[a]! || a - b);
  const initial = new Array<number>(26);
  byFrequency.forEach((cipher, rank) => (initial[cipher] = LETTERS_BY_FREQUENCY.charCodeAt(rank) - 97));

  const rng = seedrandom('safemix-key-recovery');
  const starts: number[][] = [initial];
  for (let r = 0; r < 7; r++) {
    const d = [...initial];
    for (let s = 0; s < 6 + r; s++) swap(d, Math.floor(rng() * 26), Math.floor(rng() * 26));
    starts.push(d);
  }
  const climbed = starts.map((d) => ({ d, score: climbBigrams(corpus, d) })).sort((a, b) => b.score - a.score);
  let best: number[] | undefined;
  let bestScore = -Infinity;
  for (const { d } of climbed.slice(0, 3)) {
    climbWords(corpus, d);
    const s = wordScore(corpus, d);
    if (s > bestScore) {
      bestScore = s;
      best = d;
    }
  }
  const decrypt = best!;
  const key = new Array<number>(26);
  for (let c = 0; c < 26; c++) key[decrypt[c]!] = c;
  return schemeOf(key, separator, false, corpus.letterCounts.filter((c) => c > 0).length);
}
