// Walnut53-style keys: a permutation of the 26 lower-case letters drawn with a seeded RNG
// (seedrandom, Fisher-Yates), as in the covert malicious fine-tuning attack's substitution cipher.
import seedrandom from 'seedrandom';

export const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

/** key[i] is the cipher letter for plain letter i. */
export function walnutKey(seed: number): string {
  const rng = seedrandom(String(seed));
  const letters = ALPHABET.split('');
  for (let i = letters.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [letters[i], letters[j]] = [letters[j]!, letters[i]!];
  }
  return letters.join('');
}

/** The inverse permutation: inverse[c] is the plain letter for cipher letter c. */
export function invertKey(key: string): string {
  const inverse = new Array<string>(26).fill('?');
  for (let i = 0; i < 26; i++) inverse[key.charCodeAt(i) - 97] = ALPHABET[i]!;
  return inverse.join('');
}

/** True for a string holding each of a..z exactly once. */
export function isPermutationKey(key: string): boolean {
  if (key.length !== 26) return false;
  const seen = new Set<number>();
  for (let i = 0; i < 26; i++) {
    const c = key.charCodeAt(i);
    if (c < 97 || c > 122 || seen.has(c)) return false;
    seen.add(c);
  }
  return true;
}

export function caesarKey(shift: number): string {
  const s = ((shift % 26) + 26) % 26;
  let out = '';
  for (let i = 0; i < 26; i++) out += String.fromCharCode(97 + ((i + s) % 26));
  return out;
}

export const ATBASH_KEY = 'zyxwvutsrqponmlkjihgfedcba';
