// Substitutions without word boundaries: the letters of a text enciphered one for one and written
// with the spaces and marks left out (`qzmxwkdv…`). A long run of letters of one case that keeps a
// language's index of coincidence (one key per letter keeps it) and that no segmentation into words
// reads is such a candidate; the dataset's key, recovered from all candidates together, is the proof.
import type { Detection } from './types.js';
import { indexOfCoincidence } from './english-stats.js';
import { segmentedReads } from './reading.js';
import { excerpt, type Segment } from './text-scan.js';

/** A run of letters this long with no space is no word of any language. */
const MIN_RUN = 60;

/** Runs of 60+ letters of one case: a cipher without word boundaries, unless they read as words already. */
export function findSpacelessLetters(text: string): (Detection & { ranges: Segment[] }) | undefined {
  const runs: Segment[] = [];
  // maximal runs of one case (what /[a-z]{60,}|[A-Z]{60,}/g matches), by a scan of char codes
  const n = text.length;
  for (let i = 0; i < n;) {
    const c = text.charCodeAt(i);
    const lower = c >= 97 && c <= 122;
    if (!lower && !(c >= 65 && c <= 90)) {
      i++;
      continue;
    }
    const at = i;
    const lo = lower ? 97 : 65;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (d < lo || d > lo + 25) break;
      i++;
    }
    if (i - at < MIN_RUN) continue;
    // part of a longer token (digits, marks, other letters glued on) is an identifier or encoded bytes
    const before = at > 0 ? text[at - 1]! : ' ';
    const after = text[i] ?? ' ';
    if (/[\p{L}\p{N}_+/=-]/u.test(before) || /[\p{L}\p{N}_+/=-]/u.test(after)) continue;
    runs.push({ start: at, end: i });
  }
  if (runs.length === 0) return undefined;
  const letters = runs.map((r) => text.slice(r.start, r.end).toLowerCase());
  const joined = letters.join('');
  const distinct = new Set(joined).size;
  const ioc = indexOfCoincidence(joined);
  // a language's letters (English about 0.066; flat random letters 0.038; a small alphabet far above)
  if (joined.length < MIN_RUN || distinct < 12 || ioc < 0.05 || ioc > 0.09 || segmentedReads(joined)) return undefined;
  return {
    family: 'substitution',
    score: 0.7,
    evidence: `${joined.length} letters with no space between words that no segmentation reads as words, index of coincidence ${ioc.toFixed(3)} (a language's, as one key per letter keeps it)`,
    excerpt: excerpt(letters[0]!),
    cipherText: letters.join('\n'),
    proven: false,
    scheme: { layout: 'no-spaces' },
    ranges: runs,
  };
}
