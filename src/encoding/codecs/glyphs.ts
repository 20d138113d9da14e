// Codecs of encodings that change how letters look or which bytes carry them, not which letters they
// are: styled letters (mathematical bold, full-width, upside-down), Cyrillic and Greek homoglyphs,
// ROT47, base32 and percent-encoding. Each pair is exact on the text it is meant for; the decoders
// also read what other writers of the same scheme produce (any mathematical style, any confusable).

/** Latin letters of the mathematical bold style start here (A; a is 26 later). */
const MATH_BOLD_A = 0x1d400;
/** Full-width forms of ASCII 0x21-0x7e start here. */
const FULL_WIDTH = 0xff01;

/** Upside-down letters (read after the text is turned: the order reversed), by the letter they show. */
const UPSIDE_DOWN: Record<string, string> = {
  a: 'ɐ',
  b: 'q',
  c: 'ɔ',
  d: 'p',
  e: 'ǝ',
  f: 'ɟ',
  g: 'ƃ',
  h: 'ɥ',
  i: 'ᴉ',
  j: 'ɾ',
  k: 'ʞ',
  l: 'l',
  m: 'ɯ',
  n: 'u',
  o: 'o',
  p: 'd',
  q: 'b',
  r: 'ɹ',
  s: 's',
  t: 'ʇ',
  u: 'n',
  v: 'ʌ',
  w: 'ʍ',
  x: 'x',
  y: 'ʎ',
  z: 'z',
  '.': '˙',
  ',': "'",
  "'": ',',
  '?': '¿',
  '!': '¡',
  '(': ')',
  ')': '(',
  '[': ']',
  ']': '[',
  _: '‾',
  '&': '⅋',
};
const FROM_UPSIDE_DOWN = new Map(Object.entries(UPSIDE_DOWN).map(([plain, turned]) => [turned, plain]));
/** The characters only upside-down text uses (q, d, u, l… are ordinary letters too). */
export const UPSIDE_DOWN_ONLY = new Set(['ɐ', 'ɔ', 'ǝ', 'ɟ', 'ƃ', 'ɥ', 'ᴉ', 'ɾ', 'ʞ', 'ɯ', 'ɹ', 'ʇ', 'ʌ', 'ʍ', 'ʎ', '˙', '¿', '¡', '⅋']);

type LetterStyle = 'math-bold' | 'full-width' | 'upside-down';

/** Text in a letter style: mathematical bold letters and digits, full-width ASCII, or turned upside down. */
export function styleLetters(text: string, style: LetterStyle): string {
  if (style === 'upside-down')
    return [...text.toLowerCase()]
      .map((c) => UPSIDE_DOWN[c] ?? c)
      .reverse()
      .join('');
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (style === 'full-width') out += c >= 0x21 && c <= 0x7e ? String.fromCodePoint(FULL_WIDTH + c - 0x21) : c === 0x20 ? '\u3000' : ch;
    else if (c >= 0x41 && c <= 0x5a) out += String.fromCodePoint(MATH_BOLD_A + c - 0x41);
    else if (c >= 0x61 && c <= 0x7a) out += String.fromCodePoint(MATH_BOLD_A + 26 + c - 0x61);
    else if (c >= 0x30 && c <= 0x39) out += String.fromCodePoint(0x1d7ce + c - 0x30);
    else out += ch;
  }
  return out;
}

/** A styled character: any mathematical alphanumeric, full-width ASCII, a circled letter, or an upside-down-only letter. */
export function isStyled(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return (c >= 0x1d400 && c <= 0x1d7ff) || (c >= 0xff01 && c <= 0xff5e) || (c >= 0x24b6 && c <= 0x24e9) || UPSIDE_DOWN_ONLY.has(ch);
}

/** Styled text read as plain letters: compatibility forms folded (NFKC), upside-down text turned back. */
export function unstyleLetters(text: string): string {
  const chars = [...text];
  if (chars.filter((c) => UPSIDE_DOWN_ONLY.has(c)).length >= 3)
    return chars
      .map((c) => FROM_UPSIDE_DOWN.get(c) ?? c)
      .reverse()
      .join('');
  return chars.map((c) => (isStyled(c) ? c.normalize('NFKC') : c === '\u3000' ? ' ' : c)).join('');
}

/** Cyrillic and Greek letters that look like Latin ones, by the Latin letter they pass for. */
const CONFUSABLES: Record<string, string> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ј: 'j',
  ԁ: 'd',
  һ: 'h',
  ԛ: 'q',
  ԝ: 'w',
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  Х: 'X',
  Ү: 'Y',
  Ѕ: 'S',
  І: 'I',
  Ј: 'J',
  ο: 'o',
  ν: 'v',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Χ: 'X',
  Υ: 'Y',
};
const LOOKALIKE_OF = new Map<string, string>();
for (const [look, latin] of Object.entries(CONFUSABLES)) if (/[\u0400-\u04ff]/.test(look) && !LOOKALIKE_OF.has(latin)) LOOKALIKE_OF.set(latin, look);

/** The Latin letter a confusable passes for, or undefined. */
export function latinOf(ch: string): string | undefined {
  return CONFUSABLES[ch];
}

/** Every Latin letter that has a Cyrillic lookalike written as that lookalike. */
export function toHomoglyphs(text: string): string {
  return [...text].map((c) => LOOKALIKE_OF.get(c) ?? c).join('');
}

/** Confusables read as the Latin letters they pass for. */
export function fromHomoglyphs(text: string): string {
  return [...text].map((c) => CONFUSABLES[c] ?? c).join('');
}

/** ROT47: every printable ASCII character but the space turned by 47 places (its own inverse). */
export function rot47(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    out += ch.length === 1 && c >= 33 && c <= 126 ? String.fromCharCode(33 + ((c - 33 + 47) % 94)) : ch;
  }
  return out;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 of the text's UTF-8 bytes, padded with `=`. */
export function base32Encode(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  while (out.length % 8) out += '=';
  return out;
}

/** The UTF-8 text of a base32 run (padding optional; other characters end it). */
export function base32Decode(run: string): string {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of run.replace(/=+$/, '')) {
    const v = BASE32.indexOf(ch.toUpperCase());
    if (v < 0) break;
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Every UTF-8 byte of the text as `%XX` (upper-case hex), spaces too. */
export function percentEncodeAll(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/** `%XX` escapes read as UTF-8 bytes, `+` as a space; undefined when the escapes are not valid UTF-8. */
export function percentDecode(run: string): string | undefined {
  try {
    return decodeURIComponent(run.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Every UTF-8 byte as quoted-printable's `=XX` (upper-case hex, RFC 2045), spaces too. */
export function quotedPrintableAll(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/** Quoted-printable read as UTF-8 (`=XX` a byte, `=` at a line's end a soft break); undefined when the bytes are not valid UTF-8. */
export function quotedPrintableDecode(run: string): string | undefined {
  const bytes: number[] = [];
  const text = run.replace(/=\r?\n/g, '');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 61 && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 128) bytes.push(c);
    else return undefined;
  }
  const decoded = Buffer.from(bytes).toString('utf8');
  return decoded.includes('\ufffd') ? undefined : decoded;
}
