// Recognizers for the families added in part 2: pig latin, letters as numbers (A1Z26 and kin),
// character doubling, characters split by a separator inside words with the spaces kept, Vigenère
// (key length by index of coincidence, then per-column shifts), and per-letter symbols. Each one
// decodes, and the decoding must read as natural language better than the raw text.
import type { CharacterKind, Detection } from './types.js';
import { decodingReads, readsAsNoLanguage } from './reading.js';
import { pigLatinDecode } from './codecs/words.js';
import { letterNumberDecode } from './codecs/bytes.js';
import { characterKind, unrepeatCharacters, vigenereDecode } from './codecs/letters.js';
import { isEnglishWord, LETTER_FREQUENCIES } from './english-stats.js';
import { excerpt, isLetter, isRegexSpace, letterIndex, type Segment } from './text-scan.js';

interface RangedDetection extends Detection {
  ranges: Segment[];
}

function whole(text: string): Segment[] {
  return [{ start: 0, end: text.length }];
}

type Token = { readonly t: string; readonly start: number; readonly end: number };

/** The last text tokenized: doubling and separated words look at the same masked text. */
let lastTokens: { text: string; tokens: readonly Token[] } | undefined;

/** Whitespace tokens with their offsets. */
function tokensOf(text: string): readonly Token[] {
  if (lastTokens?.text === text) return lastTokens.tokens;
  const out: Token[] = [];
  const re = /\S+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ t: m[0], start: m.index, end: m.index + m[0].length });
  lastTokens = { text, tokens: out };
  return out;
}

/**
 * What findDoubling and findSeparatedWords first ask of a text's whitespace tokens, counted without
 * making them (most texts have too few to go on): tokens of 4+ units, and of those the ones whose
 * first two units are equal or a surrogate pair; tokens of 3+ units whose second is a separator.
 */
function tokenSigns(text: string): { long: number; doubledStart: number; separated: number } {
  let long = 0;
  let doubledStart = 0;
  let separated = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (isRegexSpace(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && !isRegexSpace(text.charCodeAt(i))) i++;
    const length = i - start;
    if (length >= 3 && !isLetter(text.charCodeAt(start + 1)) && IN_WORD_SEPARATORS.includes(text[start + 1]!)) separated++;
    if (length < 4) continue;
    long++;
    const c0 = text.charCodeAt(start);
    if ((c0 >= 0xd800 && c0 <= 0xdfff) || c0 === text.charCodeAt(start + 1)) doubledStart++;
  }
  return { long, doubledStart, separated };
}

/** Pig latin: most words end in `ay`, and moving the consonants back reads as language. */
export function findPigLatin(text: string): RangedDetection | undefined {
  // runs of 3+ ASCII letters (/[A-Za-z]{3,}/g), and those ending in `ay` (either case), counted in one scan
  let count = 0;
  let ay = 0;
  for (let i = 0, n = text.length; i < n;) {
    const c = text.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) {
      i++;
      continue;
    }
    const at = i;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (!((d >= 65 && d <= 90) || (d >= 97 && d <= 122))) break;
      i++;
    }
    if (i - at < 3) continue;
    count++;
    if ((text.charCodeAt(i - 2) | 32) === 97 && (text.charCodeAt(i - 1) | 32) === 121) ay++;
  }
  if (count < 5) return undefined;
  if (ay / count < 0.6) return undefined;
  let best: { decoded: string; suffix: 'way' | 'yay' | 'ay'; bits: number; ok: boolean } | undefined;
  for (const suffix of ['way', 'yay', 'ay'] as const) {
    const decoded = pigLatinDecode(text, isEnglishWord, suffix);
    const r = decodingReads(text, decoded);
    if (!best || r.decoded > best.bits) best = { decoded, suffix, bits: r.decoded, ok: r.ok };
  }
  if (!best?.ok) return undefined;
  return {
    family: 'pig-latin',
    score: Math.min(0.97, 0.7 + ay / count / 4),
    evidence: `${ay} of ${count} words end in "ay"; moving their leading consonants back reads as language ("${excerpt(best.decoded, 60)}")`,
    excerpt: excerpt(text),
    decoded: best.decoded,
    proven: true,
    scheme: { family: 'pig-latin', variant: best.suffix },
    ranges: whole(text),
  };
}

/** Letters written as numbers: 10+ numbers of at most 26 joined by one separator, decoding to language. */
export function findLetterNumbers(text: string): RangedDetection[] {
  const out: RangedDetection[] = [];
  // stretches made of digits, separators and spaces only
  const re = /(?<![\d.,])\d{1,2}(?:(?:[ \t]*[-.,/:][ \t]*|[ \t]+)\d{1,2}){9,}(?![\d])/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const run = m[0];
    const numbers = run.match(/\d+/g)!;
    if (numbers.some((n) => Number(n) > 26)) continue;
    const layouts: [string, string][] = [];
    if (/\d-\d/.test(run)) layouts.push(['-', ' ']);
    if (/\d\.\d/.test(run)) layouts.push(['.', ' ']);
    if (/\d,\d/.test(run)) layouts.push([',', ' ']);
    if (/\d \d/.test(run)) layouts.push([' ', ' / '], [' ', '  ']);
    let best: { decoded: string; offset: number; sep: string; wsep: string; bits: number; ok: boolean } | undefined;
    for (const [sep, wsep] of layouts)
      for (const offset of [1, 0]) {
        const decoded = letterNumberDecode(run, offset, sep, wsep);
        if (decoded.includes('?')) continue;
        const r = decodingReads(run, decoded, undefined, 12);
        if (!best || r.decoded > best.bits) best = { decoded, offset, sep, wsep, bits: r.decoded, ok: r.ok };
      }
    if (!best?.ok || !/ /.test(best.decoded)) continue;
    out.push({
      family: 'letter-number',
      score: Math.min(0.98, 0.75 + numbers.length / 400),
      evidence: `${numbers.length} numbers of at most 26 read as letters (a = ${best.offset}) spell language ("${excerpt(best.decoded, 60)}")`,
      excerpt: excerpt(run),
      decoded: best.decoded,
      proven: true,
      scheme: { family: 'letter-number', offset: best.offset, separator: best.sep, wordSeparator: best.wsep },
      ranges: [{ start: m.index, end: m.index + run.length }],
    });
  }
  return out;
}

/**
 * The kinds of character a doubled run repeats: each kind's runs of one character are counted as
 * repeated (a multiple of n long) or not; a kind is repeated when most of its runs are. Every kind
 * repeated (or a kind the run never shows) gives no field: every character.
 */
function repeatKindsOf(run: string, n: number): { repeatKinds?: CharacterKind[] } {
  const tally = new Map<CharacterKind, { yes: number; no: number }>();
  const chars = Array.from(run);
  for (let i = 0; i < chars.length;) {
    let j = i + 1;
    while (j < chars.length && chars[j] === chars[i]) j++;
    const kind = characterKind(chars[i]!);
    const t = tally.get(kind) ?? { yes: 0, no: 0 };
    if ((j - i) % n === 0) t.yes++;
    else t.no++;
    tally.set(kind, t);
    i = j;
  }
  const kinds: CharacterKind[] = (['letters', 'digits', 'spaces', 'marks'] as const).filter((k) => {
    const t = tally.get(k);
    return !t || t.yes >= t.no;
  });
  return kinds.length === 4 ? {} : { repeatKinds: kinds };
}

/** Every character written twice (or three times): `hheelllloo`, decoding to language. */
export function findDoubling(text: string): RangedDetection | undefined {
  // a repeated token starts with a character twice: without 4 of them, 70% of the tokens, none passes
  const signs = tokenSigns(text);
  if (signs.doubledStart < 4 || signs.doubledStart / signs.long < 0.7) return undefined;
  const tokens = tokensOf(text).filter((x) => x.t.length >= 4);
  if (tokens.length < 4) return undefined;
  for (const n of [2, 3]) {
    // at least 70% of the tokens must be repeated: past 30% that are not, none of this n can pass
    let misses = 0;
    const allowed = tokens.length * 0.3;
    const repeated = tokens.filter(({ t }) => {
      if (misses > allowed) return false;
      // the first two characters already differ (neither half of a surrogate pair): not repeated
      const c0 = t.charCodeAt(0);
      if ((c0 < 0xd800 || c0 > 0xdfff) && c0 !== t.charCodeAt(1)) {
        misses++;
        return false;
      }
      const chars = Array.from(t);
      if (chars.length % n !== 0) {
        misses++;
        return false;
      }
      for (let i = 0; i < chars.length; i += n)
        for (let k = 1; k < n; k++)
          if (chars[i + k] !== chars[i]) {
            misses++;
            return false;
          }
      return true;
    });
    if (repeated.length < 4 || repeated.length / tokens.length < 0.7) continue;
    const start = repeated[0]!.start;
    const end = repeated[repeated.length - 1]!.end;
    const run = text.slice(start, end);
    const decoded = unrepeatCharacters(run, n);
    const r = decodingReads(run, decoded);
    if (!r.ok) continue;
    return {
      family: 'doubling',
      score: Math.min(0.97, 0.7 + repeated.length / 100),
      evidence: `${repeated.length} of ${tokens.length} words write every character ${n} times; undone, they read as language ("${excerpt(decoded, 60)}")`,
      excerpt: excerpt(run),
      decoded,
      proven: true,
      scheme: { family: 'doubling', repeat: n, ...repeatKindsOf(run, n) },
      ranges: [{ start, end }],
    };
  }
  return undefined;
}

const IN_WORD_SEPARATORS = '|/\\~^*+#_-.,:;·•';

/** Characters split by one separator inside each word, the spaces between words kept: `h|e|l|l|o w|o|r|l|d`. */
export function findSeparatedWords(text: string): { separator: string; joined: string; ranges: Segment[]; tokens: number } | undefined {
  // no token with a separator second: no separator
  if (tokenSigns(text).separated === 0) return undefined;
  const tokens = tokensOf(text);
  if (tokens.length < 4) return undefined;
  const counts = new Map<string, number>();
  for (const { t } of tokens)
    if (t.length >= 3 && !isLetter(t.charCodeAt(1)) && IN_WORD_SEPARATORS.includes(t[1]!)) counts.set(t[1]!, (counts.get(t[1]!) ?? 0) + 1);
  const sep = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!sep) return undefined;
  const isSplit = (t: string): boolean => {
    const chars = Array.from(t);
    if (chars.length < 3 || chars.length % 2 === 0) return false;
    for (let i = 1; i < chars.length; i += 2) if (chars[i] !== sep) return false;
    for (let i = 0; i < chars.length; i += 2) if (chars[i] === sep) return false;
    return true;
  };
  const multi = tokens.filter((x) => x.t.length >= 3);
  const split = multi.filter((x) => isSplit(x.t));
  if (split.length < 4 || split.filter((x) => x.t.length >= 5).length < 3 || split.length / Math.max(1, multi.length) < 0.7) return undefined;
  const start = split[0]!.start;
  const end = split[split.length - 1]!.end;
  const joined = text
    .slice(start, end)
    .split(/(\s+)/)
    .map((t) =>
      isSplit(t)
        ? Array.from(t)
            .filter((_, i) => i % 2 === 0)
            .join('')
        : t,
    )
    .join('');
  let letters = 0;
  for (let i = 0; i < joined.length; i++) if (isLetter(joined.charCodeAt(i))) letters++;
  if (letters < 10) return undefined;
  return { separator: sep, joined, ranges: [{ start, end }], tokens: split.length };
}

function ioc(counts: number[], n: number): number {
  if (n < 2) return 0;
  let s = 0;
  for (const c of counts) s += c * (c - 1);
  return s / (n * (n - 1));
}

/** The shortest period of a keyword (`keykey` → `key`). */
function minimalPeriod(word: string): string {
  for (let p = 1; p < word.length; p++) {
    if (word.length % p !== 0) continue;
    if (word.slice(0, p).repeat(word.length / p) === word) return word.slice(0, p);
  }
  return word;
}

/** Vigenère: letters whose index of coincidence is flat, periodic columns that are English-like, shifts by chi-square. */
export function findVigenere(text: string): RangedDetection | undefined {
  const letters: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const k = letterIndex(text.charCodeAt(i));
    if (k >= 0) letters.push(k);
  }
  if (letters.length < 40 || !readsAsNoLanguage(text)) return undefined;
  const all = new Array<number>(26).fill(0);
  for (const k of letters) all[k]!++;
  if (ioc(all, letters.length) > 0.056) return undefined; // a monoalphabetic cipher keeps English's 0.066
  let period = 0;
  for (let p = 2; p <= 12; p++) {
    if (letters.length / p < 6) break;
    let sum = 0;
    for (let c = 0; c < p; c++) {
      const counts = new Array<number>(26).fill(0);
      let n = 0;
      for (let i = c; i < letters.length; i += p) {
        counts[letters[i]!]!++;
        n++;
      }
      sum += ioc(counts, n);
    }
    if (sum / p >= 0.058) {
      period = p;
      break;
    }
  }
  if (!period) return undefined;
  const freq = LETTER_FREQUENCIES.map((f) => f / 100);
  let keyword = '';
  for (let c = 0; c < period; c++) {
    const counts = new Array<number>(26).fill(0);
    let n = 0;
    for (let i = c; i < letters.length; i += period) {
      counts[letters[i]!]!++;
      n++;
    }
    let bestShift = 0;
    let bestChi = Infinity;
    for (let s = 0; s < 26; s++) {
      let chi = 0;
      for (let p = 0; p < 26; p++) {
        const expected = freq[p]! * n;
        const observed = counts[(p + s) % 26]!;
        chi += ((observed - expected) * (observed - expected)) / expected;
      }
      if (chi < bestChi) {
        bestChi = chi;
        bestShift = s;
      }
    }
    keyword += String.fromCharCode(97 + bestShift);
  }
  keyword = minimalPeriod(keyword);
  if (/^a+$/.test(keyword)) return undefined;
  const decoded = vigenereDecode(text, keyword);
  const r = decodingReads(text, decoded);
  if (!r.ok) return undefined;
  return {
    family: 'vigenere',
    score: Math.min(0.97, 0.7 + letters.length / 1000),
    evidence: `index of coincidence ${ioc(all, letters.length).toFixed(3)} (flattened), period ${period} by column coincidence, keyword "${keyword}" by chi-square; decoded it reads as language ("${excerpt(decoded, 60)}")`,
    excerpt: excerpt(text),
    decoded,
    proven: true,
    cipherText: text,
    scheme: { family: 'vigenere', keyword },
    ranges: whole(text),
  };
}

function isSymbol(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x2000) return false;
  if (cp >= 0xfe00 && cp <= 0xfe0f) return false;
  if (cp === 0x200d) return false;
  return /[\p{So}\p{Sm}\p{Sk}\p{Co}]/u.test(ch) || (cp >= 0x1f000 && cp <= 0x1faff);
}

/** Text written in symbols (emoji, signs), one per letter, words kept apart: the symbols of each text. */
export function symbolText(text: string): { symbols: string[]; share: number } | undefined {
  if (!/[\u2000-\uffff]/.test(text)) return undefined;
  let symbols = 0;
  let letters = 0;
  const list: string[] = [];
  // symbols in runs of four or more of the same: the lines of a drawing (`━━━━┳━━━━`, a table or
  // a keyboard drawn in box characters), which no language writes with its letters (a letter
  // written three times over is a scheme of its own)
  let drawn = 0;
  let last = '';
  let run = 0;
  for (const ch of text) {
    run = ch === last ? run + 1 : 1;
    last = ch;
    if (/\p{L}/u.test(ch)) letters++;
    else if (isSymbol(ch)) {
      symbols++;
      list.push(ch);
      if (run === 4) drawn += 4;
      else if (run > 4) drawn++;
    }
  }
  if (symbols < 15 || symbols < letters || drawn > 0.2 * symbols) return undefined;
  const distinct = new Set(list).size;
  if (distinct < 6 || distinct > 40) return undefined;
  return { symbols: list, share: symbols / (symbols + letters) };
}

/** Rewrites symbols as the letters a table gives them (others stay), for the letter-cipher machinery. */
export function symbolsToLetters(text: string, table: Map<string, string>): string {
  let out = '';
  for (const ch of text) {
    if (ch === '\uFE0F') continue;
    out += table.get(ch) ?? ch;
  }
  return out;
}
