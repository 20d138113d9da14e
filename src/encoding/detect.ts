// Runs every recognizer over one text: invisible characters first, then encoded runs (masked out
// afterwards), letter ciphers over the remaining prose, and line-position messages.
import type { Detection, EncodingFamily } from './types.js';
import { findInvisible } from './recognize-invisible.js';
import { findBase64, findBinary, findHex, findMorse, findSeparatedRuns, maskRanges, type RunDetection } from './recognize-runs.js';
import { findWordOrderReversal } from './recognize-word-order.js';
import { findProseCipher } from './recognize-prose.js';
import { findAcrostic, findFirstWord, findLastWord, findSentenceAcrostic } from './recognize-lines.js';
import { findDoubling, findLetterNumbers, findPigLatin, findSeparatedWords } from './recognize-more.js';
import { englishWordRate } from './english-stats.js';
import { readsNatural } from './language-model.js';
import { segmentedReads } from './reading.js';
import { findTransposition } from './recognize-transposition.js';
import { findLetterWords } from './recognize-letter-words.js';
import { findSpacelessLetters } from './recognize-spaceless.js';
import { findBase32, findBase85, findHomoglyphs, findPercentEncoded, findRot47, findStyled } from './recognize-glyphs.js';
import { excerpt, type Segment } from './text-scan.js';

/** A detection with the stretches of the text it covers (empty for invisible characters). */
export interface TextDetection extends Detection {
  ranges: Segment[];
}

export interface TextAnalysis {
  text: string;
  /** The text with encoded runs replaced by spaces (offsets unchanged). */
  masked: string;
  /** At most one detection per family, strongest first. */
  detections: TextDetection[];
}

/** Texts longer than this are analysed on their first part only (bounded cost per record). */
const MAX_CHARS = 200_000;

function separatedDetection(text: string): TextDetection | undefined {
  let runs: { start: number; end: number; separator: string; joined: string }[] = findSeparatedRuns(text);
  let inWords = false;
  if (runs.length === 0) {
    const words = findSeparatedWords(text);
    if (!words) return undefined;
    runs = [{ start: words.ranges[0]!.start, end: words.ranges[0]!.end, separator: words.separator, joined: words.joined }];
    inWords = true;
  }
  const joined = runs.map((r) => r.joined).join('\n');
  const separator = runs[0]!.separator;
  const chars = runs.reduce((a, r) => a + (r.end - r.start + 1) / 2, 0);
  const spaceless = !/\s/.test(joined.trim());
  const under = spaceless ? undefined : findProseCipher(joined);
  let underneath: string;
  let decoded: string | undefined;
  let cipherText: string | undefined;
  let proven = false;
  if (under?.family === 'substitution') {
    underneath = 'a substitution cipher';
    cipherText = joined;
  } else if (under) {
    underneath = under.family === 'caesar' ? `a Caesar shift of ${under.shift}` : under.family;
    decoded = under.decoded;
    proven = under.proven === true;
  } else if (spaceless ? segmentedReads(joined) : englishWordRate(joined) >= 0.5 || readsNatural(joined)) {
    underneath = spaceless ? 'plain words without spaces' : 'plain language';
    decoded = joined;
    proven = true;
  } else {
    underneath = spaceless ? 'letters without spaces that do not read as words' : 'letters that do not read as language';
    cipherText = joined;
  }
  return {
    family: 'substitution-separated',
    score: Math.min(0.99, 0.8 + chars / 1000),
    evidence: `${Math.round(chars)} characters each followed by "${separator}"${inWords ? ' inside words (spaces kept)' : ''}; underneath, ${underneath}`,
    excerpt: excerpt(text.slice(runs[0]!.start, runs[0]!.end)),
    decoded,
    separator,
    cipherText,
    shift: under?.shift,
    proven,
    ...(inWords ? { scheme: { layout: 'in-words' as const } } : spaceless ? { scheme: { layout: 'no-spaces' as const } } : {}),
    ranges: runs.map((r) => ({ start: r.start, end: r.end })),
  };
}

function fromRun(d: RunDetection): TextDetection {
  const { start, end, ...rest } = d;
  return { ...rest, ranges: [{ start, end }] };
}

function blockRange(masked: string, block: string): Segment[] {
  const at = masked.indexOf(block);
  return at >= 0 ? [{ start: at, end: at + block.length }] : [];
}

/** All detections for one text. */
export function analyzeText(input: string): TextAnalysis {
  const text = input.length > MAX_CHARS ? input.slice(0, MAX_CHARS) : input;
  const found: TextDetection[] = [];
  const invisible = findInvisible(text);
  if (invisible) found.push({ ...invisible, ranges: [] });

  const styled = findStyled(text);
  if (styled) {
    const { start, end, ...rest } = styled;
    found.push({ ...rest, ranges: [{ start, end }] });
  }
  const homoglyphs = findHomoglyphs(text);
  if (homoglyphs) found.push({ ...homoglyphs, ranges: [] });
  const runs: RunDetection[] = [
    ...findBase64(text),
    ...findBase32(text),
    ...findBase85(text),
    ...findPercentEncoded(text),
    ...findHex(text),
    ...findBinary(text),
    ...findMorse(text),
  ];
  const numbers = findLetterNumbers(maskRanges(text, runs));
  const separated = separatedDetection(maskRanges(text, [...runs, ...numbers.flatMap((n) => n.ranges)]));
  let masked = maskRanges(text, [...runs, ...numbers.flatMap((n) => n.ranges), ...(separated?.ranges ?? [])]);
  for (const r of runs) found.push(fromRun(r));
  found.push(...numbers);
  if (separated) found.push(separated);
  if (styled) masked = maskRanges(masked, [styled]);
  const turned = findRot47(masked);
  if (turned) {
    found.push({ ...turned, ranges: [{ start: 0, end: masked.length }] });
    masked = ' '.repeat(masked.length);
  }
  const doubling = findDoubling(masked);
  if (doubling) {
    found.push(doubling);
    masked = maskRanges(masked, doubling.ranges);
  }
  const pig = findPigLatin(masked);
  if (pig) found.push(pig);
  const prose = pig ? undefined : findProseCipher(masked);
  if (prose) found.push(prose);
  // words of the language in the reverse order
  const turnedOrder = pig || prose ? undefined : findWordOrderReversal(masked);
  if (turnedOrder) found.push({ ...turnedOrder, ranges: [{ start: 0, end: masked.length }] });
  // letters enciphered with the word gaps left out
  const spaceless = pig || prose ? undefined : findSpacelessLetters(masked);
  if (spaceless) {
    found.push(spaceless);
    masked = maskRanges(masked, spaceless.ranges);
  }
  // letters English by count but in no word order: a transposition
  const transposed = pig || prose || found.length ? undefined : findTransposition(masked);
  if (transposed) found.push({ ...transposed, ranges: [{ start: 0, end: masked.length }] });
  // a word for each letter (the NATO alphabet, or a private list)
  const spelled = found.length ? undefined : findLetterWords(masked);
  if (spelled) found.push({ ...spelled, ranges: [{ start: 0, end: masked.length }] });
  for (const line of [findLastWord(masked), findFirstWord(masked), findAcrostic(masked), findSentenceAcrostic(masked)]) {
    if (!line) continue;
    const { block, ...rest } = line;
    found.push({ ...rest, ranges: blockRange(masked, block) });
  }

  const best = new Map<EncodingFamily, TextDetection>();
  for (const d of found) {
    const prev = best.get(d.family);
    if (!prev) {
      best.set(d.family, d);
      continue;
    }
    const strong = d.score > prev.score ? d : prev;
    const decoded = prev.decoded !== undefined && d.decoded !== undefined ? `${prev.decoded}\n${d.decoded}` : (strong.decoded ?? prev.decoded ?? d.decoded);
    best.set(d.family, { ...strong, decoded, ranges: [...prev.ranges, ...d.ranges] });
  }
  return { text, masked, detections: [...best.values()].sort((a, b) => b.score - a.score) };
}
