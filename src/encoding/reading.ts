// Whether a decoding is evidence: it reads as natural language (in some language, or in the given
// ones) and clearly better than the text as written. A text that already reads as natural language
// is never taken for a cipher.
import { naturalness, NATURAL_BITS, UNNATURAL_BITS } from './language-model.js';
import { wordCoverage } from './english-stats.js';

/** How much better (mean log2 probability per character) a decoding must read than the raw text. */
const DECODE_MARGIN = 1.0;
/** Reversed language keeps its letters and many of its letter triples, so it reads closer to language: half the margin, with the dictionary's word-by-word evidence beside it. */
export const REVERSAL_MARGIN = 0.5;

/** Share of letters outside ASCII among all letters: an ASCII cipher of a text leaves none. */
function nonAsciiLetterShare(text: string): number {
  let letters = 0;
  let other = 0;
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) letters++;
    else if (c >= 0xc0 && /\p{L}/u.test(ch)) {
      letters++;
      other++;
    }
  }
  return letters ? other / letters : 0;
}

/** The raw text reads as no language (a cipher candidate): few non-ASCII letters and a low score under every model. */
export function readsAsNoLanguage(text: string): boolean {
  if (nonAsciiLetterShare(text) > 0.05) return false;
  const n = naturalness(text);
  return n.chars >= 12 && n.bits < UNNATURAL_BITS;
}

interface DecodeReading {
  ok: boolean;
  raw: number;
  decoded: number;
  lang: string;
}

/** The decoding reads as natural language (given languages, default any) and better than the raw text by the margin. */
export function decodingReads(raw: string, decoded: string, langs?: readonly string[], minChars = 16, margin = DECODE_MARGIN): DecodeReading {
  const d = naturalness(decoded, langs);
  if (d.chars < minChars || d.bits < NATURAL_BITS) return { ok: false, raw: NaN, decoded: d.bits, lang: d.lang };
  const r = naturalness(raw);
  return { ok: d.bits >= r.bits + margin || r.chars < 4, raw: r.bits, decoded: d.bits, lang: d.lang };
}

/** Letters without word gaps read as words: share of letters covered by dictionary words (English). */
export function segmentedReads(letters: string): boolean {
  return (
    letters.length >= 16 &&
    wordCoverage(
      letters
        .toLowerCase()
        .replace(/[^a-z]/g, '')
        .slice(0, 600),
    ) >= 0.7
  );
}
