// How a dataset writes its text, beyond structure: all lower case, and PTB-style tokenization
// (`it 's`, `does n't`, spaced punctuation), read off a slot's texts so safety records can be
// written the same way. Detection and the transform are pure.

export interface TextStyle {
  /** No upper-case letter in (almost) any text that has cased letters. */
  lowercase: boolean;
  /** Penn-Treebank-like tokens: clitics and punctuation split off by spaces. */
  tokenized: boolean;
  evidence: string;
}

const PLAIN: TextStyle = { lowercase: false, tokenized: false, evidence: 'ordinary casing and spacing' };

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
  if (!lowercase && !tokenized) return PLAIN;
  const parts = [lowercase ? `${lower} of ${cased} texts have no capital letter` : '', tokenized ? `${tokenMarks} texts split clitics or punctuation with spaces` : ''].filter(Boolean);
  return { lowercase, tokenized, evidence: parts.join('; ') };
}

/**
 * Languages whose lower case differs from the default mapping (Unicode SpecialCasing's language-
 * sensitive rules: Lithuanian, Turkish, Azeri); every other language lower-cases alike, and the
 * locale-aware call costs several times more.
 */
const LOCALE_CASED = new Set(['lt', 'tr', 'az']);

/** Writes a text in a style: lower case (in the language's rules), then PTB-like spacing. */
export function applyTextStyle(text: string, style: TextStyle, lang = 'en'): string {
  let out = text;
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

