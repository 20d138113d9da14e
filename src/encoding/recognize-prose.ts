// Recognizers for letter ciphers over prose: reversal, Caesar/ROT shifts, Atbash, leetspeak and
// general substitution. Works on the sentences whose words are not English, so plaintext next to
// ciphertext in one record does not hide it.
import type { Detection } from './types.js';
import { englishWordRate, englishWordsReach, indexOfCoincidence, isEnglishWord, letterShape, vowelRatio, wordStats } from './english-stats.js';
import { LEET_DECODE, leetDecode, reverseText, reverseWords, substitute, unsubstitute } from './codecs/letters.js';
import { decodingReads, readsAsNoLanguage, REVERSAL_MARGIN } from './reading.js';
import { naturalness, readsNatural } from './language-model.js';
import { findVigenere } from './recognize-more.js';
import { ATBASH_KEY, caesarKey } from './codecs/keys.js';
import { countWords, excerpt, isDigit, isLetter, isLower, isSpace, isUpper, segmentsOf, wordTokens, type Segment } from './text-scan.js';

interface ProseDetection extends Detection {
  /** The sentences that carry it. */
  ranges: Segment[];
}

/** Sentences whose English-word rate is below this are treated as possibly encoded. */
const SUSPECT_RATE = 0.4;
/** Words considered per text when trying shifts (enough for a verdict, bounded cost). */
const MAX_WORDS = 400;

interface SuspectText {
  text: string;
  ranges: Segment[];
  letters: number;
  words: number;
}

/** The sentences of a text that do not read as English, joined by newlines. */
export function suspectSentences(text: string): SuspectText {
  const parts: string[] = [];
  const ranges: Segment[] = [];
  let letters = 0;
  let words = 0;
  for (const seg of segmentsOf(text)) {
    const slice = text.slice(seg.start, seg.end);
    // English sentences (most) are told by their first words; only the others are measured in full
    const count = countWords(slice);
    if (count >= 1 ? englishWordsReach(slice, (english) => english / count >= SUSPECT_RATE) : countLeetish(slice) < 4) continue;
    const ws = wordStats(slice);
    parts.push(slice);
    ranges.push(seg);
    letters += ws.letters;
    words += ws.words;
  }
  return { text: parts.join('\n'), ranges, letters, words };
}

/** Letters directly followed by a digit (h3llo): leetspeak sentences can have no plain word at all. */
function countLeetish(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isLetter(c) && i + 1 < text.length && isDigit(text.charCodeAt(i + 1))) n++;
  }
  return n;
}

function transformedRate(words: string[], transform: (w: string) => string): number {
  if (words.length === 0) return 0;
  let hits = 0;
  for (const w of words) if (isEnglishWord(transform(w))) hits++;
  return hits / words.length;
}

function reverseWord(w: string): string {
  let out = '';
  for (let i = w.length - 1; i >= 0; i--) out += w[i];
  return out;
}

/**
 * Whitespace tokens with letters: plain words (edge punctuation allowed) versus code-like tokens
 * (brackets, `=`, `_`, `<`, `/`, `;` inside, a dot between letters, camelCase, letters next to digits).
 */
export function tokenShape(text: string): { words: number; code: number; quoted: number } {
  let words = 0;
  let code = 0;
  let quoted = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    let start = i;
    while (i < n && !isSpace(text.charCodeAt(i))) i++;
    let end = i;
    if (isQuotedLiteral(text, start, end)) quoted++;
    while (start < end && isEdgePunctuation(text.charCodeAt(start))) start++;
    while (end > start && isEdgePunctuation(text.charCodeAt(end - 1))) end--;
    if (end <= start) continue;
    let letters = 0;
    let codeish = false;
    for (let k = start; k < end; k++) {
      const c = text.charCodeAt(k);
      if (isLetter(c)) {
        letters++;
        const next = k + 1 < end ? text.charCodeAt(k + 1) : -1;
        const after = k + 2 < end ? text.charCodeAt(k + 2) : -1;
        if (isDigit(next) || (isLower(c) && isUpper(next) && isLower(after))) codeish = true;
      } else if (CODE_CHARS.includes(text[k]!)) codeish = true;
      else if (c === 46 && k + 1 < end && isLetter(text.charCodeAt(k + 1)) && k > start && isLetter(text.charCodeAt(k - 1))) codeish = true;
      else if (isDigit(c) && k + 1 < end && isLetter(text.charCodeAt(k + 1))) codeish = true;
    }
    if (letters === 0) continue;
    if (codeish) code++;
    else words++;
  }
  return { words, code, quoted };
}

function isQuote(c: number): boolean {
  return c === 39 || c === 34;
}

/** `'xxx',` or `["a",` or `'b'])`: a token that is a quoted literal in a list, as in code and data. */
function isQuotedLiteral(text: string, start: number, end: number): boolean {
  let a = start;
  while (a < end && (text.charCodeAt(a) === 91 || text.charCodeAt(a) === 40 || text.charCodeAt(a) === 123)) a++;
  let b = end;
  while (
    b > a &&
    (text.charCodeAt(b - 1) === 44 ||
      text.charCodeAt(b - 1) === 93 ||
      text.charCodeAt(b - 1) === 41 ||
      text.charCodeAt(b - 1) === 125 ||
      text.charCodeAt(b - 1) === 58)
  )
    b--;
  return b - a >= 2 && isQuote(text.charCodeAt(a)) && text.charCodeAt(b - 1) === text.charCodeAt(a) && (b < end || a > start);
}

const CODE_CHARS = '()[]{}=<>_/\\;^|*&#@$`';

function isEdgePunctuation(c: number): boolean {
  // . , ; : ! ? ' " ( ) [ ] and curly quotes
  return (
    c === 46 ||
    c === 44 ||
    c === 59 ||
    c === 58 ||
    c === 33 ||
    c === 63 ||
    c === 39 ||
    c === 34 ||
    c === 40 ||
    c === 41 ||
    c === 91 ||
    c === 93 ||
    c === 0x2019 ||
    c === 0x2018 ||
    c === 0x201c ||
    c === 0x201d
  );
}

/** Tokens of letters, digits, `@`, `$`; hits are tokens that are English only once leet digits are read as letters (1 as i or l). */
function leetTokens(text: string): { hits: number; tokens: number } {
  let hits = 0;
  let tokens = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!(isLetter(c) || isDigit(c) || c === 64 || c === 36)) {
      i++;
      continue;
    }
    let j = i;
    let letters = 0;
    let leet = 0;
    let plain = '';
    let asI = '';
    let asL = '';
    while (j < n) {
      const d = text.charCodeAt(j);
      if (isLetter(d)) {
        letters++;
        const ch = String.fromCharCode(d | 32);
        plain += ch;
        asI += ch;
        asL += ch;
      } else if (isDigit(d) || d === 64 || d === 36) {
        const mapped = LEET_DECODE[text[j]!];
        if (mapped) leet++;
        asI += mapped ?? text[j];
        asL += d === 49 ? 'l' : (mapped ?? text[j]);
      } else break;
      j++;
    }
    // a markup tag's name (`<h3>`, `</h1>`: h3 reads "he") is no word of the text
    const tag = i > 0 && (text.charCodeAt(i - 1) === 60 || (text.charCodeAt(i - 1) === 47 && i > 1 && text.charCodeAt(i - 2) === 60));
    if (letters > 0 && j - i >= 2 && !tag) {
      tokens++;
      if (leet > 0 && !isEnglishWord(plain) && (isEnglishWord(asI) || isEnglishWord(asL))) hits++;
    }
    i = j;
  }
  return { hits, tokens };
}

/** The best letter-cipher reading of a text's non-English sentences, if any. */
export function findProseCipher(text: string): ProseDetection | undefined {
  const suspect = suspectSentences(text);
  if (suspect.ranges.length === 0) return undefined;
  const u = suspect.text;
  const ranges = suspect.ranges;
  // runs of 12+ letters on average are identifiers or encoded bytes, not words of prose
  if (suspect.words > 0 && suspect.letters / suspect.words > 12) return undefined;
  // A text that already reads as natural language (in any language) is no cipher.
  // too little text for any reading but leetspeak (whose own test follows)
  const short = suspect.letters < 20 || suspect.words < 4;
  if (short && !/[0-9@$]/.test(u)) return undefined;
  // (reversed English still reads somewhat like language, so reversal alone is tried on such text)
  const natural = !short && readsNatural(u);

  // Leetspeak: digits and symbols standing for letters inside words.
  if (natural) return findReversal(u, ranges);
  const leet = leetTokens(u);
  if (leet.hits >= 3 && leet.hits / Math.max(1, leet.tokens) >= 0.25) {
    const decoded = leetDecode(u, isEnglishWord);
    const rate = englishWordRate(decoded);
    if ((rate >= 0.5 || (rate >= 0.4 && leet.hits >= 4 && leet.hits / leet.tokens >= 0.3)) && decodingReads(u, decoded, undefined, 8).ok) {
      return {
        family: 'leetspeak',
        score: Math.min(0.98, 0.6 + rate * 0.3 + Math.min(leet.hits, 20) / 100),
        evidence: `${leet.hits} of ${leet.tokens} words use digits or symbols for letters; decoded, ${pct(rate)} are English words`,
        excerpt: excerpt(u),
        decoded,
        proven: true,
        ranges,
      };
    }
  }

  if (suspect.letters < 20 || suspect.words < 4) return undefined;
  // identifiers, code and encoded bytes (letters glued to digits and symbols) are no letter cipher of prose
  const shape0 = tokenShape(u);
  if (shape0.code >= 0.3 * Math.max(1, shape0.code + shape0.words)) return undefined;
  const distinct = new Set<string>();
  for (const t of wordTokens(u)) {
    if (t.stemLength >= 2) distinct.add(t.word);
    if (distinct.size >= MAX_WORDS) break;
  }
  const words = [...distinct];
  if (words.length < 5) return undefined;
  // `xxx`, `zzzz`: one letter repeated is neither English nor a substitution of it (test data, padding).
  if (words.filter((w) => w.length >= 3 && singleLetter(w)).length >= Math.max(2, words.length * 0.1)) return undefined;
  const rawRate = transformedRate(words, (w) => w);
  if (rawRate > 0.3) return undefined;

  // Keyless letter ciphers: a transform that turns most distinct words into English ones.
  const decodings: { family: 'reversed' | 'atbash' | 'caesar'; rate: number; shift?: number; label: string }[] = [];
  decodings.push({ family: 'reversed', rate: transformedRate(words, reverseWord), label: 'when reversed' });
  decodings.push({ family: 'atbash', rate: transformedRate(words, (w) => substitute(w, ATBASH_KEY)), label: 'after Atbash (a↔z)' });
  for (let shift = 1; shift < 26; shift++) {
    const back = caesarKey(26 - shift);
    decodings.push({ family: 'caesar', shift, rate: transformedRate(words, (w) => substitute(w, back)), label: `after shifting back ${shift} (ROT${shift})` });
  }
  decodings.sort((a, b) => b.rate - a.rate);
  const top = decodings[0]!;
  const runnerUp = decodings[1]!;
  // Most words English after one transform, or (names and rare words keep the rate down) far more
  // than after any other transform; a random substitution key gives every transform a few percent.
  const clear = top.rate >= 0.5 || (top.rate >= 0.3 && top.rate * words.length >= 4 && top.rate >= 3 * Math.max(rawRate, runnerUp.rate, 0.04));
  let variant: 'text' | 'words' | undefined;
  let decoded = '';
  if (clear) {
    if (top.family === 'reversed') {
      const text = reverseText(u);
      const words = reverseWords(u);
      const byText = naturalness(text).bits;
      const byWords = naturalness(words).bits;
      variant = byWords > byText ? 'words' : 'text';
      decoded = variant === 'words' ? words : text;
    } else decoded = top.family === 'atbash' ? substitute(u, ATBASH_KEY) : unsubstitute(u, caesarKey(top.shift!));
  }
  if (clear && decodingReads(u, decoded, undefined, 16, top.family === 'reversed' ? REVERSAL_MARGIN : undefined).ok) {
    return {
      family: top.family,
      score: Math.min(0.98, 0.55 + top.rate * 0.4),
      evidence: `${pct(rawRate)} of ${words.length} distinct words are English as written, ${pct(top.rate)} ${top.label}`,
      excerpt: excerpt(u),
      decoded,
      shift: top.shift,
      cipherText: u,
      proven: true,
      ...(variant ? { scheme: { family: 'reversed' as const, variant } } : {}),
      ranges,
    };
  }

  const vigenere = findVigenere(u);
  if (vigenere) return { ...vigenere, ranges };

  // General substitution: English-shaped text (word lengths, punctuation, letter repetition) whose
  // words are not English and whose letter sequences English would not write.
  if (suspect.letters < 25 || rawRate > 0.2 || !readsAsNoLanguage(u)) return undefined;
  const tokens = tokenShape(u);
  const tokenCount = Math.max(1, tokens.code + tokens.words);
  if (tokens.code / tokenCount >= 0.2 || tokens.quoted / tokenCount >= 0.25) return undefined;
  const stats = wordStats(u);
  const shape = letterShape(u);
  const acronymShare = acronyms(u) / Math.max(1, stats.words);
  const ioc = indexOfCoincidence(u);
  const iocOk = (suspect.letters < 150 || ioc >= 0.05) && (suspect.letters < 60 || ioc <= 0.12);
  if (shape.meanLogProb <= -3.3 && shape.rareBigramShare >= 0.2 && acronymShare <= 0.3 && iocOk) {
    const strength = Math.min(1, (-3.3 - shape.meanLogProb) / 0.8 + 0.3) * Math.min(1, suspect.letters / 120);
    return {
      family: 'substitution',
      score: Math.min(0.97, 0.5 + 0.45 * strength),
      evidence: `${suspect.letters} letters in ${stats.words} words: ${pct(stats.englishRate)} English words, ${pct(shape.rareBigramShare)} of letter pairs rare in English (mean bigram log-probability ${shape.meanLogProb.toFixed(2)}), index of coincidence ${ioc.toFixed(3)}, vowels ${pct(vowelRatio(u))} of letters (English about 38%)`,
      excerpt: excerpt(u),
      cipherText: u,
      proven: false,
      ranges,
    };
  }
  return undefined;
}

/** Text that reads as language already can still be reversed English: reversed words that are English, and a clearly better reading. */
function findReversal(u: string, ranges: Segment[]): ProseDetection | undefined {
  const words = [
    ...new Set(
      wordTokens(u)
        .filter((t) => t.stemLength >= 2)
        .map((t) => t.word),
    ),
  ].slice(0, MAX_WORDS);
  if (words.length < 5) return undefined;
  const raw = transformedRate(words, (w) => w);
  const reversed = transformedRate(words, reverseWord);
  if (reversed < 0.5 || reversed < raw + 0.3) return undefined;
  const text = reverseText(u);
  const byWords = reverseWords(u);
  const variant = naturalness(byWords).bits > naturalness(text).bits ? 'words' : 'text';
  const decoded = variant === 'words' ? byWords : text;
  if (!decodingReads(u, decoded, undefined, 16, REVERSAL_MARGIN).ok) return undefined;
  return {
    family: 'reversed',
    score: Math.min(0.98, 0.55 + reversed * 0.4),
    evidence: `${pct(raw)} of ${words.length} distinct words are English as written, ${pct(reversed)} when reversed`,
    excerpt: excerpt(u),
    decoded,
    cipherText: u,
    proven: true,
    scheme: { family: 'reversed', variant },
    ranges,
  };
}

/** Words of two or more letters written all in capitals (AAAI, ICML, GSK). */
function acronyms(text: string): number {
  let n = 0;
  for (const t of wordTokens(text)) {
    if (t.end - t.start < 2) continue;
    let upper = true;
    for (let i = t.start; i < t.end && upper; i++) if (isLower(text.charCodeAt(i))) upper = false;
    if (upper) n++;
  }
  return n;
}

function singleLetter(w: string): boolean {
  for (let i = 1; i < w.length; i++) if (w[i] !== w[0]) return false;
  return true;
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}
