// Base85 codecs: Ascii85 (Adobe/btoa: digits `!`..`u`, `z` for four zero bytes, optionally between
// `<~` and `~>`) and RFC 1924's alphabet (git binary patches, Python's b85encode). Each writes four
// bytes as five digits of base 85; a last group of n bytes is written as n + 1 digits. The decoders
// read the UTF-8 text of a run, and give undefined when it is no valid base85 or no valid UTF-8.

export type Base85Variant = 'ascii85' | 'rfc1924';

const RFC1924 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~';
const RFC1924_DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < RFC1924.length; i++) RFC1924_DIGIT[RFC1924.charCodeAt(i)] = i;

/** The digit a character stands for in the variant's alphabet, or -1. */
function digitOf(variant: Base85Variant, c: number): number {
  if (variant === 'ascii85') return c >= 33 && c <= 117 ? c - 33 : -1;
  return c < 128 ? RFC1924_DIGIT[c]! : -1;
}

/** A character of the variant's alphabet (Ascii85's `z` included). */
export function isBase85Char(variant: Base85Variant, c: number): boolean {
  return digitOf(variant, c) >= 0 || (variant === 'ascii85' && c === 122);
}

/** The text's UTF-8 bytes in base85 (Ascii85 with `z` for a whole group of zero bytes, no delimiters). */
export function base85Encode(text: string, variant: Base85Variant): string {
  const bytes = Buffer.from(text, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) {
    const n = Math.min(4, bytes.length - i);
    let value = 0;
    for (let k = 0; k < 4; k++) value = value * 256 + (k < n ? bytes[i + k]! : 0);
    if (variant === 'ascii85' && n === 4 && value === 0) {
      out += 'z';
      continue;
    }
    const digits: number[] = [];
    for (let k = 0; k < 5; k++) {
      digits.unshift(value % 85);
      value = Math.floor(value / 85);
    }
    for (let k = 0; k <= n; k++) out += variant === 'ascii85' ? String.fromCharCode(33 + digits[k]!) : RFC1924[digits[k]!];
  }
  return out;
}

/** The UTF-8 text of a base85 run (white space skipped, Ascii85's `<~ ~>` taken off), or undefined. */
export function base85Decode(run: string, variant: Base85Variant): string | undefined {
  let text = run.replace(/\s+/g, '');
  if (variant === 'ascii85' && text.startsWith('<~')) text = text.slice(2, text.endsWith('~>') ? -2 : undefined);
  const bytes: number[] = [];
  const group: number[] = [];
  const flush = (n: number) => {
    // a last group of n digits is padded with the highest digit and gives n - 1 bytes
    while (group.length < 5) group.push(84);
    let value = 0;
    for (const d of group) value = value * 85 + d;
    if (value > 0xffffffff) return false;
    for (let k = 0; k < n - 1; k++) bytes.push(Math.floor(value / 256 ** (3 - k)) % 256);
    group.length = 0;
    return true;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (variant === 'ascii85' && c === 122) {
      if (group.length) return undefined;
      bytes.push(0, 0, 0, 0);
      continue;
    }
    const d = digitOf(variant, c);
    if (d < 0) return undefined;
    group.push(d);
    if (group.length === 5 && !flush(5)) return undefined;
  }
  if (group.length === 1) return undefined;
  if (group.length && !flush(group.length)) return undefined;
  const decoded = Buffer.from(bytes);
  const textOut = decoded.toString('utf8');
  // no valid UTF-8: the decoding is no text
  return Buffer.byteLength(textOut) === decoded.length && !textOut.includes('\ufffd') ? textOut : undefined;
}
