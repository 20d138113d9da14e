// Whether decoded bytes read as text: valid UTF-8, no control characters, mostly letters, and words
// of English prose. Keeps hashes, UUIDs and base64-looking identifiers (which decode to noise) and
// encoded data such as JWT headers (which decode to JSON, not prose) unflagged.
import { wordStats } from './english-stats.js';

interface Readability {
  ok: boolean;
  letters: number;
}

function readableText(decoded: string, minLetters = 6): Readability {
  let total = 0;
  let letters = 0;
  let spaces = 0;
  let digits = 0;
  for (const ch of decoded) {
    const cp = ch.codePointAt(0)!;
    total++;
    if (cp === 0xfffd || (cp < 32 && cp !== 10 && cp !== 13 && cp !== 9) || (cp >= 0x7f && cp < 0xa0)) return { ok: false, letters };
    if ((cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122)) letters++;
    else if (cp === 32 || cp === 10) spaces++;
    else if (cp >= 48 && cp <= 57) digits++;
    else if (cp >= 0xc0 && /\p{L}/u.test(ch)) letters++;
  }
  // Random bytes almost never form valid UTF-8 free of control characters (24 random bytes all
  // printable: about 1 in 10^10), so a long decoding only needs some letters; a short one must be
  // mostly letters, digits and spaces.
  const long = total >= 24 && letters >= minLetters;
  const short = total >= 8 && letters >= minLetters && letters / total >= 0.25 && (letters + digits + spaces) / total >= 0.6 && (spaces > 0 || total <= 24);
  const ok = long || short;
  return { ok, letters };
}

/** Readable and prose: at least three words, 30% or more of them common English words. */
export function readableProse(decoded: string, minLetters = 6): Readability {
  const r = readableText(decoded, minLetters);
  if (!r.ok) return r;
  const ws = wordStats(decoded);
  return { ok: ws.words >= 3 && ws.englishRate >= 0.3, letters: r.letters };
}
