// Encode and decode with a Scheme: one entry point per direction over every family's codec.
// plain-encoded-pair is a record shape, not a codec, so it has no encoder.
import type { Scheme } from './types.js';
import { substitute, unsubstitute, separateCharacters, joinSeparatedCharacters, leetEncode, leetDecode, reverseText } from './codecs-letters.js';
import { base64Decode, base64Encode, binaryDecode, binaryEncode, hexDecode, hexEncode, morseDecode, morseEncode } from './codecs-bytes.js';
import { acrosticDecode, acrosticEncode, invisibleDecode, invisibleEncode, lastWordDecode, lastWordEncode } from './codecs-hidden.js';
import { ALPHABET, ATBASH_KEY, caesarKey, isPermutationKey } from './walnut.js';
import { isEnglishWord } from './english-stats.js';

function keyOf(scheme: Scheme): string {
  if (scheme.key === undefined) return ALPHABET;
  if (!isPermutationKey(scheme.key)) throw new RangeError(`scheme key must be a permutation of a..z, got "${scheme.key}"`);
  return scheme.key;
}

export function encodeWithScheme(scheme: Scheme, text: string): string {
  switch (scheme.family) {
    case 'substitution':
      return substitute(text, keyOf(scheme));
    case 'substitution-separated':
      return separateCharacters(substitute(text, keyOf(scheme)), scheme.separator ?? '|');
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
      return reverseText(text);
    case 'invisible':
      return invisibleEncode(text, scheme.variant ?? 'tags');
    case 'last-word':
      return lastWordEncode(text);
    case 'acrostic':
      return acrosticEncode(text);
    case 'plain-encoded-pair':
      throw new RangeError('plain-encoded-pair is a record shape (plaintext next to its encoding), not a codec');
  }
}

/**
 * Inverse of encodeWithScheme. Lossy families return a normal form: morse and leetspeak lower case,
 * last-word words joined by single spaces, acrostic the message letters in lower case.
 */
export function decodeWithScheme(scheme: Scheme, text: string): string {
  switch (scheme.family) {
    case 'substitution':
      return unsubstitute(text, keyOf(scheme));
    case 'substitution-separated':
      return unsubstitute(joinSeparatedCharacters(text, scheme.separator ?? '|'), keyOf(scheme));
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
      return reverseText(text);
    case 'invisible':
      return invisibleDecode(text, scheme.variant);
    case 'last-word':
      return lastWordDecode(text);
    case 'acrostic':
      return acrosticDecode(text);
    case 'plain-encoded-pair':
      throw new RangeError('plain-encoded-pair is a record shape (plaintext next to its encoding), not a codec');
  }
}
