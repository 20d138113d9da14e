// Plaintext next to its own encoding in one record (Phase I of covert fine-tuning): sentences with
// the same letter pattern but different letters (a substitution of each other), or a decoded
// stretch whose letters reappear, chunk by chunk, in the record's plain text.
import type { Detection, EncodingFamily } from './types.js';
import type { TextAnalysis, TextDetection } from './detect.js';
import { englishWordRate, letterShape } from './english-stats.js';
import { readsNatural } from './language-model.js';
import { joinSeparatedCharacters, leetEncode, unsubstitute } from './codecs/letters.js';
import { ATBASH_KEY, caesarKey } from './codecs/keys.js';
import { countLetters, excerpt, forEachLetterRun, isLetter, isRegexSpace, isSpace, lettersOnly, segmentsOf, wordNumber } from './text-scan.js';

interface PairDetection {
  /** The text holding the encoded side. */
  textIndex: number;
  detection: Detection;
  /** The encoded family the pair belongs to. */
  encodedFamily: EncodingFamily;
  /** Aligned plaintext/ciphertext sentences (substitution-like pairs only). */
  letterPairs: { plain: string; encoded: string }[];
  /** Aligned plain/code words (word-level substitution pairs only). */
  wordPairs?: { plain: string; code: string }[];
}

const MIN_LETTERS = 12;

/**
 * Letter pattern of a sentence: each letter becomes the order of its first appearance (case
 * folded), other characters stay, whitespace runs become one space. Any substitution keeps it.
 */
function letterPattern(text: string): { pattern: string; letters: string; distinct: number } {
  const first = new Array<number>(26).fill(-1);
  let distinct = 0;
  let pattern = '';
  let letters = '';
  let space = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isLetter(c)) {
      const k = (c | 32) - 97;
      if (first[k] === -1) first[k] = distinct++;
      pattern += String.fromCharCode(65 + first[k]!);
      letters += String.fromCharCode(c | 32);
      space = false;
    } else if (isSpace(c)) {
      if (!space && pattern.length > 0) pattern += ' ';
      space = true;
    } else {
      pattern += text[i];
      space = false;
    }
  }
  return { pattern: pattern.trimEnd(), letters, distinct };
}

/**
 * A 32-bit hash (FNV-1a over UTF-16 units) of the sentence's letterPattern, made without building
 * it: sentences with equal patterns have equal hashes. Undefined when the sentence has too few
 * letters (MIN_LETTERS) or distinct letters (six) to be paired by its pattern.
 */
function letterPatternHash(text: string): number | undefined {
  const first = new Int8Array(26).fill(-1);
  let distinct = 0;
  let letters = 0;
  let hash = 0x811c9dc5;
  let started = false;
  let space = false;
  // whitespace units of the pattern not yet hashed: the pattern's trailing ones are trimmed away
  const pending: number[] = [];
  let pendingCount = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let unit: number;
    if (isLetter(c)) {
      const k = (c | 32) - 97;
      if (first[k] === -1) first[k] = distinct++;
      unit = 65 + first[k]!;
      letters++;
    } else if (isSpace(c)) {
      if (!space && started) pending[pendingCount++] = 32;
      space = true;
      continue;
    } else if (isRegexSpace(c)) {
      // white space isSpace leaves out stays in the pattern, but String.prototype.trimEnd trims it
      pending[pendingCount++] = c;
      space = false;
      started = true;
      continue;
    } else unit = c;
    for (let k = 0; k < pendingCount; k++) hash = Math.imul(hash ^ pending[k]!, 0x01000193);
    pendingCount = 0;
    hash = Math.imul(hash ^ unit, 0x01000193);
    space = false;
    started = true;
  }
  return letters < MIN_LETTERS || distinct < 6 ? undefined : hash >>> 0;
}

/** Share of positions where two equal-length letter strings differ (a cipher changes most letters). */
function differingShare(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) d++;
  return a.length ? d / a.length : 0;
}

interface PatternEntry {
  textIndex: number;
  sentence: string;
  letters: string;
  /** englishWordRate of the sentence, computed once another sentence shares its pattern. */
  rate?: number;
}

function sentencesOf(text: string): string[] {
  return segmentsOf(text).map((s) => text.slice(s.start, s.end).trim());
}

/** Letters under a letter cipher in a text: the substitution-like detections' stretches. */
function encodedLetters(a: TextAnalysis): number {
  let n = 0;
  for (const d of a.detections) {
    if (!LETTER_CIPHERS.has(d.family)) continue;
    for (const r of d.ranges) n += countLetters(a.text.slice(r.start, r.end));
  }
  return n;
}

/** A text with every encoded stretch found in it blanked: what it says in plain. */
function plainPart(a: TextAnalysis): string {
  return blank(
    a.masked,
    a.detections.flatMap((d) => d.ranges),
  );
}

function blank(text: string, ranges: { start: number; end: number }[]): string {
  if (ranges.length === 0) return text;
  const chars = text.split('');
  for (const r of ranges) for (let i = r.start; i < r.end && i < chars.length; i++) chars[i] = ' ';
  return chars.join('');
}

const LETTER_CIPHERS: ReadonlySet<EncodingFamily> = new Set<EncodingFamily>(['substitution', 'substitution-separated', 'caesar', 'atbash']);

/** Families whose detections carry a keyless decoding to compare with the record's plain text. */
const DECODABLE: ReadonlySet<EncodingFamily> = new Set<EncodingFamily>([
  'caesar',
  'atbash',
  'base64',
  'hex',
  'binary',
  'morse',
  'leetspeak',
  'reversed',
  'invisible',
  'last-word',
  'first-word',
  'substitution-separated',
  'vigenere',
  'pig-latin',
  'letter-number',
  'doubling',
]);

/** Characters whose lower case holds an ASCII letter (İ → i̇, the Kelvin sign → k): such texts take the slow path. */
const LOWERS_TO_ASCII = /[\u0130\u212a]/;

/** Lower-case words (ASCII letter runs, as in the text lower-cased) of a text. */
function wordsOf(text: string): string[] {
  if (LOWERS_TO_ASCII.test(text)) return text.toLowerCase().match(/[a-z]+/g) ?? [];
  const out: string[] = [];
  forEachLetterRun(text, (start, end, upper) => {
    const word = text.slice(start, end);
    out.push(upper ? word.toLowerCase() : word);
  });
  return out;
}

/** Word pattern: each word as the order of its first appearance; and the number of distinct words. */
function wordPattern(words: string[]): { pattern: string; distinct: number } {
  const ids = new Map<string, number>();
  let pattern = '';
  for (let k = 0; k < words.length; k++) {
    let id = ids.get(words[k]!);
    if (id === undefined) {
      id = ids.size;
      ids.set(words[k]!, id);
    }
    pattern += k ? ` ${id}` : `${id}`;
  }
  return { pattern, distinct: ids.size };
}

export const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  'the of and to a in is it you that he was for on are with as i his they be at this have from or by not but what all were we when your can there an which she do how their if will'.split(
    ' ',
  ),
);

/** The longest function word (a longer word is none), and the function words as wordNumbers. */
const LONGEST_FUNCTION_WORD = Math.max(...[...FUNCTION_WORDS].map((w) => w.length));
const FUNCTION_WORD_NUMBERS: ReadonlySet<number> = new Set([...FUNCTION_WORDS].map((w) => wordNumber(w, 0, w.length)));

/** functionShare from wordCounts. */
function shareOf(counts: { words: number; functionWords: number }): number {
  return counts.words ? counts.functionWords / counts.words : 0;
}

/** How many words wordsOf finds in a text, and how many of them are function words, without making the words. */
function wordCounts(text: string): { words: number; functionWords: number } {
  if (LOWERS_TO_ASCII.test(text)) {
    const words = wordsOf(text);
    let functionWords = 0;
    for (const w of words) if (FUNCTION_WORDS.has(w)) functionWords++;
    return { words: words.length, functionWords };
  }
  let words = 0;
  let functionWords = 0;
  forEachLetterRun(text, (start, end) => {
    words++;
    if (isFunctionWord(text, start, end)) functionWords++;
  });
  return { words, functionWords };
}

/** text[start..end) is a function word, and no letter of a code glued to a digit (the "a" of `U0001222A`, `292A`). */
function isFunctionWord(text: string, start: number, end: number): boolean {
  if (end - start > LONGEST_FUNCTION_WORD || !FUNCTION_WORD_NUMBERS.has(wordNumber(text, start, end))) return false;
  const digit = (i: number) => {
    const c = text.charCodeAt(i);
    return c >= 48 && c <= 57;
  };
  return !((start > 0 && digit(start - 1)) || (end < text.length && digit(end)));
}

/** How many different English function words a text holds (isFunctionWord). */
function distinctFunctionWords(text: string): number {
  const seen = new Set<number>();
  forEachLetterRun(text, (start, end) => {
    if (isFunctionWord(text, start, end)) seen.add(wordNumber(text, start, end));
  });
  return seen.size;
}

/** Share of words that are English function words (the, of, and, …). */
export function functionShare(words: string[]): number {
  if (words.length === 0) return 0;
  let n = 0;
  for (const w of words) if (FUNCTION_WORDS.has(w)) n++;
  return n / words.length;
}

/** A whole text or one of its sentences, as words, with its share of function words. */
interface WordUnit {
  textIndex: number;
  words: string[];
  text: string;
  share: number;
}

/** Word-for-word pairs: two stretches with the same word pattern whose words mostly differ, one of them reading as plain language. */
function findWordPairs(analyses: TextAnalysis[], sentences: string[][]): PairDetection[] {
  const out: PairDetection[] = [];
  if (analyses.length + analyses.reduce((n, a) => n + (a.masked.includes('\n') ? 1 : 0), 0) < 2) return out;
  // a text's words are its sentences' words (sentences end at marks and line breaks, never inside a word)
  const sentenceCounts = sentences.map((list) => list.map(wordCounts));
  const textCounts = sentenceCounts.map((list) => {
    const sum = { words: 0, functionWords: 0 };
    for (const c of list) {
      sum.words += c.words;
      sum.functionWords += c.functionWords;
    }
    return sum;
  });
  // a coded side has (almost) no function words of its own: without such a text there is no pair
  if (!textCounts.some((c) => shareOf(c) <= 0.1)) return out;
  // the units (whole texts, then their sentences) long enough to count. A pair needs a plain side
  // (function words 20%+) and a coded one (10% or fewer) of one length: a length without both has
  // no pair, and its units' words and patterns are not even made (their words only counted)
  const counted: { textIndex: number; text: string; count: number; share: number }[] = [];
  const lengths = new Map<number, { plain: boolean; coded: boolean }>();
  const unit = (textIndex: number, text: string, counts: { words: number; functionWords: number }) => {
    const count = counts.words;
    if (count < 6) return;
    const share = shareOf(counts);
    counted.push({ textIndex, text, count, share });
    const sides = lengths.get(count);
    if (sides) {
      sides.plain ||= share >= 0.2;
      sides.coded ||= share <= 0.1;
    } else lengths.set(count, { plain: share >= 0.2, coded: share <= 0.1 });
  };
  analyses.forEach((a, i) => {
    unit(i, a.masked, textCounts[i]!);
    sentences[i]!.forEach((u, k) => unit(i, u, sentenceCounts[i]![k]!));
  });
  // the units that may pair, by word pattern (its length first); the pattern's ids also count the
  // unit's distinct words
  const byPattern = new Map<string, WordUnit[]>();
  for (const c of counted) {
    const sides = lengths.get(c.count)!;
    if (!sides.plain || !sides.coded) continue;
    const e: WordUnit = { textIndex: c.textIndex, words: wordsOf(c.text), text: c.text, share: c.share };
    const { pattern, distinct } = wordPattern(e.words);
    // a pattern of all-different words matches any sentence of that length: it needs repeats, or length
    if (distinct < 4 || e.words.length - distinct < 2) continue;
    const key = `${e.words.length}:${pattern}`;
    const list = byPattern.get(key);
    if (list) list.push(e);
    else byPattern.set(key, [e]);
  }
  const seen = new Set<string>();
  for (const list of byPattern.values()) {
    if (list.length < 2) continue;
    for (let x = 0; x < list.length; x++)
      for (let y = x + 1; y < list.length; y++) {
        const a = list[x]!;
        const b = list[y]!;
        let differ = 0;
        for (let k = 0; k < a.words.length; k++) if (a.words[k] !== b.words[k]) differ++;
        if (differ / a.words.length < 0.6) continue;
        // a letter substitution keeps the letter pattern: that is a letter pair, not a word pair
        if (letterPattern(a.text).pattern === letterPattern(b.text).pattern) continue;
        const fa = a.share;
        const fb = b.share;
        const [plain, coded] = fa > fb ? [a, b] : [b, a];
        // the plain side is a sentence (function words), the coded side has none of its own
        if (Math.max(fa, fb) < 0.2 || Math.min(fa, fb) > 0.1 || englishWordRate(plain.text) < 0.5) continue;
        // the plain side is a sentence (two function words or more, and it reads as language), not a
        // list of names (`key <AC01> { [ a, A, aring, Aring ] };`)
        if (distinctFunctionWords(plain.text) < 2 || !readsNatural(plain.text)) continue;
        const key = `${coded.textIndex}:${coded.words.join(' ')}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const wordPairs = plain.words.map((w, k) => ({ plain: w, code: coded.words[k]! }));
        out.push({
          textIndex: coded.textIndex,
          encodedFamily: 'word-substitution',
          letterPairs: [],
          wordPairs,
          detection: {
            family: 'plain-encoded-pair',
            score: 0.9,
            evidence: `${coded.words.length} words of text ${coded.textIndex} stand word for word for the words of text ${plain.textIndex} (same word pattern, ${Math.round((100 * differ) / a.words.length)}% of the words differ)`,
            excerpt: excerpt(coded.text),
            decoded: plain.text,
            proven: true,
          },
        });
      }
  }
  return out;
}

/** A run of letters without word gaps that is a letter substitution of letters in plain text: the offset where the two map one to one. */
function spacelessMatch(encoded: string, plain: string): string | undefined {
  const m = encoded.length;
  if (m < MIN_LETTERS || plain.length < m) return undefined;
  const e = [...encoded].map((c) => c.charCodeAt(0) - 97);
  const p = [...plain].map((c) => c.charCodeAt(0) - 97);
  const fwd = new Int8Array(26);
  const back = new Int8Array(26);
  for (let o = 0; o + m <= p.length; o++) {
    fwd.fill(-1);
    back.fill(-1);
    let ok = true;
    let same = 0;
    for (let i = 0; i < m && ok; i++) {
      const a = p[o + i]!;
      const b = e[i]!;
      if (a === b) same++;
      if (fwd[a] === -1 && back[b] === -1) {
        fwd[a] = b;
        back[b] = a;
      } else if (fwd[a] !== b || back[b] !== a) ok = false;
    }
    if (ok && same < m * 0.4) return plain.slice(o, o + m);
  }
  return undefined;
}

/** Pairs inside one record: analyses are the record's texts, in order. */
export function findPairs(analyses: TextAnalysis[]): PairDetection[] {
  const out: PairDetection[] = [];
  /** The letter cipher a text was read as (the pair's encoded family). */
  const letterFamilyOf = (i: number): EncodingFamily => analyses[i]!.detections.find((d) => LETTER_CIPHERS.has(d.family))?.family ?? 'substitution';

  // 1. Same letter pattern, different letters.
  const byPattern = new Map<string, PatternEntry>();
  const letterPairs = new Map<number, { plain: string; encoded: string }[]>();
  const pairedTexts = new Map<number, number>();
  const add = (textIndex: number, sentence: string): void => {
    const lp = letterPattern(sentence);
    if (lp.letters.length < MIN_LETTERS || lp.distinct < 6) return;
    const prev = byPattern.get(lp.pattern);
    if (!prev) {
      byPattern.set(lp.pattern, { textIndex, sentence, letters: lp.letters });
      return;
    }
    if (prev.letters === lp.letters || differingShare(prev.letters, lp.letters) < 0.6) return;
    const before = { textIndex: prev.textIndex, sentence: prev.sentence, rate: (prev.rate ??= englishWordRate(prev.sentence)) };
    const rate = englishWordRate(sentence);
    const [plain, encoded] = rate >= before.rate ? [{ sentence, rate, textIndex }, before] : [before, { sentence, rate, textIndex }];
    if (plain.rate < 0.25 || plain.rate <= encoded.rate || encoded.rate > 0.3) return;
    const list = letterPairs.get(encoded.textIndex) ?? [];
    list.push({ plain: plain.sentence, encoded: encoded.sentence });
    letterPairs.set(encoded.textIndex, list);
    pairedTexts.set(encoded.textIndex, plain.textIndex);
  };
  // each text's sentences, for the letter patterns here and the word patterns below
  const sentences = analyses.map((a) => sentencesOf(a.masked));
  const candidates: { textIndex: number; sentence: string; hash: number }[] = [];
  const hashCounts = new Map<number, number>();
  const candidate = (textIndex: number, sentence: string): void => {
    const hash = letterPatternHash(sentence);
    if (hash === undefined) return;
    candidates.push({ textIndex, sentence, hash });
    hashCounts.set(hash, (hashCounts.get(hash) ?? 0) + 1);
  };
  analyses.forEach((a, i) => {
    for (const s of sentences[i]!) candidate(i, s);
    const sep = a.detections.find((d) => d.family === 'substitution-separated');
    if (sep?.separator) {
      for (const r of sep.ranges) for (const s of sentencesOf(joinSeparatedCharacters(a.text.slice(r.start, r.end), sep.separator))) candidate(i, s);
    }
  });
  // a sentence whose pattern no other sentence shares pairs with none: only the others are compared
  for (const c of candidates) if (hashCounts.get(c.hash)! > 1) add(c.textIndex, c.sentence);
  // Separated runs without word gaps (Walnut53 with the spaces removed): letters against the record's plain letters.
  analyses.forEach((a, i) => {
    const sep = a.detections.find((d) => d.family === 'substitution-separated' && d.cipherText !== undefined && !/\s/.test(d.cipherText.trim()));
    if (!sep?.cipherText) return;
    const enc = lettersOnly(sep.cipherText);
    for (let j = 0; j < analyses.length; j++) {
      const plain = spacelessMatch(enc, lettersOnly(plainPart(analyses[j]!)));
      if (!plain) continue;
      const list = letterPairs.get(i) ?? [];
      list.push({ plain, encoded: enc });
      letterPairs.set(i, list);
      pairedTexts.set(i, j);
      break;
    }
  });
  // One key per record: a shift or Atbash seen in any pair relabels every text that reads better with it.
  const mapping = classifyMapping([...letterPairs.values()].flat());
  analyses.forEach((a, i) => relabel(a, mapping, letterPairs.has(i)));
  for (const [textIndex, pairs] of letterPairs) {
    // A quoted sentence is not a pair: the matched sentences must be most of the text's encoded letters.
    const matched = pairs.reduce((a, p) => a + countLetters(p.encoded), 0);
    if (matched < 0.3 * encodedLetters(analyses[textIndex]!)) continue;
    const family = letterFamilyOf(textIndex);
    const plainIndex = pairedTexts.get(textIndex)!;
    out.push({
      textIndex,
      encodedFamily: family,
      letterPairs: pairs,
      detection: {
        family: 'plain-encoded-pair',
        score: Math.min(0.99, 0.85 + pairs.length / 50),
        evidence: `${pairs.length} sentence(s) of text ${textIndex} are a letter substitution of sentences in text ${plainIndex} (same letter pattern, different letters)`,
        excerpt: excerpt(pairs[0]!.encoded),
        decoded: pairs[0]!.plain,
        proven: true,
      },
    });
  }

  // 1b. Word for word (a word codebook).
  const wordPairs = findWordPairs(analyses, sentences);
  out.push(...wordPairs);

  // 2. Decoded stretches whose letters the record's plain text already holds.
  analyses.forEach((a, i) => {
    if (letterPairs.has(i) || wordPairs.some((p) => p.textIndex === i)) return;
    for (const d of a.detections) {
      if (!DECODABLE.has(d.family) || !d.decoded) continue;
      const match = matchDecoded(analyses, i, d);
      if (!match) continue;
      out.push({
        textIndex: i,
        encodedFamily: d.family,
        letterPairs: [],
        detection: {
          family: 'plain-encoded-pair',
          score: Math.min(0.99, 0.75 + match.share * 0.2),
          evidence: `the ${d.family} stretch of text ${i} decodes to text found in plain in text ${match.plainIndex} (${Math.round(match.share * 100)}% of ${match.chunks} 16-letter chunks)`,
          excerpt: d.excerpt,
          decoded: d.decoded,
          proven: true,
        },
      });
      break;
    }
  });
  // Acrostic: the decoded letters appear, letter for letter, in the plain text.
  analyses.forEach((a, i) => {
    if (out.some((p) => p.textIndex === i)) return;
    const d = a.detections.find((x) => x.family === 'acrostic');
    if (!d?.decoded || d.decoded.length < 12) return;
    for (let j = 0; j < analyses.length; j++) {
      const pool = lettersOnly(plainPart(analyses[j]!));
      if (pool.includes(d.decoded)) {
        out.push({
          textIndex: i,
          encodedFamily: 'acrostic',
          letterPairs: [],
          detection: {
            family: 'plain-encoded-pair',
            score: 0.9,
            evidence: `the acrostic of text ${i} spells letters found in plain in text ${j}`,
            excerpt: d.excerpt,
            decoded: d.decoded,
            proven: true,
          },
        });
        return;
      }
    }
  });
  return out;
}

/** Decoded text is compared in non-overlapping 16-letter chunks, so a few decoding slips cost a chunk, not the match. */
const CHUNK = 16;

/** At most this many chunks are looked up (evenly spaced), keeping long texts near-linear. */
const MAX_CHUNKS = 48;

function chunkMatch(decodedLetters: string, poolLetters: string): { share: number; chunks: number } {
  const chunks = Math.floor(decodedLetters.length / CHUNK);
  if (chunks === 0) return { share: 0, chunks };
  const step = Math.max(1, Math.ceil(chunks / MAX_CHUNKS));
  let found = 0;
  let tried = 0;
  for (let k = 0; k < chunks; k += step) {
    tried++;
    if (poolLetters.includes(decodedLetters.slice(k * CHUNK, (k + 1) * CHUNK))) found++;
  }
  return { share: found / tried, chunks };
}

/** The decoded stretch appears in plain (60%+ of its 16-letter chunks) in one of the record's texts. */
function matchDecoded(analyses: TextAnalysis[], textIndex: number, d: TextDetection): { plainIndex: number; share: number; chunks: number } | undefined {
  // Leetspeak is compared in the encoded domain (plain text leet-encoded), where digits cannot be mistaken for letters.
  const leet = d.family === 'leetspeak';
  const canonical = leet ? (t: string) => leetCanonical(t) : lettersOnly;
  const decodedLetters = leet ? leetCanonical(d.ranges.map((r) => analyses[textIndex]!.masked.slice(r.start, r.end)).join(' ')) : lettersOnly(d.decoded!);
  if (decodedLetters.length < 2 * CHUNK) return undefined;
  let best: { plainIndex: number; share: number; chunks: number } | undefined;
  for (let j = 0; j < analyses.length; j++) {
    const source = plainPart(analyses[j]!);
    const m = chunkMatch(decodedLetters, canonical(source));
    if (m.share >= 0.6 && (!best || m.share > best.share)) best = { plainIndex: j, ...m };
  }
  return best;
}

/** Lower-case letters and digits of the leet-encoded text: leetspeak and its plaintext agree here. */
function leetCanonical(text: string): string {
  const encoded = leetEncode(text.toLowerCase());
  let out = '';
  for (let i = 0; i < encoded.length; i++) {
    const c = encoded.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) out += encoded[i];
  }
  return out;
}

type LetterMapping = { family: 'caesar'; shift: number } | { family: 'atbash' } | { family: 'substitution' };

/** What aligned plaintext/ciphertext sentences say about the cipher: a Caesar shift, Atbash, or another key. */
function classifyMapping(pairs: { plain: string; encoded: string }[]): LetterMapping {
  let shift = -1;
  let isShift = true;
  let isAtbash = true;
  let votes = 0;
  for (const { plain, encoded } of pairs) {
    const p = lettersOnly(plain);
    const e = lettersOnly(encoded);
    if (p.length !== e.length) continue;
    for (let k = 0; k < p.length; k++) {
      const a = p.charCodeAt(k) - 97;
      const b = e.charCodeAt(k) - 97;
      votes++;
      const s = (b - a + 26) % 26;
      if (shift < 0) shift = s;
      else if (s !== shift) isShift = false;
      if (b !== 25 - a) isAtbash = false;
    }
  }
  if (votes === 0) return { family: 'substitution' };
  if (isShift && shift > 0) return { family: 'caesar', shift };
  if (isAtbash) return { family: 'atbash' };
  return { family: 'substitution' };
}

/**
 * A text read as a general substitution is relabelled when the record's pairs show a Caesar shift or
 * Atbash: at once if the text holds such a pair itself, else if it reads better decoded that way.
 */
function relabel(analysis: TextAnalysis, mapping: LetterMapping, ownPair: boolean): void {
  if (mapping.family === 'substitution') return;
  const d = analysis.detections.find((x) => x.family === 'substitution');
  if (!d?.cipherText || analysis.detections.some((x) => x.family === mapping.family)) return;
  const decoded = unsubstitute(d.cipherText, mapping.family === 'caesar' ? caesarKey(mapping.shift) : ATBASH_KEY);
  // Decoded, the text must read better: more English words, or English-like letter pairs (names, units).
  if (!ownPair && englishWordRate(decoded) < englishWordRate(d.cipherText) + 0.15 && letterShape(decoded).meanLogProb < -3.0) return;
  d.family = mapping.family;
  d.decoded = decoded;
  if (mapping.family === 'caesar') {
    d.shift = mapping.shift;
    d.evidence = `${d.evidence}; its plaintext in the record shows a Caesar shift of ${mapping.shift}`;
  } else d.evidence = `${d.evidence}; its plaintext in the record shows Atbash (a↔z)`;
}
