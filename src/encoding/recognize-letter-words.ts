// Letter→word alphabets: each letter written as a word that stands for it (the NATO alphabet's
// "hotel echo lima lima oscar", or any private list of words), the plain text's word breaks marked by
// a separator or left out. Such a text uses a small vocabulary, each word always for the same letter;
// read by their first letters, the words spell text that reads as English.
import type { Detection } from './types.js';
import { englishWordRate } from './english-stats.js';
import { segmentedReads } from './reading.js';
import { readsNatural } from './language-model.js';
import { excerpt } from './text-scan.js';

/** Word breaks of the plain text: a slash, a bar, a full stop or two spaces between code words. */
const BREAK = /\s*[/|]\s*|\s{2,}|\s*[.;]\s+/;

/**
 * A text of at least 12 words from a vocabulary of at most 40, each word seen again (at most half of
 * the words distinct) and each starting with its own letter, whose first letters spell varied words
 * that read as English: with the breaks as word breaks, or segmented into words where there are none.
 */
export function findLetterWords(text: string): Detection | undefined {
  // the words, lower-cased, counted as they come: past 40 distinct the text is no such alphabet
  // and once five words share their first letter with another, no vocabulary of 40 has one per letter
  const lower: string[] = [];
  const distinct = new Set<string>();
  const initials = new Set<string>();
  let sharedInitials = 0;
  const re = /\p{L}+/gu;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const w = m[0].toLowerCase();
    lower.push(w);
    if (distinct.has(w)) continue;
    distinct.add(w);
    if (distinct.size > 40) return undefined;
    if (initials.has(w[0]!)) {
      if (++sharedInitials >= 5) return undefined;
    } else initials.add(w[0]!);
  }
  if (lower.length < 12) return undefined;
  if (distinct.size > 0.5 * lower.length || distinct.size < 5) return undefined;
  // every code word stands for one letter, its first: one word per letter
  if (initials.size < 0.9 * distinct.size) return undefined;
  const groups = text
    .split(BREAK)
    .map((g) => (g.match(/\p{L}+/gu) ?? []).map((w) => w[0]!.toLowerCase()).join(''))
    .filter(Boolean);
  const spelled = groups.join(' ');
  // the words spelled are many and varied, not one short word again and again
  if (groups.length >= 3 && (new Set(groups).size < Math.max(3, 0.4 * groups.length) || spelled.length < 3 * groups.length)) return undefined;
  // and the letters do not repeat one pattern (a run of the same few words spells `lidslidslids`)
  const letters = spelled.replace(/\s+/g, '');
  const trigrams = new Set<string>();
  for (let i = 0; i + 3 <= letters.length; i++) trigrams.add(letters.slice(i, i + 3));
  if (trigrams.size < 0.3 * Math.max(1, letters.length - 2)) return undefined;
  // with breaks, English words that also read as English by their letters (`rn n on xxxxfon can in`,
  // a program's words taken by their initials, has three English words and reads as none)
  const reads = groups.length >= 3 ? englishWordRate(spelled) >= 0.6 && readsNatural(spelled, ['eng']) : segmentedReads(spelled.replace(/\s+/g, ''));
  if (!reads) return undefined;
  return {
    family: 'letter-word',
    score: 0.92,
    evidence: `${lower.length} words from a vocabulary of ${distinct.size}, each standing for its first letter; read so they spell English ("${excerpt(spelled, 60)}")`,
    excerpt: excerpt(text),
    decoded: spelled,
    proven: true,
  };
}
