// The codecs mimic writes with, apart from the detector: encode and decode with a Scheme, one entry
// point per direction over every family's codec. plain-encoded-pair is a record shape, not a codec.
import type { InvisibleVariant, Scheme } from '../types.js';
import { base85Decode, base85Encode } from './base85.js';
import {
  base32Decode,
  base32Encode,
  fromHomoglyphs,
  percentDecode,
  percentEncodeAll,
  quotedPrintableAll,
  quotedPrintableDecode,
  rot47,
  styleLetters,
  toHomoglyphs,
  unstyleLetters,
} from './glyphs.js';
import {
  substitute,
  unsubstitute,
  separateCharacters,
  joinSeparatedCharacters,
  leetEncode,
  leetDecode,
  reverseText,
  reverseWordOrder,
  reverseWords,
  vigenereEncode,
  vigenereDecode,
  repeatCharacters,
  unrepeatCharacters,
} from './letters.js';
import {
  base64Decode,
  base64Encode,
  binaryDecode,
  binaryEncode,
  hexDecode,
  hexEncode,
  letterNumberDecode,
  letterNumberEncode,
  morseDecode,
  morseEncode,
} from './bytes.js';
import {
  acrosticDecode,
  acrosticEncode,
  firstWordDecode,
  firstWordEncode,
  invisibleDecode,
  invisibleEncode,
  lastWordDecode,
  lastWordEncode,
} from './hidden.js';
import { codebookDecode, codebookEncode, pigLatinDecode, pigLatinEncode, symbolDecode, symbolEncode } from './words.js';
import { ALPHABET, ATBASH_KEY, caesarKey, isPermutationKey } from './keys.js';
import { isEnglishWord } from '../english-stats.js';

export { walnutKey, caesarKey, ATBASH_KEY, ALPHABET, invertKey, isPermutationKey } from './keys.js';

function invisibleVariant(scheme: Scheme): InvisibleVariant | undefined {
  const v = scheme.variant;
  return v === 'tags' || v === 'zero-width' || v === 'variation-selectors' ? v : undefined;
}

function pigSuffix(scheme: Scheme): 'way' | 'yay' | 'ay' {
  return scheme.variant === 'yay' || scheme.variant === 'ay' ? scheme.variant : 'way';
}

function keywordOf(scheme: Scheme): string {
  if (!scheme.keyword || !/^[a-z]+$/i.test(scheme.keyword)) throw new RangeError('a vigenere scheme needs a keyword of letters');
  return scheme.keyword;
}

function symbolsOf(scheme: Scheme): string[] {
  if (!scheme.symbols || scheme.symbols.length !== 26) throw new RangeError('a symbol-substitution scheme needs 26 symbols');
  return scheme.symbols;
}

/** Whether mimic can write any text in this scheme (a word codebook knows only the words it saw). */
export function isWritable(scheme: Scheme): boolean {
  if (
    scheme.writable === false ||
    scheme.family === 'plain-encoded-pair' ||
    scheme.family === 'word-substitution' ||
    scheme.family === 'encoded-data' ||
    scheme.family === 'chained' ||
    scheme.family === 'transposition' ||
    scheme.family === 'letter-word'
  )
    return false;
  if ((scheme.family === 'substitution' || scheme.family === 'substitution-separated') && scheme.key === undefined) return false;
  if (scheme.family === 'vigenere' && !scheme.keyword) return false;
  if (scheme.family === 'symbol-substitution' && scheme.symbols?.length !== 26) return false;
  return true;
}

function keyOf(scheme: Scheme): string {
  if (scheme.key === undefined) return ALPHABET;
  if (!isPermutationKey(scheme.key)) throw new RangeError(`scheme key must be a permutation of a..z, got "${scheme.key}"`);
  return scheme.key;
}

export function encodeWithScheme(scheme: Scheme, text: string): string {
  const written = encodeOnce(scheme, text);
  // a chained encoding: enciphered, then reversed
  return scheme.reversed ? reverseText(written) : written;
}

function encodeOnce(scheme: Scheme, text: string): string {
  switch (scheme.family) {
    case 'substitution':
      // without word boundaries: the letters only, in lower case
      if (scheme.layout === 'no-spaces') return substitute(text.toLowerCase().replace(/[^a-z]/g, ''), keyOf(scheme));
      return substitute(text, keyOf(scheme));
    case 'substitution-separated': {
      const sep = scheme.separator ?? '|';
      const sub = substitute(text, keyOf(scheme));
      if (scheme.layout === 'in-words')
        return sub
          .split(/(\s+)/)
          .map((t) => (/\s/.test(t) ? t : separateCharacters(t, sep)))
          .join('');
      if (scheme.layout === 'no-spaces') return separateCharacters(sub.replace(/\s+/g, ''), sep);
      return separateCharacters(sub, sep);
    }
    case 'caesar':
      return substitute(text, caesarKey(scheme.shift ?? 13));
    case 'atbash':
      return substitute(text, ATBASH_KEY);
    case 'base64':
      return base64Encode(text);
    case 'hex':
      return hexEncode(text, scheme.separator ?? ' ');
    case 'binary':
      return binaryEncode(text, scheme.separator ?? ' ');
    case 'morse':
      return morseEncode(text);
    case 'leetspeak':
      return leetEncode(text);
    case 'reversed':
      return reversal(scheme.variant)(text);
    case 'invisible':
      return invisibleEncode(text, invisibleVariant(scheme) ?? 'tags');
    case 'last-word':
      return lastWordEncode(text);
    case 'first-word':
      return firstWordEncode(text);
    case 'acrostic':
      return acrosticEncode(text);
    case 'vigenere':
      return vigenereEncode(text, keywordOf(scheme));
    case 'word-substitution':
      return codebookEncode(text, scheme.codebook ?? {});
    case 'pig-latin':
      return pigLatinEncode(text, pigSuffix(scheme));
    case 'letter-number':
      return letterNumberEncode(text, scheme.offset ?? 1, scheme.separator ?? '-', scheme.wordSeparator ?? ' ');
    case 'symbol-substitution':
      return symbolEncode(text, symbolsOf(scheme));
    case 'doubling':
      return repeatCharacters(text, scheme.repeat ?? 2, scheme.repeatKinds);
    case 'plain-encoded-pair':
      throw new RangeError('plain-encoded-pair is a record shape (plaintext next to its encoding), not a codec');
    case 'encoded-data':
      throw new RangeError('encoded-data is content in a standard container (MIME, a Secret), not a covert scheme');
    case 'styled':
      return styleLetters(text, scheme.style ?? 'math-bold');
    case 'homoglyph':
      return toHomoglyphs(text);
    case 'rot47':
      return rot47(text);
    case 'base32':
      return base32Encode(text);
    case 'base85': {
      const run = base85Encode(text, scheme.variant === 'rfc1924' ? 'rfc1924' : 'ascii85');
      return scheme.framed ? `<~${run}~>` : run;
    }
    case 'percent-encoding':
      return scheme.variant === 'quoted-printable' ? quotedPrintableAll(text) : percentEncodeAll(text);
    case 'chained':
    case 'transposition':
    case 'letter-word':
      throw new RangeError(`a ${scheme.family} encoding is reported with its decoding; it is not written again`);
  }
}

/**
 * Inverse of encodeWithScheme. Lossy families return a normal form: morse, leetspeak, letter-number
 * and symbol-substitution lower case, last-word and first-word words joined by single spaces,
 * acrostic the message letters in lower case; pig latin reads ambiguous words with a dictionary.
 */
export function decodeWithScheme(scheme: Scheme, text: string): string {
  return decodeOnce(scheme, scheme.reversed ? reverseText(text) : text);
}

function decodeOnce(scheme: Scheme, text: string): string {
  switch (scheme.family) {
    case 'substitution':
      return unsubstitute(text, keyOf(scheme));
    case 'substitution-separated': {
      const sep = scheme.separator ?? '|';
      if (scheme.layout === 'in-words')
        return unsubstitute(
          text
            .split(/(\s+)/)
            .map((t) => (/\s/.test(t) ? t : joinSeparatedCharacters(t, sep, 2)))
            .join(''),
          keyOf(scheme),
        );
      return unsubstitute(joinSeparatedCharacters(text, sep), keyOf(scheme));
    }
    case 'caesar':
      return unsubstitute(text, caesarKey(scheme.shift ?? 13));
    case 'atbash':
      return unsubstitute(text, ATBASH_KEY);
    case 'base64':
      return base64Decode(text);
    case 'hex':
      return hexDecode(text);
    case 'binary':
      return binaryDecode(text);
    case 'morse':
      return morseDecode(text);
    case 'leetspeak':
      return leetDecode(text, isEnglishWord);
    case 'reversed':
      return reversal(scheme.variant)(text);
    case 'invisible':
      return invisibleDecode(text, invisibleVariant(scheme));
    case 'last-word':
      return lastWordDecode(text);
    case 'first-word':
      return firstWordDecode(text);
    case 'acrostic':
      return acrosticDecode(text);
    case 'vigenere':
      return vigenereDecode(text, keywordOf(scheme));
    case 'word-substitution':
      return codebookDecode(text, scheme.codebook ?? {});
    case 'pig-latin':
      return pigLatinDecode(text, isEnglishWord, pigSuffix(scheme));
    case 'letter-number':
      return letterNumberDecode(text, scheme.offset ?? 1, scheme.separator ?? '-', scheme.wordSeparator ?? ' ');
    case 'symbol-substitution':
      return symbolDecode(text, symbolsOf(scheme));
    case 'doubling':
      return unrepeatCharacters(text, scheme.repeat ?? 2);
    case 'plain-encoded-pair':
      throw new RangeError('plain-encoded-pair is a record shape (plaintext next to its encoding), not a codec');
    case 'encoded-data':
      throw new RangeError('encoded-data is content in a standard container (MIME, a Secret), not a covert scheme');
    case 'styled':
      return unstyleLetters(text);
    case 'homoglyph':
      return fromHomoglyphs(text);
    case 'rot47':
      return rot47(text);
    case 'base32':
      return base32Decode(text.trim());
    case 'base85':
      return base85Decode(text.trim(), scheme.variant === 'rfc1924' ? 'rfc1924' : 'ascii85') ?? text;
    case 'percent-encoding':
      return (scheme.variant === 'quoted-printable' ? quotedPrintableDecode(text.trim()) : percentDecode(text.trim())) ?? text;
    case 'chained':
    case 'transposition':
    case 'letter-word':
      throw new RangeError(`a ${scheme.family} encoding is reported with its decoding; it is not written again`);
  }
}

/** The reversal a scheme's variant names: each word's letters, the word order, or the whole text (its own inverse each). */
export function reversal(variant: Scheme['variant']): (text: string) => string {
  return variant === 'words' ? reverseWords : variant === 'word-order' ? reverseWordOrder : reverseText;
}
