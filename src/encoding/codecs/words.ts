// Word-level codecs: pig latin, a word codebook (each word replaced by a fixed code word) and
// per-letter symbols (emoji or other signs standing for letters). Pure string functions.
import { isLetter, isUpper } from '../text-scan.js';

const VOWELS = 'aeiou';

/** Maps every ASCII letter run of a text through `f`, keeping everything else. */
function mapWords(text: string, f: (word: string) => string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (!isLetter(text.charCodeAt(i))) {
      out += text[i];
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && isLetter(text.charCodeAt(j))) j++;
    out += f(text.slice(i, j));
    i = j;
  }
  return out;
}

function withCase(source: string, word: string): string {
  if (source.length > 1 && source === source.toUpperCase()) return word.toUpperCase();
  return isUpper(source.charCodeAt(0)) ? word[0]!.toUpperCase() + word.slice(1) : word;
}

/** Pig latin: the leading consonants (with `qu`) move to the end and `ay` follows; a vowel-initial word gets `way`, `yay` or `ay`. */
export function pigLatinEncode(text: string, vowelSuffix: 'way' | 'yay' | 'ay' = 'way'): string {
  return mapWords(text, (word) => {
    const w = word.toLowerCase();
    if (VOWELS.includes(w[0]!)) return withCase(word, w + vowelSuffix);
    let k = 0;
    while (k < w.length && !VOWELS.includes(w[k]!) && !(k > 0 && w[k] === 'y')) {
      if (w[k] === 'q' && w[k + 1] === 'u') k++;
      k++;
    }
    if (k >= w.length) return withCase(word, w + 'ay');
    return withCase(word, w.slice(k) + w.slice(0, k) + 'ay');
  });
}

/**
 * Undoes pig latin word by word. The split is ambiguous (`ingstray` could be `string` or `gstrin`),
 * so every reading is tried and the first that `isWord` accepts wins, else the shortest cluster.
 */
export function pigLatinDecode(text: string, isWord: (w: string) => boolean, vowelSuffix: 'way' | 'yay' | 'ay' = 'way'): string {
  return mapWords(text, (word) => {
    const w = word.toLowerCase();
    if (w.length < 3 || !w.endsWith('ay')) return word;
    const candidates: string[] = [];
    if (w.endsWith(vowelSuffix) && VOWELS.includes(w[0]!)) candidates.push(w.slice(0, -vowelSuffix.length));
    const stem = w.slice(0, -2);
    for (let k = 1; k <= Math.min(5, stem.length - 1); k++) {
      const cluster = stem.slice(stem.length - k);
      // consonants only, or consonants then `qu` (square → aresquay)
      const core = cluster.endsWith('qu') ? cluster.slice(0, -2) : cluster;
      if ([...core].some((c) => VOWELS.includes(c))) {
        if (!cluster.endsWith('u')) break;
        continue;
      }
      candidates.push(cluster + stem.slice(0, stem.length - k));
    }
    if (stem.length > 0 && !candidates.includes(stem)) candidates.push(stem);
    const pick = candidates.find(isWord) ?? candidates[0] ?? w;
    return withCase(word, pick);
  });
}

/** Each word (ASCII letters, case folded) replaced by its code word; words the codebook lacks stay. */
export function codebookEncode(text: string, codebook: Record<string, string>): string {
  return mapWords(text, (word) => {
    const code = codebook[word.toLowerCase()];
    return code === undefined ? word : withCase(word, code);
  });
}

export function codebookDecode(text: string, codebook: Record<string, string>): string {
  const inverse: Record<string, string> = {};
  for (const [plain, code] of Object.entries(codebook)) inverse[code.toLowerCase()] = plain;
  return codebookEncode(text, inverse);
}

/** Each letter (case folded) written as its symbol; other characters pass through. */
export function symbolEncode(text: string, symbols: readonly string[]): string {
  let out = '';
  for (const ch of text) {
    const k = ch.toLowerCase().charCodeAt(0) - 97;
    out += ch.length === 1 && k >= 0 && k < 26 ? symbols[k]! : ch;
  }
  return out;
}

/** Undoes symbolEncode (longest symbol first; a variation selector after a symbol is ignored). */
export function symbolDecode(text: string, symbols: readonly string[]): string {
  const order = symbols.map((s, k) => ({ s: s.replace(/\uFE0F/g, ''), k })).sort((a, b) => b.s.length - a.s.length);
  const clean = text.replace(/\uFE0F/g, '');
  let out = '';
  let i = 0;
  while (i < clean.length) {
    const hit = order.find(({ s }) => s.length > 0 && clean.startsWith(s, i));
    if (hit) {
      out += String.fromCharCode(97 + hit.k);
      i += hit.s.length;
    } else {
      out += clean[i];
      i++;
    }
  }
  return out;
}
