// Encode/decode round trips for every scheme, and the Walnut53-style key.
import { describe, expect, it } from 'vitest';
import { decodeWithScheme, encodeWithScheme, isWritable, walnutKey, type Scheme } from '../../src/profile/encoding/index.js';

const TEXT = 'Janet sells 16 eggs a day. She makes $18 every day at the market!\nHow much in a week?';
const LOWER = 'the quick brown fox jumps over the lazy dog while seven wizards quietly hex a vexed jock';

describe('walnutKey', () => {
  it('is a seeded permutation of a..z', () => {
    const key = walnutKey(53);
    expect([...key].sort().join('')).toBe('abcdefghijklmnopqrstuvwxyz');
    expect(walnutKey(53)).toBe(key);
    expect(walnutKey(54)).not.toBe(key);
  });

  it('Walnut53 encodes letters case-kept with | between every character', () => {
    const key = walnutKey(53);
    const enc = encodeWithScheme({ family: 'substitution-separated', key, separator: '|' }, 'Hi, you');
    const h = key['h'.charCodeAt(0) - 97]!.toUpperCase();
    const i = key['i'.charCodeAt(0) - 97]!;
    expect(enc.startsWith(`${h}|${i}|,| |`)).toBe(true);
    expect(enc.split('|')).toHaveLength(7);
  });
});

describe('round trips', () => {
  const exact: Scheme[] = [
    { family: 'substitution', key: walnutKey(53) },
    { family: 'substitution-separated', key: walnutKey(53), separator: '|' },
    { family: 'substitution-separated', key: walnutKey(7), separator: '/' },
    { family: 'caesar', shift: 3 },
    { family: 'caesar', shift: 13 },
    { family: 'atbash' },
    { family: 'base64' },
    { family: 'hex' },
    { family: 'binary' },
    { family: 'reversed' },
    { family: 'invisible', variant: 'tags' },
    { family: 'invisible', variant: 'zero-width' },
    { family: 'invisible', variant: 'variation-selectors' },
    { family: 'vigenere', keyword: 'lemon' },
    { family: 'reversed', variant: 'words' },
    { family: 'doubling', repeat: 2 },
    { family: 'doubling', repeat: 3 },
    { family: 'substitution-separated', key: walnutKey(53), separator: '|', layout: 'in-words' },
  ];
  for (const scheme of exact) {
    it(`${scheme.family}${scheme.variant ? ` (${scheme.variant})` : ''}${scheme.separator ? ` (${scheme.separator})` : ''} is exact`, () => {
      const enc = encodeWithScheme(scheme, TEXT);
      expect(enc).not.toBe(TEXT);
      expect(decodeWithScheme(scheme, enc)).toBe(TEXT);
    });
  }

  it('separated text with the separator inside the plaintext still round-trips', () => {
    const scheme: Scheme = { family: 'substitution-separated', key: walnutKey(53), separator: '|' };
    const text = 'a|b || c';
    expect(decodeWithScheme(scheme, encodeWithScheme(scheme, text))).toBe(text);
  });

  it('invisible text decodes from inside a visible cover, for every variant', () => {
    for (const variant of ['tags', 'zero-width', 'variation-selectors'] as const) {
      const hidden = encodeWithScheme({ family: 'invisible', variant }, 'meet at noon');
      expect(decodeWithScheme({ family: 'invisible', variant }, `Nice day \u{1F642}${hidden} indeed`)).toBe('meet at noon');
      expect(decodeWithScheme({ family: 'invisible' }, `Nice day${hidden}`)).toBe('meet at noon');
    }
  });

  it('morse round-trips to lower case (it has no case)', () => {
    const scheme: Scheme = { family: 'morse' };
    expect(decodeWithScheme(scheme, encodeWithScheme(scheme, TEXT))).toBe(TEXT.toLowerCase());
  });

  it('leetspeak round-trips lower-case text without digits', () => {
    const scheme: Scheme = { family: 'leetspeak' };
    const enc = encodeWithScheme(scheme, LOWER);
    expect(enc).toContain('7h3');
    expect(decodeWithScheme(scheme, enc)).toBe(LOWER);
  });

  it('last-word carries the words, one per line', () => {
    const scheme: Scheme = { family: 'last-word' };
    const enc = encodeWithScheme(scheme, TEXT);
    expect(enc.split('\n')).toHaveLength(TEXT.split(/\s+/).length);
    expect(decodeWithScheme(scheme, enc)).toBe(TEXT.split(/\s+/).join(' '));
  });

  it('acrostic carries the letters, one line each', () => {
    const scheme: Scheme = { family: 'acrostic' };
    const enc = encodeWithScheme(scheme, LOWER);
    expect(decodeWithScheme(scheme, enc)).toBe(LOWER.replace(/[^a-z]/g, ''));
  });

  it('letter-number, symbol-substitution and spaceless separators keep the letters (lower case)', () => {
    const letters = (t: string) => t.toLowerCase().replace(/[^a-z]/g, '');
    const symbols = [...'🍎🍌🍒🍇🍉🍋🍑🍍🥝🥥🥑🍆🥕🌽🥦🍄🌰🍞🧀🥚🍳🥞🥓🍔🍟🍕'];
    const schemes: Scheme[] = [
      { family: 'letter-number', offset: 1, separator: '-', wordSeparator: ' ' },
      { family: 'letter-number', offset: 0, separator: ' ', wordSeparator: ' / ' },
      { family: 'symbol-substitution', symbols },
      { family: 'substitution-separated', key: walnutKey(53), separator: '|', layout: 'no-spaces' },
    ];
    for (const scheme of schemes) {
      const enc = encodeWithScheme(scheme, TEXT);
      expect(letters(enc)).not.toBe(letters(TEXT));
      expect(letters(decodeWithScheme(scheme, enc))).toBe(letters(TEXT));
    }
    expect(encodeWithScheme({ family: 'letter-number', offset: 1, separator: '-', wordSeparator: ' ' }, 'Hello you')).toBe('8-5-12-12-15 25-15-21');
  });

  it('pig latin reads words back with the dictionary', () => {
    const scheme: Scheme = { family: 'pig-latin', variant: 'way' };
    const enc = encodeWithScheme(scheme, 'the quick brown fox eats an apple');
    expect(enc).toBe('ethay ickquay ownbray oxfay eatsway anway appleway');
    expect(decodeWithScheme(scheme, enc)).toBe('the quick brown fox eats an apple');
  });

  it('first-word carries the words, one per line, first', () => {
    const scheme: Scheme = { family: 'first-word' };
    const enc = encodeWithScheme(scheme, TEXT);
    expect(enc.split('\n')).toHaveLength(TEXT.split(/\s+/).length);
    expect(decodeWithScheme(scheme, enc)).toBe(TEXT.split(/\s+/).join(' '));
  });

  it('a word codebook decodes the words it knows and cannot write others', () => {
    const scheme: Scheme = { family: 'word-substitution', codebook: { the: 'zork', cat: 'plim', sat: 'quax' } };
    expect(encodeWithScheme(scheme, 'The cat sat.')).toBe('Zork plim quax.');
    expect(decodeWithScheme(scheme, 'Zork plim quax.')).toBe('The cat sat.');
    expect(isWritable(scheme)).toBe(false);
    expect(isWritable({ family: 'binary' })).toBe(true);
    expect(isWritable({ family: 'substitution' })).toBe(false);
  });

  it('plain-encoded-pair is a record shape, not a codec', () => {
    expect(() => encodeWithScheme({ family: 'plain-encoded-pair' }, TEXT)).toThrow(RangeError);
  });

  it('rejects a key that is not a permutation', () => {
    expect(() => encodeWithScheme({ family: 'substitution', key: 'abc' }, TEXT)).toThrow(RangeError);
  });
});
