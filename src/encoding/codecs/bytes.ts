// Byte-level codecs over UTF-8: base64, hex, 8-bit binary, and International Morse (letters,
// digits, common punctuation; word gaps as ` / `). Pure string functions.

export function base64Encode(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Decodes base64 (whitespace ignored; URL-safe `-`/`_` accepted). */
export function base64Decode(text: string): string {
  let clean = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 45) clean += '+';
    else if (c === 95) clean += '/';
    else if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 61) clean += text[i];
  }
  return Buffer.from(clean, 'base64').toString('utf8');
}

export function hexEncode(text: string, separator = ' '): string {
  return [...Buffer.from(text, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(separator);
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Decodes hex digits in order, skipping separators and `0x` / `\x` prefixes. */
export function hexDecode(text: string): string {
  const bytes: number[] = [];
  let high = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 48 && i + 1 < text.length && (text.charCodeAt(i + 1) | 32) === 120 && high < 0) {
      i++;
      continue;
    }
    const v = hexValue(c);
    if (v < 0) continue;
    if (high < 0) high = v;
    else {
      bytes.push(high * 16 + v);
      high = -1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

export function binaryEncode(text: string, separator = ' '): string {
  return [...Buffer.from(text, 'utf8')].map((b) => b.toString(2).padStart(8, '0')).join(separator);
}

/** Decodes 0/1 digits in order, eight to a byte; other characters are skipped. */
export function binaryDecode(text: string): string {
  const bytes: number[] = [];
  let value = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 48 && c !== 49) continue;
    value = value * 2 + (c - 48);
    if (++bits === 8) {
      bytes.push(value);
      value = 0;
      bits = 0;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

const MORSE: Readonly<Record<string, string>> = {
  a: '.-',
  b: '-...',
  c: '-.-.',
  d: '-..',
  e: '.',
  f: '..-.',
  g: '--.',
  h: '....',
  i: '..',
  j: '.---',
  k: '-.-',
  l: '.-..',
  m: '--',
  n: '-.',
  o: '---',
  p: '.--.',
  q: '--.-',
  r: '.-.',
  s: '...',
  t: '-',
  u: '..-',
  v: '...-',
  w: '.--',
  x: '-..-',
  y: '-.--',
  z: '--..',
  '0': '-----',
  '1': '.----',
  '2': '..---',
  '3': '...--',
  '4': '....-',
  '5': '.....',
  '6': '-....',
  '7': '--...',
  '8': '---..',
  '9': '----.',
  '.': '.-.-.-',
  ',': '--..--',
  '?': '..--..',
  "'": '.----.',
  '!': '-.-.--',
  '/': '-..-.',
  '(': '-.--.',
  ')': '-.--.-',
  '&': '.-...',
  ':': '---...',
  ';': '-.-.-.',
  '=': '-...-',
  '+': '.-.-.',
  '-': '-....-',
  _: '..--.-',
  '"': '.-..-.',
  $: '...-..-',
  '@': '.--.-.',
};

export const MORSE_DECODE: ReadonlyMap<string, string> = new Map(Object.entries(MORSE).map(([k, v]) => [v, k]));

/** Morse per line: letters separated by spaces, words by ` / `; characters without a code are dropped. */
export function morseEncode(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .split(/[ \t]+/)
        .filter((w) => w.length > 0)
        .map((w) =>
          [...w.toLowerCase()]
            .map((ch) => MORSE[ch] ?? '')
            .filter((c) => c.length > 0)
            .join(' '),
        )
        .filter((w) => w.length > 0)
        .join(' / '),
    )
    .join('\n');
}

/** Normalises the dot and dash look-alikes (·, •, −, –, —, _) to `.` and `-`. */
export function normalizeMorseSymbol(ch: string): string {
  if (ch === '·' || ch === '•' || ch === '∙') return '.';
  if (ch === '−' || ch === '–' || ch === '—' || ch === '_') return '-';
  return ch;
}

/** Decodes Morse to lower case; `/` (or three spaces) separates words, unknown codes become `?`. */
export function morseDecode(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const words = line.split(/\/|\s{3,}/);
      return words
        .map((w) =>
          w
            .split(/\s+/)
            .filter((c) => c.length > 0)
            .map((c) => MORSE_DECODE.get([...c].map(normalizeMorseSymbol).join('')) ?? '?')
            .join(''),
        )
        .filter((w) => w.length > 0)
        .join(' ');
    })
    .join('\n');
}

/** Letters as numbers (`a` = offset: A1Z26 by default), joined by `separator` inside a word and `wordSeparator` between words; other characters are dropped. */
export function letterNumberEncode(text: string, offset = 1, separator = '-', wordSeparator = ' '): string {
  return text
    .split(/\s+/)
    .map((w) =>
      [...w.toLowerCase()]
        .filter((c) => c >= 'a' && c <= 'z')
        .map((c) => String(c.charCodeAt(0) - 97 + offset))
        .join(separator),
    )
    .filter((w) => w.length > 0)
    .join(wordSeparator);
}

/** Undoes letterNumberEncode (lower case; numbers out of range become `?`). */
export function letterNumberDecode(text: string, offset = 1, separator = '-', wordSeparator = ' '): string {
  const words = wordSeparator.trim() === '' ? text.trim().split(separator.trim() === '' ? /\s{2,}|\s*\/\s*/ : /\s+/) : text.split(wordSeparator);
  return words
    .map((w) =>
      w
        .split(separator.trim() === '' ? /\s+/ : separator)
        .map((n) => n.trim())
        .filter((n) => n.length > 0)
        .map((n) => {
          const v = Number(n) - offset;
          return Number.isInteger(v) && v >= 0 && v < 26 ? String.fromCharCode(97 + v) : '?';
        })
        .join(''),
    )
    .filter((w) => w.length > 0)
    .join(' ');
}
