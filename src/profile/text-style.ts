// How a dataset writes its text, beyond structure: all lower case, PTB-style tokenization
// (`it 's`, `does n't`, spaced punctuation), and how often a text ends with sentence punctuation or
// starts with a lower-case letter, read off a slot's texts so safety records are written the same
// way (a dataset whose questions never end with "?" gets requests without one; one where 60% start
// lower-case gets that share). Detection and the transform are pure.

export interface TextStyle {
  /** No upper-case letter in (almost) any text that has cased letters. */
  lowercase: boolean;
  /** Penn-Treebank-like tokens: clitics and punctuation split off by spaces. */
  tokenized: boolean;
  /** Share of the texts that end with sentence punctuation (. ? ! … and their CJK forms). */
  endMarks?: number;
  /** Share of the texts that start with a lower-case letter (of those that start with a cased one). */
  lowerStarts?: number;
  /**
   * Texts written over several lines: their share (of texts with two sentences or more), and the
   * break they use between sentences or paragraphs (`\n`, or `\n\n` where most multi-line texts
   * leave a blank line).
   */
  breaks?: { share: number; separator: string };
  evidence: string;
}

const PLAIN: TextStyle = { lowercase: false, tokenized: false, endMarks: 1, lowerStarts: 0, evidence: 'ordinary casing and spacing' };

/** Sentence-final punctuation, in the scripts of the shipped languages (Arabic ؟, Greek ;, Devanagari ।, CJK 。？！). */
const END_MARK = /[.?!…。？！؟;;।]["'”’)\]»」』]*\s*$/u;
const CODE =
  /^\s*(?:def |class |import |from \S+ import |function |#include|public |package |SELECT |CREATE |<\?php|#!)|^(?: {2,}|\t)(?:return\b|for \S+ in\b|if .*:\s*$|while .*:\s*$|elif\b|else:|try:|except\b|with .*:\s*$|[a-z_][a-z0-9_]* = )/m;
const END_MARKS = /[.?!…。？！؟;;।]+\s*$/u;

/** Two sentences or more: an end mark followed by more text. */
const SENTENCES = /[.?!。？！؟।]["'”’)\]»」』]*\s+\S|[。？！]\S/u;
/** Where a text's sentences meet: the break goes there. */
const SENTENCE_GAP = /(?<=[.?!。？！؟।]["'”’)\]»」』]*)[ \t]+(?=\S)|(?<=[。？！])(?=\S)/gu;

const CLITIC = / (?:n't|'s|'re|'ve|'ll|'d|'m)(?= |$)/i;
const SPACED_PUNCT = /\S (?:[,.;:!?]|\)) ?|\( \S/;

export function inferTextStyle(texts: string[]): TextStyle {
  let cased = 0;
  let lower = 0;
  let tokenMarks = 0;
  let glued = 0;
  for (const t of texts.slice(0, 2000)) {
    if (/\p{Lu}|\p{Ll}/u.test(t)) {
      cased++;
      if (!/\p{Lu}/u.test(t)) lower++;
    }
    if (CLITIC.test(t) || SPACED_PUNCT.test(t)) tokenMarks++;
    if (/\w(?:n't|'s|'re)\b|\w[,;:!?](?: |$)/.test(t)) glued++;
  }
  const lowercase = cased >= 5 && lower / cased >= 0.95;
  const tokenized = texts.length >= 5 && tokenMarks / Math.min(texts.length, 2000) >= 0.3 && glued <= tokenMarks * 0.1;
  let worded = 0;
  let multi = 0;
  let lines = 0;
  let blank = 0;
  let ended = 0;
  let casedStarts = 0;
  let lowerStarts = 0;
  for (const t of texts.slice(0, 2000)) {
    // code (a HumanEval prompt) and JSON (a JSON-mode answer) have no sentence case, end marks or line style to follow
    if (!/\p{L}/u.test(t) || CODE.test(t) || /^\s*[{[][\s\S]*[}\]]\s*$/.test(t)) continue;
    worded++;
    if (SENTENCES.test(t.trim())) {
      multi++;
      if (t.trim().includes('\n')) {
        lines++;
        if (/\n[ \t]*\n/.test(t)) blank++;
      }
    }
    // a last line without letters (GSM8K's `#### 72`) is a wrapper, not the sentence that ends the text
    if (END_MARK.test(t.replace(/\n[^\p{L}\n]*$/u, ''))) ended++;
    const first = /\p{L}/u.exec(t)![0];
    if (first.toLowerCase() !== first.toUpperCase()) {
      casedStarts++;
      if (first === first.toLowerCase()) lowerStarts++;
    }
  }
  const endMarks = worded >= 5 ? round3(ended / worded) : 1;
  const breaks = multi >= 5 && lines / multi >= 0.1 ? { share: round3(lines / multi), separator: blank * 2 >= lines ? '\n\n' : '\n' } : undefined;
  const lowerShare = casedStarts >= 5 ? round3(lowerStarts / casedStarts) : 0;
  const parts = [
    lowercase ? `${lower} of ${cased} texts have no capital letter` : '',
    tokenized ? `${tokenMarks} texts split clitics or punctuation with spaces` : '',
    endMarks < 0.9 ? `${ended} of ${worded} texts end with sentence punctuation` : '',
    !lowercase && lowerShare > 0.1 ? `${lowerStarts} of ${casedStarts} texts start with a lower-case letter` : '',
    breaks ? `${lines} of ${multi} texts of several sentences are written over several lines` : '',
  ].filter(Boolean);
  if (!parts.length) return PLAIN;
  return { lowercase, tokenized, endMarks, lowerStarts: lowerShare, ...(breaks ? { breaks } : {}), evidence: parts.join('; ') };
}

/**
 * Languages whose lower case differs from the default mapping (Unicode SpecialCasing's language-
 * sensitive rules: Lithuanian, Turkish, Azeri); every other language lower-cases alike, and the
 * locale-aware call costs several times more.
 */
const LOCALE_CASED = new Set(['lt', 'tr', 'az']);

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** A number in [0, 1) fixed by the text (FNV-1a): which texts keep their end mark is stable and seed-free. */
function draw(text: string, salt: string): number {
  let h = 0x811c9dc5;
  for (const s of [salt, text]) for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h / 2 ** 32;
}

/**
 * Writes a text in a style: lower case (in the language's rules), PTB-like spacing, and, in the
 * data's shares, a first letter in lower case and the end mark left off.
 */
export function applyTextStyle(text: string, style: TextStyle, lang = 'en'): string {
  let out = text;
  if (!style.lowercase && (style.lowerStarts ?? 0) > 0 && draw(text, 'start') < (style.lowerStarts ?? 0)) {
    // the first letter, unless it starts a word written in capitals (an acronym, "I")
    const m = /\p{L}/u.exec(out);
    if (m && !/^\p{Lu}(?:\p{Lu}|\b)/u.test(out.slice(m.index))) out = out.slice(0, m.index) + m[0].toLocaleLowerCase(lang) + out.slice(m.index + 1);
  }
  if ((style.endMarks ?? 1) < 1 && END_MARK.test(out) && draw(text, 'end') >= (style.endMarks ?? 1)) out = out.replace(END_MARKS, '');
  // over several lines, in the data's share and with its break, where the text has several sentences
  if (style.breaks && !out.includes('\n') && draw(text, 'breaks') < style.breaks.share) out = out.replace(SENTENCE_GAP, style.breaks.separator);
  if (style.lowercase) out = LOCALE_CASED.has(lang) ? out.toLocaleLowerCase(lang) : out.toLowerCase();
  if (style.tokenized) {
    out = out
      .replace(/(\w)(n't)\b/gi, '$1 $2')
      .replace(/(\w)('s|'re|'ve|'ll|'d|'m)\b/gi, '$1 $2')
      .replace(/([^\s])([,.;:!?)])(?=\s|$)/g, '$1 $2')
      .replace(/\(([^\s])/g, '( $1')
      .replace(/ {2,}/g, ' ');
  }
  return out;
}
