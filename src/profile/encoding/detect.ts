// Runs every recognizer over one text: invisible characters first, then encoded runs (masked out
// afterwards), letter ciphers over the remaining prose, and line-position messages.
import type { Detection, EncodingFamily } from './types.js';
import { findInvisible } from './recognize-invisible.js';
import { findBase64, findBinary, findHex, findMorse, findSeparatedRuns, maskRanges, type RunDetection } from './recognize-runs.js';
import { findProseCipher } from './recognize-prose.js';
import { findAcrostic, findLastWord } from './recognize-lines.js';
import { englishWordRate } from './english-stats.js';
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
  const runs = findSeparatedRuns(text);
  if (runs.length === 0) return undefined;
  const joined = runs.map((r) => r.joined).join('\n');
  const separator = runs[0]!.separator;
  const chars = runs.reduce((a, r) => a + (r.end - r.start + 1) / 2, 0);
  const under = findProseCipher(joined);
  let underneath: string;
  let decoded: string | undefined;
  let cipherText: string | undefined;
  if (under?.family === 'substitution') {
    underneath = 'a substitution cipher';
    cipherText = joined;
  } else if (under) {
    underneath = under.family === 'caesar' ? `a Caesar shift of ${under.shift}` : under.family;
    decoded = under.decoded;
  } else if (englishWordRate(joined) >= 0.5) {
    underneath = 'plain English';
    decoded = joined;
  } else {
    underneath = 'letters that do not read as English';
    cipherText = joined;
  }
  return {
    family: 'substitution-separated',
    score: Math.min(0.99, 0.8 + chars / 1000),
    evidence: `${Math.round(chars)} characters each followed by "${separator}"; underneath, ${underneath}`,
    excerpt: excerpt(text.slice(runs[0]!.start, runs[0]!.end)),
    decoded,
    separator,
    cipherText,
    shift: under?.shift,
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

  const runs: RunDetection[] = [...findBase64(text), ...findHex(text), ...findBinary(text), ...findMorse(text)];
  const separated = separatedDetection(text);
  const masked = maskRanges(text, [...runs, ...(separated?.ranges ?? [])]);
  for (const r of runs) found.push(fromRun(r));
  if (separated) found.push(separated);

  const prose = findProseCipher(masked);
  if (prose) found.push(prose);
  for (const line of [findLastWord(masked), findAcrostic(masked)]) {
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
