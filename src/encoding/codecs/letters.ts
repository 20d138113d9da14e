// Letter-level codecs: keyed substitution (Caesar and Atbash are keys too), per-character
// separators (Walnut53's `h|e|l|l|o`), leetspeak and reversal. Pure string functions.
import type { CharacterKind } from '../types.js';
import { invertKey } from './keys.js';
import { isLetter, isLower, isUpper } from '../text-scan.js';

/** Replaces each letter by key[letter], keeping case; other characters pass through. */
export function substitute(text: string, key: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isLower(c)) out += key[c - 97];
    else if (isUpper(c)) out += key[c - 65]!.toUpperCase();
    else out += text[i];
  }
  return out;
}

export function unsubstitute(text: string, key: string): string {
  return substitute(text, invertKey(key));
}

/** Every character (code point) joined by the separator: `h|e|l|l|o`. */
export function separateCharacters(text: string, separator: string): string {
  return Array.from(text).join(separator);
}

/**
 * Undoes separateCharacters. A text that alternates character/separator throughout keeps its even
 * positions; otherwise each alternating run of at least `minRun` characters is collapsed in place.
 */
export function joinSeparatedCharacters(text: string, separator: string, minRun = 4): string {
  const chars = Array.from(text);
  if (alternates(chars, separator, 0, chars.length)) return chars.filter((_, i) => i % 2 === 0).join('');
  let out = '';
  let i = 0;
  while (i < chars.length) {
    let j = i;
    while (j + 2 < chars.length && chars[j + 1] === separator && chars[j] !== separator) j += 2;
    const count = (j - i) / 2 + 1;
    if (count >= minRun) {
      for (let k = i; k <= j; k += 2) out += chars[k];
      i = j + 1;
    } else {
      out += chars[i];
      i++;
    }
  }
  return out;
}

function alternates(chars: string[], separator: string, from: number, to: number): boolean {
  if (to - from < 3 || (to - from) % 2 === 0) return false;
  for (let i = from + 1; i < to; i += 2) if (chars[i] !== separator) return false;
  return true;
}

const LEET_ENCODE: Record<string, string> = { a: '4', e: '3', i: '1', o: '0', s: '5', t: '7' };
/** Decoding table; `1` may stand for i or l in the wild (the recognizer tries both). */
export const LEET_DECODE: Record<string, string> = {
  '4': 'a',
  '@': 'a',
  '3': 'e',
  '1': 'i',
  '!': 'i',
  '0': 'o',
  '5': 's',
  $: 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
};

/** a→4, e→3, i→1, o→0, s→5, t→7 in either case (case is lost for those letters). */
export function leetEncode(text: string): string {
  let out = '';
  for (const ch of text) out += LEET_ENCODE[ch.toLowerCase()] ?? ch;
  return out;
}

/**
 * Decodes leetspeak token by token (runs of letters, digits, `@`, `$`): a token with a letter is
 * decoded; an all-digit token only when it decodes to an English word (`15` is "is"), so numbers
 * mostly survive. Output is lower case.
 */
export function leetDecode(text: string, isWord: (w: string) => boolean): string {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!isLeetTokenChar(c)) {
      out += text[i];
      i++;
      continue;
    }
    let j = i;
    let letters = 0;
    while (j < n && isLeetTokenChar(text.charCodeAt(j))) {
      if (isLetter(text.charCodeAt(j))) letters++;
      j++;
    }
    const token = text.slice(i, j);
    let decoded = '';
    for (const ch of token) decoded += LEET_DECODE[ch] ?? ch.toLowerCase();
    out += letters > 0 || isWord(decoded) ? decoded : token;
    i = j;
  }
  return out;
}

function isLeetTokenChar(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57) || c === 64 || c === 36;
}

/** The text backwards, by code point. */
export function reverseText(text: string): string {
  return Array.from(text).reverse().join('');
}

/** The space-separated tokens in the opposite order (each token as it is): its own inverse. */
export function reverseWordOrder(text: string): string {
  return text.split(' ').reverse().join(' ');
}

/** Each whitespace-separated token written backwards, in place (the word order is kept). */
export function reverseWords(text: string): string {
  let out = '';
  let token: string[] = [];
  for (const ch of text) {
    if (ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r') {
      out += token.reverse().join('') + ch;
      token = [];
    } else token.push(ch);
  }
  return out + token.reverse().join('');
}

/** Vigenère over ASCII letters, case kept; the keyword advances on letters only. */
export function vigenereEncode(text: string, keyword: string, direction: 1 | -1 = 1): string {
  const shifts = [...keyword.toLowerCase()].map((c) => c.charCodeAt(0) - 97).filter((s) => s >= 0 && s < 26);
  if (shifts.length === 0) throw new RangeError('a Vigenère keyword needs letters');
  let out = '';
  let k = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const base = isLower(c) ? 97 : isUpper(c) ? 65 : -1;
    if (base < 0) {
      out += text[i];
      continue;
    }
    const s = shifts[k++ % shifts.length]! * direction;
    out += String.fromCharCode(base + ((((c - base + s) % 26) + 26) % 26));
  }
  return out;
}

export function vigenereDecode(text: string, keyword: string): string {
  return vigenereEncode(text, keyword, -1);
}

/** Every character (code point) written `n` times: `hheelllloo`. */
export function repeatCharacters(text: string, n: number, kinds?: readonly CharacterKind[]): string {
  let out = '';
  for (const ch of text) out += !kinds || kinds.includes(characterKind(ch)) ? ch.repeat(n) : ch;
  return out;
}

/** A character's kind: a letter, a digit, white space, or any other mark. */
export function characterKind(ch: string): CharacterKind {
  if (/\p{L}|\p{M}/u.test(ch)) return 'letters';
  if (/\p{N}/u.test(ch)) return 'digits';
  if (/\s/u.test(ch)) return 'spaces';
  return 'marks';
}

/** Undoes repeatCharacters: keeps the first of each group of `n` equal characters. */
export function unrepeatCharacters(text: string, n: number): string {
  const chars = Array.from(text);
  let out = '';
  let i = 0;
  while (i < chars.length) {
    out += chars[i];
    let j = i + 1;
    while (j < chars.length && j - i < n && chars[j] === chars[i]) j++;
    i = j;
  }
  return out;
}
