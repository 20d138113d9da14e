// Counts o200k_base tokens (the encoding of GPT-4o and later models) as gpt-tokenizer counts them, from
// a compact copy of the vocabulary: one byte array, its offsets and a hash table, about 5 MB outside
// the JavaScript heap. gpt-tokenizer's own tables are a Map of 200,000 strings built by running its
// 2 MB generated module, which cost about 30 MB of peak memory in every mix and inspect run. The
// vocabulary is read from that same module's source text by a small scanner (no string per token is
// made); if its layout is not the one expected, o200kCounter() returns undefined and the caller uses
// gpt-tokenizer itself. Pre-splitting uses gpt-tokenizer's o200k pattern; merging is byte-pair
// encoding by lowest rank, leftmost first, as in gpt-tokenizer and tiktoken.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { O200K_TOKEN_SPLIT_REGEX } from 'gpt-tokenizer/encodingParams/constants';

/** Ranks in o200k_base's vocabulary (special tokens excluded). */
const RANKS = 199_998;
const NONE = -1;
/** JSON's one-character escapes (`\n` → 0x0a), by the byte after the backslash. */
const JSON_ESCAPES: Record<number, number> = { 0x22: 0x22, 0x5c: 0x5c, 0x2f: 0x2f, 0x62: 0x08, 0x66: 0x0c, 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09 };
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

/**
 * Scans the generated module (`const c0 = ["!", …, [161], …]; const c1 = [...]`) for its arrays'
 * elements in order: a string literal is its UTF-8 bytes (JSON escapes decoded), a list of numbers is
 * those bytes. Anything unexpected returns undefined.
 */
export function scanVocabulary(source: Uint8Array): { bytes: Uint8Array; start: Uint32Array } | undefined {
  const bytes = new Uint8Array(source.length);
  const start = new Uint32Array(RANKS + 1);
  let used = 0;
  let rank = 0;
  let depth = 0;
  let elementOpen = false;
  const put = (b: number) => (bytes[used++] = b);
  const putCodePoint = (cp: number) => {
    if (cp < 0x80) put(cp);
    else if (cp < 0x800) (put(0xc0 | (cp >> 6)), put(0x80 | (cp & 0x3f)));
    else if (cp < 0x10000) (put(0xe0 | (cp >> 12)), put(0x80 | ((cp >> 6) & 0x3f)), put(0x80 | (cp & 0x3f)));
    else (put(0xf0 | (cp >> 18)), put(0x80 | ((cp >> 12) & 0x3f)), put(0x80 | ((cp >> 6) & 0x3f)), put(0x80 | (cp & 0x3f)));
  };
  const hex4 = (at: number) => {
    const v = Number.parseInt(String.fromCharCode(source[at]!, source[at + 1]!, source[at + 2]!, source[at + 3]!), 16);
    return Number.isNaN(v) ? -1 : v;
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    // line comments outside the arrays (the header) hold no element
    if (depth === 0 && c === 0x2f && source[i + 1] === 0x2f) {
      while (i < source.length && source[i] !== 0x0a) i++;
      continue;
    }
    if (c === 0x22 /* " */) {
      if (depth === 0) {
        // a string outside the arrays (`"__esModule"`): skipped
        for (i++; i < source.length && source[i] !== 0x22; i++) if (source[i] === 0x5c) i++;
        continue;
      }
      if (depth !== 1 || elementOpen || rank >= RANKS) return undefined;
      start[rank] = used;
      for (i++; ; i++) {
        if (i >= source.length) return undefined;
        const d = source[i]!;
        if (d === 0x22) break;
        if (d !== 0x5c) {
          put(d);
          continue;
        }
        const e = source[++i];
        if (e === 0x75 /* u */) {
          let cp = hex4(i + 1);
          i += 4;
          if (cp >= 0xd800 && cp <= 0xdbff && source[i + 1] === 0x5c && source[i + 2] === 0x75) {
            const low = hex4(i + 3);
            if (low >= 0xdc00 && low <= 0xdfff) {
              cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
              i += 6;
            }
          }
          if (cp < 0 || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
          putCodePoint(cp);
        } else {
          const v = e === undefined ? undefined : JSON_ESCAPES[e];
          if (v === undefined) return undefined;
          put(v);
        }
      }
      rank++;
      elementOpen = true;
      continue;
    }
    if (c === 0x5b /* [ */) {
      depth++;
      if (depth === 2) {
        if (elementOpen || rank >= RANKS) return undefined;
        start[rank] = used;
        let n = -1;
        for (i++; ; i++) {
          if (i >= source.length) return undefined;
          const d = source[i]!;
          if (d >= 0x30 && d <= 0x39) n = (n < 0 ? 0 : n * 10) + (d - 0x30);
          else if (d === 0x2c || d === 0x5d) {
            if (n < 0 || n > 255) return undefined;
            put(n);
            n = -1;
            if (d === 0x5d) break;
          } else if (d !== 0x20) return undefined;
        }
        depth--;
        rank++;
        elementOpen = true;
      } else if (depth > 2) return undefined;
      continue;
    }
    if (depth === 1) {
      if (c === 0x2c /* , */) {
        if (!elementOpen) return undefined; // a hole: not the layout this scanner knows
        elementOpen = false;
      } else if (c === 0x5d /* ] */) {
        depth = 0;
        elementOpen = false;
      } else if (c !== 0x20 && c !== 0x0a && c !== 0x0d) return undefined;
    }
  }
  if (rank !== RANKS || depth !== 0) return undefined;
  start[RANKS] = used;
  return { bytes: bytes.slice(0, used), start };
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

let counter: O200kCounter | null | undefined;

/** The compact counter, or undefined when gpt-tokenizer's module is not laid out as expected. */
export function o200kCounter(): O200kCounter | undefined {
  if (counter === undefined) {
    counter = null;
    try {
      const path = createRequire(import.meta.url).resolve('gpt-tokenizer/cjs/bpeRanks/o200k_base');
      const scanned = scanVocabulary(readFileSync(path));
      if (scanned) counter = new O200kCounter({ ...scanned, table: buildTable(scanned) });
    } catch {
      counter = null;
    }
  }
  return counter ?? undefined;
}
