// Recognizers for messages carried by line positions: the last word of each line (EndSpeak) and
// the first letter of each line (acrostic), read one block (blank-line separated) at a time; and the
// first letter of each sentence (an acrostic in running prose).
import type { Detection } from './types.js';
import { englishWordRate, wordCoverage } from './english-stats.js';
import { blocksOf, excerpt, isLetter, isUpper } from './text-scan.js';
import { tokenShape } from './recognize-prose.js';

/** A line-position detection and the block that carries it. */
interface LineDetection extends Detection {
  block: string;
}

/** Words that need a continuation, so a line rarely ends on them unless it carries a message. */
const BINDING_WORDS: ReadonlySet<string> = new Set(
  'the a an to of and or in on at for with from by is are was were that this its their your my his our if as but than into nor whose which'.split(' '),
);

function blockLines(block: string): string[] {
  return block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** The letters of a token without leading and trailing non-letters, lower case. */
function lastTokenWord(token: string): string {
  let start = 0;
  let end = token.length;
  while (start < end && !isLetter(token.charCodeAt(start))) start++;
  while (end > start && !isLetter(token.charCodeAt(end - 1))) end--;
  return token.slice(start, end).toLowerCase();
}

/** A last token that is a plain word once edge punctuation is removed. */
function isCleanWord(token: string): boolean {
  const w = lastTokenWord(token);
  if (w.length === 0) return false;
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (!isLetter(c) && c !== 39 && c !== 0x2019 && c !== 45) return false;
  }
  let start = 0;
  while (start < token.length && !isLetter(token.charCodeAt(start))) start++;
  let end = token.length;
  while (end > start && !isLetter(token.charCodeAt(end - 1))) end--;
  for (const ch of token.slice(0, start) + token.slice(end)) if (!EDGE.includes(ch)) return false;
  return true;
}

const EDGE = '.,;:!?\'"()‘’“”';

/** A line of plain words that ends in a lone operator or formula (`... the garden wall =`): formulas do not end prose lines. */
function isOrphanOperator(tokens: string[]): boolean {
  if (tokens.length < 4) return false;
  const last = tokens[tokens.length - 1]!;
  let operator = false;
  for (const ch of last) {
    if ('*=/+#<>^'.includes(ch)) operator = true;
    else if (!((ch >= '0' && ch <= '9') || '.,$%()-'.includes(ch))) return false;
  }
  if (!operator) return false;
  for (let i = 0; i < tokens.length - 1; i++) if (!isCleanWord(tokens[i]!)) return false;
  return true;
}

interface LastWordStats {
  lines: number;
  tokensPerLine: number;
  /** Last tokens holding letters, and of those the plain words. */
  lettered: number;
  clean: number;
  distinct: number;
  /** Share of the plain last words taken by the most repeated one (units like "hours" repeat). */
  topShare: number;
  /** Share of plain last words that are binding words (the, of, to, …). */
  bindingShare: number;
  /** Lines that end on a binding word (a sentence or an item does not). */
  bindingLines: number;
  /** Lines of plain words ending in a lone operator or formula. */
  orphans: number;
  sentenceEndShare: number;
  upperStartShare: number;
  /** English-word rate of the last tokens read as a text. */
  englishRate: number;
  codeShare: number;
  /** Lines of nearly one length (hard-wrapped prose ends lines on whatever word reaches the margin). */
  wrapped: boolean;
  /** Of the message's binding words, the share followed by a content word (a sentence's are; a list of line ends' are not). */
  coherence: number;
  message: string;
}

/** Pronouns and other words that rarely follow "the", "of", "to" in a sentence. */
const FUNCTION_WORDS: ReadonlySet<string> = new Set([
  ...BINDING_WORDS,
  ...'i you he she it we they me him her us them there here these those what when where why how who then so also not no yes be been'.split(' '),
]);

/** Share of binding words followed by a content word, and how many binding words were followed at all. */
function messageCoherence(words: string[]): { coherence: number; followed: number } {
  let followed = 0;
  let good = 0;
  for (let i = 0; i + 1 < words.length; i++) {
    if (!BINDING_WORDS.has(words[i]!)) continue;
    followed++;
    if (!FUNCTION_WORDS.has(words[i + 1]!)) good++;
  }
  return { coherence: followed ? good / followed : 0, followed };
}

/** Most lines indented: code, or a docstring (a message's cover lines are not). */
function indented(block: string): boolean {
  const raw = block.split('\n').filter((l) => l.trim().length > 0);
  return raw.filter((l) => l.startsWith(' ') || l.startsWith('\t')).length >= raw.length * 0.5;
}

/**
 * Hard wrapping (greedy, at the longest line's width, 40+ characters): for most lines the next
 * line's first word would not have fitted at its end.
 */
function isWrapped(lines: string[]): boolean {
  if (lines.length < 4) return false;
  const width = Math.max(...lines.map((l) => l.length));
  if (width < 40) return false;
  let full = 0;
  for (let i = 0; i + 1 < lines.length; i++) {
    const next = lines[i + 1]!.split(/\s+/)[0]!.length;
    if (lines[i]!.length + 1 + next > width) full++;
  }
  return full >= (lines.length - 1) * 0.8;
}

function maxValue(counts: Map<string, number>): number {
  let max = 0;
  for (const v of counts.values()) if (v > max) max = v;
  return max;
}

/** The measures findLastWord decides on, for one block of lines. */
function lastWordStats(block: string): LastWordStats {
  const lines = blockLines(block);
  const lastTokens: string[] = [];
  let tokenTotal = 0;
  let sentenceEnds = 0;
  let upperStarts = 0;
  let binding = 0;
  let clean = 0;
  let lettered = 0;
  let orphans = 0;
  const counts = new Map<string, number>();
  for (const line of lines) {
    const tokens = line.split(/\s+/);
    tokenTotal += tokens.length;
    const last = tokens[tokens.length - 1]!;
    lastTokens.push(last);
    const end = line.charCodeAt(line.length - 1);
    if (end === 46 || end === 33 || end === 63 || end === 58 || end === 59 || end === 44 || end === 41 || end === 123 || end === 125) sentenceEnds++;
    if (isUpper(line.charCodeAt(0))) upperStarts++;
    if (lastTokenWord(last).length === 0) {
      if (isOrphanOperator(tokens)) orphans++;
      continue;
    }
    lettered++;
    if (!isCleanWord(last)) continue;
    clean++;
    const w = lastTokenWord(last);
    counts.set(w, (counts.get(w) ?? 0) + 1);
    if (BINDING_WORDS.has(w)) binding++;
  }
  const n = Math.max(1, lines.length);
  const message = lastTokens.join(' ');
  const shape = tokenShape(block);
  const words = lastTokens.map(lastTokenWord).filter((w) => w.length > 0);
  return {
    lines: lines.length,
    tokensPerLine: tokenTotal / n,
    lettered,
    clean,
    distinct: counts.size,
    topShare: clean ? maxValue(counts) / clean : 0,
    bindingShare: clean ? binding / clean : 0,
    bindingLines: binding,
    orphans,
    sentenceEndShare: sentenceEnds / n,
    upperStartShare: upperStarts / n,
    englishRate: englishWordRate(message),
    codeShare: shape.code / Math.max(1, shape.code + shape.words),
    wrapped: isWrapped(lines),
    coherence: messageCoherence(words).coherence,
    message,
  };
}

/**
 * EndSpeak: 8+ lines of 3+ words whose last words (numbers and formulas aside) are plain words reading
 * as English prose (binding words such as "the", "of", "to" among them, each mostly followed by a
 * content word as in a sentence, or lone operators ending lines of words, and not a few words
 * repeated), in lines that are not hard-wrapped prose (whose line ends are whatever word reached the
 * margin) and not code. The case and punctuation of the cover lines do not matter.
 */
function isLastWordMessage(s: LastWordStats): boolean {
  return (
    s.lines >= 8 &&
    s.tokensPerLine >= 3 &&
    s.lettered >= 5 &&
    s.lettered >= 0.8 * s.lines &&
    s.clean / s.lettered >= 0.75 &&
    s.distinct >= Math.max(5, Math.min(0.3 * s.clean, 15)) &&
    s.topShare <= 0.35 &&
    !s.wrapped &&
    ((s.bindingLines >= 2 && s.bindingShare >= 0.15 && s.englishRate >= 0.6 && s.coherence >= 0.6) || (s.orphans >= 2 && s.englishRate >= 0.5)) &&
    s.codeShare < 0.1
  );
}

/**
 * First-word steganography: 8+ lines of 3+ words whose first words read as a sentence: English words,
 * binding words among them but not most of them (lines of prose and verse open with "The", "And",
 * "But"), each binding word mostly followed by a content word, few repeats, not code.
 */
export function findFirstWord(text: string): LineDetection | undefined {
  let best: LineDetection | undefined;
  for (const block of blocksOf(text)) {
    const lines = blockLines(block);
    if (lines.length < 8 || isWrapped(lines) || indented(block)) continue;
    const words: string[] = [];
    let tokens = 0;
    let clean = 0;
    for (const line of lines) {
      const parts = line.split(/\s+/);
      tokens += parts.length;
      if (isCleanWord(parts[0]!)) {
        clean++;
        words.push(lastTokenWord(parts[0]!));
      }
    }
    if (tokens / lines.length < 3 || clean / lines.length < 0.9 || words.length < 8) continue;
    const counts = new Map<string, number>();
    let binding = 0;
    for (const w of words) {
      counts.set(w, (counts.get(w) ?? 0) + 1);
      if (BINDING_WORDS.has(w)) binding++;
    }
    const message = words.join(' ');
    const english = englishWordRate(message);
    const bindingShare = binding / words.length;
    const { coherence, followed } = messageCoherence(words);
    const shape = tokenShape(block);
    if (
      english < 0.6 ||
      bindingShare < 0.1 ||
      bindingShare > 0.55 ||
      followed < 2 ||
      coherence < 0.6 ||
      maxValue(counts) / words.length > 0.25 ||
      counts.size < 0.5 * words.length ||
      shape.code / Math.max(1, shape.code + shape.words) >= 0.1
    )
      continue;
    const score = Math.min(0.95, 0.5 + bindingShare + Math.min(lines.length, 30) / 100);
    if (!best || score > best.score)
      best = {
        family: 'first-word',
        score,
        evidence: `the first words of ${lines.length} lines could carry a sentence (${Math.round(bindingShare * 100)}% words like "the", "of", "to", ${Math.round(coherence * 100)}% of them followed by a content word; ${Math.round(english * 100)}% English): "${excerpt(message, 60)}"`,
        excerpt: excerpt(block),
        decoded: message,
        block,
      };
  }
  return best;
}

export function findLastWord(text: string): LineDetection | undefined {
  let best: LineDetection | undefined;
  for (const block of blocksOf(text)) {
    if (blockLines(block).length < 8 || indented(block)) continue;
    const s = lastWordStats(block);
    if (!isLastWordMessage(s)) continue;
    const score = Math.min(0.97, 0.5 + s.bindingShare + Math.min(s.lines, 30) / 100);
    if (!best || score > best.score) {
      best = {
        family: 'last-word',
        score,
        evidence: `the last words of ${s.lines} lines could carry a sentence (${Math.round(s.bindingShare * 100)}% words like "the", "of", "to"; ${Math.round(s.englishRate * 100)}% English${s.orphans ? `; ${s.orphans} lines of words end in a lone operator or formula` : ''}): "${excerpt(s.message, 60)}"`,
        excerpt: excerpt(block),
        decoded: s.message,
        block,
      };
    }
  }
  return best;
}

/** Whether the initials of a text's lines or sentences split into English words well enough to be a message. */
function spellsWords(initials: string): number | undefined {
  if (initials.length < 10) return undefined;
  const coverage = wordCoverage(initials);
  // Short strings split into words by chance more easily (natural line initials reach about 0.55).
  return coverage >= (initials.length >= 30 ? 0.62 : 0.8) ? coverage : undefined;
}

/** The score of an acrostic of `letters` initials covered this well by English words. */
function acrosticScore(coverage: number, letters: number): number {
  return Math.min(0.97, 0.4 + coverage * 0.4 + Math.min(letters, 40) / 200);
}

/**
 * Acrostic in running prose: the first letters of 10+ sentences (a sentence opens the text, or
 * follows `.`, `!` or `?` and white space, and opens with a capital) split into English words.
 */
export function findSentenceAcrostic(text: string): LineDetection | undefined {
  let initials = '';
  let sentences = 0;
  let opening = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (opening && isLetter(c)) {
      opening = false;
      if (!isUpper(c)) continue;
      initials += String.fromCharCode(c | 32);
      sentences++;
    } else if ((c === 46 || c === 33 || c === 63) && /\s/.test(text[i + 1] ?? '')) opening = true;
  }
  if (sentences < 10) return undefined;
  const coverage = spellsWords(initials);
  if (coverage === undefined) return undefined;
  return {
    family: 'acrostic',
    score: acrosticScore(coverage, initials.length),
    evidence: `the first letters of ${sentences} sentences spell "${excerpt(initials, 60)}" (${Math.round(coverage * 100)}% of letters in English words)`,
    excerpt: excerpt(text),
    decoded: initials,
    block: text,
  };
}

/** Acrostic: the first letters of 10+ lines split into English words. */
export function findAcrostic(text: string): LineDetection | undefined {
  let best: LineDetection | undefined;
  for (const block of blocksOf(text)) {
    const lines = blockLines(block);
    if (lines.length < 10) continue;
    let initials = '';
    for (const line of lines) {
      for (let i = 0; i < line.length; i++) {
        const c = line.charCodeAt(i);
        if (isLetter(c)) {
          initials += String.fromCharCode(c | 32);
          break;
        }
      }
    }
    const coverage = spellsWords(initials);
    if (coverage !== undefined) {
      const score = acrosticScore(coverage, initials.length);
      if (!best || score > best.score) {
        best = {
          family: 'acrostic',
          score,
          evidence: `the first letters of ${lines.length} lines spell "${excerpt(initials, 60)}" (${Math.round(coverage * 100)}% of letters in English words)`,
          excerpt: excerpt(block),
          decoded: initials,
          block,
        };
      }
    }
  }
  return best;
}
