// Character-level helpers shared by the recognizers: ASCII letter tests, word tokens with their
// positions, and sentence-like segments. Hand loops over char codes, linear time, no regexes.

export function isUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}

export function isLower(code: number): boolean {
  return code >= 97 && code <= 122;
}

export function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 11 || code === 0xa0;
}

/** White space or a line break as /\s/ has it (isSpace's and the other Unicode spaces). */
export function isRegexSpace(code: number): boolean {
  if (code < 0x80) return code === 32 || (code >= 9 && code <= 13);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Index 0..25 of an ASCII letter (either case), or -1. */
export function letterIndex(code: number): number {
  if (code >= 97 && code <= 122) return code - 97;
  if (code >= 65 && code <= 90) return code - 65;
  return -1;
}

function isApostrophe(code: number): boolean {
  return code === 39 || code === 0x2019;
}

/** A word: a run of ASCII letters, with apostrophes kept when letters follow (don't, it's). */
interface WordToken {
  /** Lower-case text, apostrophes normalised to `'`. */
  word: string;
  start: number;
  end: number;
  /** Letters before the first apostrophe. */
  stemLength: number;
  capitalized: boolean;
}

export function wordTokens(text: string): WordToken[] {
  const out: WordToken[] = [];
  scanWords(text, (word, start, end, stemLength, capitalized) => {
    out.push({ word, start, end, stemLength, capitalized });
  });
  return out;
}

/** The words of wordTokens, handed to `visit` one by one as they are read (no token list is made); `visit` returning false stops the scan. */
export function scanWords(text: string, visit: (word: string, start: number, end: number, stemLength: number, capitalized: boolean) => boolean | void): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!isLetter(c)) {
      i++;
      continue;
    }
    const start = i;
    let stemLength = -1;
    let upper = false;
    let curly = false;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (isLetter(d)) {
        if (d < 97) upper = true;
        i++;
      } else if (isApostrophe(d) && i + 1 < n && isLetter(text.charCodeAt(i + 1))) {
        if (stemLength < 0) stemLength = i - start;
        if (d !== 39) curly = true;
        i++;
      } else break;
    }
    // the run is ASCII letters and apostrophes: lower case and a straight apostrophe are all that change
    let word = text.slice(start, i);
    if (upper) word = word.toLowerCase();
    if (curly) word = word.replace(/\u2019/g, "'");
    if (visit(word, start, i, stemLength < 0 ? word.length : stemLength, isUpper(c)) === false) return;
  }
}

/** A word of ASCII letters (text[from..to)) as a number (a..z as 1..26, base 27, either case): no string is made per word. */
export function wordNumber(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 27 + ((text.charCodeAt(i) | 32) - 96);
  return n;
}

/** Each run of ASCII letters in a text, in order: where it starts and ends, and whether it holds a capital. */
export function forEachLetterRun(text: string, visit: (start: number, end: number, upper: boolean) => void): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isLetter(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let upper = false;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (!isLetter(c)) break;
      if (c < 97) upper = true;
    }
    visit(start, i, upper);
  }
}

/** How many words of two or more letters (before any apostrophe) wordTokens finds: the words wordStats counts. */
export function countWords(text: string): number {
  const n = text.length;
  let words = 0;
  let i = 0;
  while (i < n) {
    if (!isLetter(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let stemLength = -1;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (isLetter(d)) i++;
      else if (isApostrophe(d) && i + 1 < n && isLetter(text.charCodeAt(i + 1))) {
        if (stemLength < 0) stemLength = i - start;
        i++;
      } else break;
    }
    if ((stemLength < 0 ? i - start : stemLength) >= 2) words++;
  }
  return words;
}

export interface Segment {
  start: number;
  end: number;
}

/**
 * Sentence-like segments: split at line breaks and after `.`, `!`, `?`, `:` or `;` followed by
 * whitespace. Encodings that keep punctuation (substitution, Caesar) split the same way as plaintext.
 */
export function segmentsOf(text: string): Segment[] {
  const out: Segment[] = [];
  const n = text.length;
  let start = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let cut = -1;
    if (c === 10) cut = i;
    else if ((c === 46 || c === 33 || c === 63 || c === 58 || c === 59) && i + 1 < n && isSpace(text.charCodeAt(i + 1))) cut = i + 1;
    if (cut >= 0) {
      if (cut > start) out.push({ start, end: cut });
      start = cut === i ? i + 1 : cut;
    }
  }
  if (n > start) out.push({ start, end: n });
  return out;
}

/** Non-empty lines with their offsets. */
export function linesOf(text: string): Segment[] {
  const out: Segment[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text.charCodeAt(i) === 10) {
      let end = i;
      if (end > start && text.charCodeAt(end - 1) === 13) end--;
      if (end > start) out.push({ start, end });
      start = i + 1;
    }
  }
  return out;
}

/** Blocks of text separated by blank lines (a line holding only whitespace counts as blank). */
export function blocksOf(text: string): string[] {
  const out: string[] = [];
  const n = text.length;
  let start = 0;
  let i = 0;
  while (i < n) {
    if (text.charCodeAt(i) === 10) {
      let j = i + 1;
      while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 13)) j++;
      if (j < n && text.charCodeAt(j) === 10) {
        if (i > start) out.push(text.slice(start, i));
        while (j < n && isSpace(text.charCodeAt(j))) j++;
        start = j;
        i = j;
        continue;
      }
    }
    i++;
  }
  if (n > start) out.push(text.slice(start));
  return out.filter((b) => b.trim() !== '');
}

/** Counts ASCII letters. */
export function countLetters(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (isLetter(text.charCodeAt(i))) n++;
  return n;
}

/** Lower-case ASCII letters only. */
export function lettersOnly(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isLetter(c)) out += String.fromCharCode(c | 32);
  }
  return out;
}

/** Cuts a string for display: whitespace runs become one space, at most `max` UTF-16 units, an ellipsis when cut. */
export function excerpt(text: string, max = 160): string {
  const limit = Math.min(text.length, max * 4);
  let out = '';
  let space = false;
  for (let i = 0; i < limit && out.length <= max; i++) {
    if (isSpace(text.charCodeAt(i))) {
      space = out.length > 0;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += text[i];
  }
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

/**
 * Share of a text's tokens (between white space) that are words or numbers: letters (or digits, with
 * the marks numbers carry: `$12.50`, `3/4`, `20%`), with quotes, brackets and stops around them.
 */
export function wordTokenShare(text: string): number {
  const tokens = text.split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return 0;
  let words = 0;
  for (const t of tokens) if (WORD_TOKEN.test(t) || NUMBER_TOKEN.test(t)) words++;
  return words / tokens.length;
}
const WORD_TOKEN = /^["'(\[]?[A-Za-z]+(?:['\u2019-][A-Za-z]+)*[.,;:!?"')\]]*$/;
const NUMBER_TOKEN = /^["'(\[]?[$\u20ac\u00a3]?\d[\d.,:/-]*%?[.,;:!?"')\]]*$/;
