// Counts o200k_base tokens (the encoding of GPT-4o and later models) as gpt-tokenizer and tiktoken count
// them, from a compact vocabulary: one byte array, its offsets and a hash table, about 5 MB outside
// the JavaScript heap, read from data/tokenizer/o200k_base.vocab.gz (1 MB, written from gpt-tokenizer by
// scripts/build-o200k-vocabulary.ts). The maintained tokenizer packages cost 22-55 MB of install and
// 30-200 MB of memory per run (a Map or WASM table of 200,000 strings); test/o200k.test.ts holds this
// counter's counts equal to gpt-tokenizer's countTokens. Merging is byte-pair encoding by lowest rank,
// leftmost first, as in gpt-tokenizer and tiktoken.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { packageFile } from '../package-root.js';

/**
 * o200k_base's pre-split pattern as tiktoken publishes it (MIT): a word with its leading mark and
 * contraction, up to three digits, a run of punctuation, newlines, spaces.
 */
const CONTRACTION = String.raw`'(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE])`;
const O200K_TOKEN_SPLIT_REGEX = new RegExp(
  String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?:${CONTRACTION})?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?:${CONTRACTION})?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
  'gu',
);

/** Ranks in o200k_base's vocabulary (special tokens excluded). */
const RANKS = 199_998;
const NONE = -1;
/** Counts of merged pieces remembered (the cache is emptied when full). */
const MERGED_CACHE = 10_000;

interface Vocabulary {
  /** Every rank's bytes, one after another. */
  bytes: Uint8Array;
  /** Rank r's bytes are bytes[start[r] .. start[r + 1]). */
  start: Uint32Array;
  /** Open addressing by FNV-1a of the bytes: a rank, or NONE. */
  table: Int32Array;
}

/** The first bytes of the vocabulary file (scripts/build-o200k-vocabulary.ts writes it). */
const MAGIC = 'o200k_base\n';

/**
 * Reads the vocabulary file's bytes (gunzipped): the magic line, the rank count, every rank's byte
 * length as a LEB128 varint, then the ranks' bytes one after another. Anything unexpected (another
 * count, a length that runs past the end, bytes left over) returns undefined.
 */
export function readVocabulary(raw: Uint8Array): { bytes: Uint8Array; start: Uint32Array } | undefined {
  const magic = new TextEncoder().encode(MAGIC);
  if (raw.length < magic.length + 4 || magic.some((b, i) => raw[i] !== b)) return undefined;
  let at = magic.length;
  const count = (raw[at]! | (raw[at + 1]! << 8) | (raw[at + 2]! << 16) | (raw[at + 3]! << 24)) >>> 0;
  at += 4;
  if (count !== RANKS) return undefined;
  const start = new Uint32Array(RANKS + 1);
  let used = 0;
  for (let r = 0; r < RANKS; r++) {
    let n = 0;
    let shift = 0;
    for (;;) {
      if (at >= raw.length || shift > 28) return undefined;
      const b = raw[at++]!;
      n |= (b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7;
    }
    if (n === 0) return undefined;
    start[r] = used;
    used += n;
  }
  start[RANKS] = used;
  if (raw.length - at !== used) return undefined;
  return { bytes: raw.slice(at), start };
}

/** FNV-1a over bytes[from, to). */
function hashOf(b: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Whether bytes[from, to) is well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF). */
function validUtf8(b: Uint8Array, from: number, to: number): boolean {
  try {
    STRICT_UTF8.decode(b.subarray(from, to));
    return true;
  } catch {
    return false;
  }
}

/** A lone surrogate (a string that is not well-formed UTF-16). */
const LONE_SURROGATE = /\p{Cs}/u;

function buildTable(v: { bytes: Uint8Array; start: Uint32Array }): Int32Array {
  const table = new Int32Array(1 << 19).fill(NONE);
  const mask = table.length - 1;
  for (let r = 0; r < RANKS; r++) {
    const from = v.start[r]!;
    const to = v.start[r + 1]!;
    // gpt-tokenizer reads a valid UTF-8 byte run as text and drops a leading BOM, so the few ranks that
    // begin with one (kept as byte lists, not strings) can never be looked up: they are left out
    if (to - from >= 3 && v.bytes[from] === 0xef && v.bytes[from + 1] === 0xbb && v.bytes[from + 2] === 0xbf && validUtf8(v.bytes, from, to)) continue;
    let at = hashOf(v.bytes, from, to) & mask;
    while (table[at] !== NONE) at = (at + 1) & mask;
    table[at] = r;
  }
  return table;
}

class O200kCounter {
  private scratch = new Uint8Array(256);
  private readonly encoder = new TextEncoder();
  private starts = new Int32Array(257);
  private ranks = new Int32Array(257);
  private readonly merged = new Map<string, number>();

  constructor(private readonly v: Vocabulary) {}

  /** Tokens of a text, special-token text counted as ordinary text. */
  count(text: string): number {
    let n = 0;
    for (const m of text.matchAll(O200K_TOKEN_SPLIT_REGEX)) n += this.countPiece(m[0]);
    return n;
  }

  /** The rank of bytes[from, to) exactly, or NONE. */
  private lookup(b: Uint8Array, from: number, to: number): number {
    const { bytes, start, table } = this.v;
    const len = to - from;
    const mask = table.length - 1;
    for (let at = hashOf(b, from, to) & mask; ; at = (at + 1) & mask) {
      const r = table[at]!;
      if (r === NONE) return NONE;
      const s = start[r]!;
      if (start[r + 1]! - s !== len) continue;
      let same = true;
      for (let i = 0; i < len; i++) {
        if (bytes[s + i] !== b[from + i]) {
          same = false;
          break;
        }
      }
      if (same) return r;
    }
  }

  /**
   * A merge's rank as gpt-tokenizer finds it: a valid UTF-8 run is read as text, a leading BOM dropped.
   * Kept for parity only: no BOM-prefixed word of 46,463 tried (13 languages, code words) merges
   * differently without it, since a part starting with the BOM's three bytes hardly ever forms.
   */
  private mergeRank(b: Uint8Array, from: number, to: number): number {
    if (to - from >= 3 && b[from] === 0xef && b[from + 1] === 0xbb && b[from + 2] === 0xbf && validUtf8(b, from, to)) {
      return to - from === 3 ? NONE : this.lookup(b, from + 3, to);
    }
    return this.lookup(b, from, to);
  }

  private countPiece(piece: string): number {
    if (piece.length * 3 > this.scratch.length) this.scratch = new Uint8Array(piece.length * 3 + 16);
    const b = this.scratch;
    // ASCII is copied by hand (most pieces): the encoder's native call costs more than the copy
    let len = 0;
    for (; len < piece.length; len++) {
      const c = piece.charCodeAt(len);
      if (c >= 0x80) break;
      b[len] = c;
    }
    if (len < piece.length) len = this.encoder.encodeInto(piece, b).written;
    if (len <= 1) return len;
    // the whole piece is one token (looked up as text: a piece with a lone surrogate never is)
    if (!LONE_SURROGATE.test(piece) && this.lookup(b, 0, len) !== NONE) return 1;
    const known = this.merged.get(piece);
    if (known !== undefined) return known;
    const n = this.merge(b, len);
    // pieces that need merging recur (inflected words, names): their counts are kept, a bounded few
    if (this.merged.size >= MERGED_CACHE) this.merged.clear();
    this.merged.set(piece, n);
    return n;
  }

  /** Byte-pair merging: the pair of lowest rank (leftmost of equals) first, until none merges. */
  private merge(b: Uint8Array, len: number): number {
    if (this.starts.length < len + 1) {
      this.starts = new Int32Array(len + 1);
      this.ranks = new Int32Array(len + 1);
    }
    const starts = this.starts;
    const ranks = this.ranks;
    const INF = 0x7fffffff;
    let parts = len + 1;
    for (let i = 0; i <= len; i++) starts[i] = i;
    const rankAt = (i: number): number => {
      if (i + 2 >= parts) return INF;
      const r = this.mergeRank(b, starts[i]!, starts[i + 2]!);
      return r === NONE ? INF : r;
    };
    for (let i = 0; i < parts; i++) ranks[i] = rankAt(i);
    while (parts > 1) {
      let lowest = INF;
      let at = -1;
      for (let i = 0; i < parts - 1; i++) {
        if (ranks[i]! < lowest) {
          lowest = ranks[i]!;
          at = i;
        }
      }
      if (at < 0) break;
      starts.copyWithin(at + 1, at + 2, parts);
      ranks.copyWithin(at, at + 1, parts);
      parts--;
      ranks[at] = rankAt(at);
      if (at > 0) ranks[at - 1] = rankAt(at - 1);
    }
    return parts - 1;
  }
}

let counter: O200kCounter | undefined;

/** The counter, its vocabulary read from data/tokenizer/o200k_base.vocab.gz on the first count. */
export function o200kCounter(): O200kCounter {
  if (counter === undefined) {
    const file = packageFile('data/tokenizer/o200k_base.vocab.gz');
    let read: ReturnType<typeof readVocabulary>;
    try {
      read = readVocabulary(gunzipSync(readFileSync(file)));
    } catch {
      read = undefined;
    }
    if (!read) throw new Error(`the token vocabulary ${file} is missing or damaged: reinstall safemix`);
    counter = new O200kCounter({ ...read, table: buildTable(read) });
  }
  return counter;
}
