// Independent decoders with the true key, for checking what mimic wrote (imports nothing from src/).
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

function mapLetters(text: string, f: (index: number) => string): string {
  let out = '';
  for (const ch of text) {
    const i = LOWER.indexOf(ch.toLowerCase());
    if (i < 0 || !/[a-z]/i.test(ch)) {
      out += ch;
      continue;
    }
    const c = f(i);
    out += ch === ch.toLowerCase() ? c : c.toUpperCase();
  }
  return out;
}

/** Inverse of a keyed substitution (key[i] = cipher letter of plain letter i). */
export function unkey(text: string, key: string): string {
  return mapLetters(text, (i) => LOWER[key.indexOf(LOWER[i]!)]!);
}

/** Drops a separator placed between every character (`all`), or between the characters of each word. */
export function unseparate(text: string, sep: string, layout: 'all' | 'in-words' = 'all'): string {
  if (layout === 'all') return [...text].filter((_, i) => i % 2 === 0).join('');
  return text
    .split(/(\s+)/)
    .map((t) => (/\s/.test(t) ? t : [...t].filter((c, i) => i % 2 === 0 || c !== sep).join('')))
    .join('');
}

export const unshift = (text: string, n: number) => mapLetters(text, (i) => LOWER[(i - n + 26) % 26]!);

export function unvigenere(text: string, keyword: string): string {
  let k = 0;
  return mapLetters(text, (i) => LOWER[(i - LOWER.indexOf(keyword[k++ % keyword.length]!) + 26) % 26]!);
}

export const unbase64 = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');

export const unhex = (text: string) => Buffer.from(text.replace(/0x|\\x|[^0-9a-f]/gi, ''), 'hex').toString('utf8');

export function unbinary(text: string): string {
  const bits = text.replace(/[^01]/g, '');
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes).toString('utf8');
}

export function unletterNumbers(text: string, offset: number, sep: string, wordSep: string): string {
  return text
    .split(wordSep)
    .map((w) =>
      w
        .split(sep)
        .filter((n) => n.trim() !== '')
        .map((n) => LOWER[Number(n) - offset] ?? '?')
        .join(''),
    )
    .join(' ');
}

export function unsymbols(text: string, symbols: string[]): string {
  return [...text.replace(/\uFE0F/g, '')].map((c) => (symbols.includes(c) ? LOWER[symbols.indexOf(c)]! : c)).join('');
}

export function unrepeat(text: string, n: number): string {
  return [...text].filter((_, i) => i % n === 0).join('');
}

export const unreverse = (text: string) => [...text].reverse().join('');

/** Quoted-printable: each `=XX` one byte, read as UTF-8. */
export const unquoted = (text: string) =>
  Buffer.from(
    text.replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  ).toString('utf8');

/** Ascii85 (`!`..`u`, `z` for four zero bytes), `<~ ~>` taken off; a last group of n digits padded with `u` gives n - 1 bytes. */
export function unascii85(text: string): string {
  const body = text.trim().replace(/^<~/, '').replace(/~>$/, '').replace(/\s+/g, '').replace(/z/g, '!!!!!');
  const out: number[] = [];
  for (let at = 0; at < body.length; at += 5) {
    const chunk = body.slice(at, at + 5);
    const value = [...chunk.padEnd(5, 'u')].reduce((acc, ch) => acc * 85n + BigInt(ch.charCodeAt(0) - 33), 0n);
    const bytes = [24n, 16n, 8n, 0n].map((shift) => Number((value >> shift) & 255n));
    out.push(...bytes.slice(0, chunk.length - 1));
  }
  return Buffer.from(out).toString('utf8');
}

/** The last whitespace-separated word of each non-empty line (a last-word text's message). */
export const lastWords = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim().split(/\s+/).pop() ?? '')
    .filter(Boolean);

/** The first whitespace-separated word of each non-empty line (a first-word text's message). */
export const firstWords = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);

/** The first letter of each line, lower case (an acrostic's message). */
export const firstLetters = (text: string): string =>
  text
    .split('\n')
    .map((l) => /[a-z]/i.exec(l)?.[0]!.toLowerCase() ?? '')
    .join('');
