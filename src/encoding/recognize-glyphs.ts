// Recognizers for encodings that hide letters in other characters or bytes: styled letters
// (mathematical alphanumerics, full-width, circled, upside-down), Cyrillic and Greek homoglyphs
// inside Latin words, ROT47, base32 and base85 runs and fully percent-encoded runs. Each decodes what it finds
// and reports it only when the decoding reads as language (the same bar as base64's).
import type { Detection } from './types.js';
import type { RunDetection } from './recognize-runs.js';
import {
  base32Decode,
  fromHomoglyphs,
  isStyled,
  latinOf,
  percentDecode,
  quotedPrintableDecode,
  rot47,
  unstyleLetters,
  UPSIDE_DOWN_ONLY,
} from './codecs/glyphs.js';
import { base85Decode, isBase85Char, type Base85Variant } from './codecs/base85.js';
import { readableProse } from './readable.js';
import { readsNatural } from './language-model.js';
import { decodingReads } from './reading.js';
import { excerpt, wordTokenShare } from './text-scan.js';

const BEYOND_LATIN1 = /[^\u0000-\u00a0]/;
const GREEK_CYRILLIC = /[\u0370-\u052f]/;

/** White space past ASCII, as /\s/ has it. */
function isSpace(c: number): boolean {
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** The decoding reads as language: English prose, or natural text in any language the models know. */
function reads(decoded: string): boolean {
  return readableProse(decoded).ok || readsNatural(decoded);
}

/** Styled letters: at least 12, and most of the text's letters. */
export function findStyled(text: string): (Detection & { start: number; end: number }) | undefined {
  // every styled letter lies past U+00A0 (the first are ¡ and ¿)
  if (!BEYOND_LATIN1.test(text)) return undefined;
  let styled = 0;
  let letters = 0;
  let start = -1;
  let end = -1;
  let offset = 0;
  for (const ch of text) {
    if (isStyled(ch)) {
      styled++;
      if (start < 0) start = offset;
      end = offset + ch.length;
    } else if (/\p{L}/u.test(ch)) letters++;
    offset += ch.length;
  }
  if (styled < 12 || styled < letters) return undefined;
  const run = text.slice(start, end);
  const decoded = unstyleLetters(run);
  const counts = { 'math-bold': 0, 'full-width': 0, 'upside-down': 0 };
  for (const ch of run) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x1d400 && c <= 0x1d7ff) counts['math-bold']++;
    else if (c >= 0xff01 && c <= 0xff5e) counts['full-width']++;
    else if (UPSIDE_DOWN_ONLY.has(ch)) counts['upside-down']++;
  }
  const style = (Object.keys(counts) as (keyof typeof counts)[]).sort((a, b) => counts[b] - counts[a])[0]!;
  if (decoded === run || !reads(decoded)) return undefined;
  return {
    family: 'styled',
    score: Math.min(0.98, 0.8 + styled / 500),
    evidence: `${styled} letters written in a style (mathematical, full-width, circled or upside-down); read as plain letters they read as language ("${excerpt(decoded, 60)}")`,
    excerpt: excerpt(run),
    decoded,
    proven: true,
    scheme: { style },
    start,
    end,
  };
}

/** Words that mix Latin letters with Cyrillic or Greek lookalikes: at least 3, and a tenth of the words. */
export function findHomoglyphs(text: string): Detection | undefined {
  // every lookalike is Greek or Cyrillic
  if (!GREEK_CYRILLIC.test(text)) return undefined;
  const words = text.match(/[\p{L}\p{M}]+/gu);
  if (!words || words.length < 6) return undefined;
  let mixed = 0;
  let latin = 0;
  for (const w of words) {
    let lat = false;
    let look = false;
    for (const ch of w) {
      if (/[A-Za-z]/.test(ch)) lat = true;
      else if (latinOf(ch) !== undefined) look = true;
    }
    if (lat) latin++;
    if (lat && look) mixed++;
  }
  if (mixed < 3 || mixed < 0.1 * words.length || latin < 0.5 * words.length) return undefined;
  const decoded = fromHomoglyphs(text);
  if (!reads(decoded)) return undefined;
  return {
    family: 'homoglyph',
    score: Math.min(0.97, 0.75 + mixed / 100),
    evidence: `${mixed} of ${words.length} words mix Latin letters with Cyrillic or Greek lookalikes (no written language does); read as Latin they read as language`,
    excerpt: excerpt(text),
    decoded,
    proven: true,
  };
}

const NON_ASCII = /[^\x00-\x7e]/;

/** The tokens (between white space) of printable ASCII only, joined by a space. */
function asciiTokens(text: string): string {
  return text
    .split(/\s+/)
    .filter((t) => t !== '' && !NON_ASCII.test(t))
    .join(' ');
}

/** ROT47: printable ASCII turned by 47; the text is mostly digits, marks and capitals, and turned back it reads. */
export function findRot47(text: string): Detection | undefined {
  // ROT47 turns printable ASCII only: what it wrote is the text's ASCII tokens (a lead in another
  // script, a word with a curly quote or an accent, stays as written); a text of another script with
  // a few ASCII names in it (`sh_offset`, `0x%lx`) has too few of them to read
  const turned = NON_ASCII.test(text) ? asciiTokens(text) : text;
  // counted in UTF-16 units, white space (as /\s/ has it) left out
  let visible = 0;
  let lower = 0;
  let upper = 0;
  for (let i = 0; i < turned.length; i++) {
    const c = turned.charCodeAt(i);
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0xa0 && isSpace(c))) continue;
    visible++;
    if (c >= 0x61 && c <= 0x7a) lower++;
    else if (c >= 0x41 && c <= 0x5a) upper++;
  }
  if (visible < 24) return undefined;
  const digitsMarks = visible - lower - upper;
  // ROT47 writes a..z as 2..K: little lower case, many digits and marks
  if (lower > 0.35 * visible || digitsMarks < 0.3 * visible) return undefined;
  const decoded = rot47(turned);
  // prose: most of its tokens words (not a few short words cut out of codes: `<TFA07>` turns to
  // `k%up_f`), and language by its letters too
  if (!readableProse(decoded).ok || wordTokenShare(decoded) < 0.5 || !decodingReads(turned, decoded).ok) return undefined;
  return {
    family: 'rot47',
    score: 0.9,
    evidence: `the text is ROT47 (printable ASCII turned by 47); turned back it reads as English ("${excerpt(decoded, 60)}")`,
    excerpt: excerpt(text),
    decoded,
    proven: true,
  };
}

/** A run that decodes to text that reads, as a proven detection at the run's place. */
function decodedRun(family: 'base32' | 'base85' | 'percent-encoding', what: string, run: string, at: number, decoded: string): RunDetection {
  return {
    family,
    score: 0.95,
    evidence: `${what} decodes to text that reads ("${excerpt(decoded, 60)}")`,
    excerpt: excerpt(run),
    decoded,
    proven: true,
    start: at,
    end: at + run.length,
  };
}

/** Base32 runs (A-Z and 2-7, 16+ characters) that decode to language. */
export function findBase32(text: string): RunDetection[] {
  const out: RunDetection[] = [];
  // a run needs 16 characters of A-Z and 2-7 in a row: without one there is none
  let longest = 0;
  for (let i = 0, run = 0; i < text.length && longest < 16; i++) {
    const c = text.charCodeAt(i);
    run = (c >= 65 && c <= 90) || (c >= 50 && c <= 55) ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  if (longest < 16) return out;
  for (const m of text.matchAll(/(?<![A-Za-z0-9+/])[A-Z2-7]{16,}={0,6}(?![A-Za-z0-9+/])/g)) {
    const run = m[0];
    if (!/[2-7]/.test(run) && run.length < 32) continue;
    const decoded = base32Decode(run);
    if (decoded.length >= 10 && reads(decoded)) out.push(decodedRun('base32', `a ${run.length}-character base32 run`, run, m.index, decoded));
  }
  return out;
}

/** The shortest base85 run tried (16 bytes of text). */
const BASE85_MIN = 20;

/**
 * Base85 runs (Ascii85, also between `<~` and `~>`, or RFC 1924's alphabet) of 20+ characters, with
 * letters and marks mixed as base85 writes them, that decode to language.
 */
export function findBase85(text: string): RunDetection[] {
  const out: RunDetection[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    // a run: printable ASCII without white space
    const c = text.charCodeAt(i);
    if (c <= 32 || c > 126) {
      i++;
      continue;
    }
    let end = i;
    let letters = 0;
    let marks = 0;
    while (end < n) {
      const d = text.charCodeAt(end);
      if (d <= 32 || d > 126) break;
      if ((d | 32) >= 97 && (d | 32) <= 122) letters++;
      else if (d < 48 || d > 57) marks++;
      end++;
    }
    const start = i;
    i = end;
    if (end - start < BASE85_MIN || letters < 5 || marks < 2) continue;
    const run = text.slice(start, end);
    const body = run.startsWith('<~') ? run.slice(2, run.endsWith('~>') ? -2 : undefined) : run;
    for (const variant of ['ascii85', 'rfc1924'] as Base85Variant[]) {
      if (![...body].every((ch) => isBase85Char(variant, ch.charCodeAt(0)))) continue;
      const decoded = base85Decode(body, variant);
      if (decoded === undefined || decoded.length < 10 || /[\u0000-\u0008\u000e-\u001f]/.test(decoded) || !reads(decoded)) continue;
      const name = variant === 'ascii85' ? 'Ascii85' : 'base85 (RFC 1924)';
      const framed = body !== run;
      out.push({ ...decodedRun('base85', `a ${run.length}-character ${name} run`, run, start, decoded), scheme: { variant, ...(framed ? { framed } : {}) } });
      break;
    }
  }
  return out;
}

/** Runs written in `%XX` escapes (most of their letters escaped, not a URL's odd `%20`) that decode to language. */
export function findPercentEncoded(text: string): RunDetection[] {
  return [...escapeRuns(text, '%'), ...escapeRuns(text, '=')];
}

const ESCAPE_RUNS = {
  '%': { run: /(?:%[0-9A-Fa-f]{2}|[A-Za-z0-9._~+-])+/g, escape: /%[0-9A-Fa-f]{2}/g, decode: percentDecode, name: '%XX escapes' },
  // quoted-printable (RFC 2045): upper-case hex, `=` at a line's end a soft break
  '=': { run: /(?:=[0-9A-F]{2}|=\r?\n|[A-Za-z0-9._~+-])+/g, escape: /=[0-9A-F]{2}/g, decode: quotedPrintableDecode, name: 'quoted-printable =XX escapes' },
};

/** Runs written mostly in `%XX` or `=XX` escapes that decode to language. */
function escapeRuns(text: string, mark: '%' | '='): RunDetection[] {
  const out: RunDetection[] = [];
  // a run needs 12 escapes: fewer marks in the whole text is none (the run's pattern matches every word)
  let marks = 0;
  for (let at = text.indexOf(mark); at >= 0 && marks < 12; at = text.indexOf(mark, at + 1)) marks++;
  if (marks < 12) return out;
  const kind = ESCAPE_RUNS[mark];
  for (const m of text.matchAll(kind.run)) {
    const run = m[0];
    const escapes = (run.match(kind.escape) ?? []).length;
    if (escapes < 12 || escapes * 3 < 0.6 * run.length) continue;
    const decoded = kind.decode(run);
    if (decoded && decoded.length >= 10 && reads(decoded))
      out.push({
        ...decodedRun('percent-encoding', `a run of ${escapes} ${kind.name}`, run, m.index, decoded),
        ...(mark === '=' ? { scheme: { variant: 'quoted-printable' as const } } : {}),
      });
  }
  return out;
}
