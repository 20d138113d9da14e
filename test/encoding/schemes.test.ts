// The codecs mimic writes with. Every encoder's output is held to the independent encoder of its
// public definition (test/encoding/independent/, nothing from src/) or to a literal written here, so
// the round trips below (decode(encode(x)) === x) check the decoders on output known to be right.
// The cover families (last-word, first-word, acrostic) write src's own cover lines: their output is
// read back with independent decoders, and their decoders read the independent encoders' covers.
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { analyzeEncoding, decodeWithScheme, encodeWithScheme, isWritable, walnutKey, type Scheme } from '../../src/encoding/index.js';
import * as E from './independent/encoders.js';
import * as D from './independent/decoders.js';

const TEXT = 'Janet sells 16 eggs a day. She makes $18 every day at the market!\nHow much in a week?';
const LOWER = 'the quick brown fox jumps over the lazy dog while seven wizards quietly hex a vexed jock';
/** Non-ASCII letters, an emoji, a tab and a double space: what the codecs must pass through or carry as bytes. */
const WIDE = 'Crème brûlée \u{1F600} costs €5,\tthen  Zoë pays';
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';
/** Two keys from the independent generator (mulberry32), not from walnutKey. */
const K53 = E.permutationKey(53);
const K7 = E.permutationKey(7);
const EMOJI = [...'🍎🍌🍒🍇🍉🍋🍑🍍🥝🥥🥑🍆🥕🌽🥦🍄🌰🍞🧀🥚🍳🥞🥓🍔🍟🍕'];

const label = (s: Scheme) =>
  `${s.family}${s.variant ? ` (${s.variant})` : ''}${s.separator ? ` (${s.separator})` : ''}${s.layout ? ` (${s.layout})` : ''}${s.shift ? ` ${s.shift}` : ''}${s.repeat ? ` ×${s.repeat}` : ''}`;

describe('walnutKey', () => {
  it('is seedrandom(String(seed)) driving a Fisher-Yates shuffle of a..z from the last letter', () => {
    // the definition, written here with seedrandom itself
    const expected = (seed: number): string => {
      const random = seedrandom(String(seed));
      const letters = [...ALPHABET];
      for (let i = 25; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [letters[i], letters[j]] = [letters[j]!, letters[i]!];
      }
      return letters.join('');
    };
    for (const seed of [53, 7, 1234]) expect(walnutKey(seed)).toBe(expected(seed));
  });

  it('is a permutation of a..z, different per seed', () => {
    const key = walnutKey(53);
    expect([...key].sort().join('')).toBe(ALPHABET);
    expect(walnutKey(54)).not.toBe(key);
  });

  it('a Walnut53-style text keeps case and puts | between every character', () => {
    const key = 'bcdefghijklmnopqrstuvwxyza';
    expect(encodeWithScheme({ family: 'substitution-separated', key, separator: '|' }, 'Hi, you')).toBe('I|j|,| |z|p|v');
  });
});

/** Exact codecs, each with the independent encoder of its definition. */
const EXACT: [Scheme, (t: string) => string][] = [
  [{ family: 'substitution', key: K53 }, E.keyed(K53)],
  [{ family: 'substitution-separated', key: K53, separator: '|' }, E.separated(K53, '|', 'all')],
  [{ family: 'substitution-separated', key: K7, separator: '/' }, E.separated(K7, '/', 'all')],
  [{ family: 'substitution-separated', key: K53, separator: '|', layout: 'in-words' }, E.separated(K53, '|', 'in-words')],
  [{ family: 'caesar', shift: 3 }, E.shift(3)],
  [{ family: 'caesar', shift: 13 }, E.shift(13)],
  [{ family: 'atbash' }, E.atbash],
  [{ family: 'base64' }, E.base64],
  [{ family: 'hex' }, E.hexBytes(' ')],
  [{ family: 'binary' }, E.binaryBytes(' ')],
  [{ family: 'reversed' }, E.reverseAll],
  [{ family: 'reversed', variant: 'words' }, E.reverseEachWord],
  [{ family: 'invisible', variant: 'tags' }, E.tagChars],
  [{ family: 'invisible', variant: 'zero-width' }, E.zeroWidthBits],
  [{ family: 'invisible', variant: 'variation-selectors' }, E.selectorBytes],
  [{ family: 'vigenere', keyword: 'lemon' }, E.vigenere('lemon')],
  [{ family: 'doubling', repeat: 2 }, E.repeat(2)],
  [{ family: 'doubling', repeat: 3 }, E.repeat(3)],
];

describe("exact codecs: the definition's output, and back", () => {
  for (const [scheme, independent] of EXACT) {
    it(`${label(scheme)} writes what the independent encoder writes, and decodes it exactly`, () => {
      for (const text of [TEXT, LOWER, WIDE]) expect(encodeWithScheme(scheme, text), text).toBe(independent(text));
      const enc = encodeWithScheme(scheme, TEXT);
      expect(enc).not.toBe(TEXT);
      expect(decodeWithScheme(scheme, enc)).toBe(TEXT);
    });
  }

  it('a few literals from the definitions', () => {
    expect(encodeWithScheme({ family: 'caesar', shift: 3 }, 'Hello, xyz')).toBe('Khoor, abc');
    expect(encodeWithScheme({ family: 'atbash' }, 'Wizard')).toBe('Draziw');
    expect(encodeWithScheme({ family: 'vigenere', keyword: 'lemon' }, 'attack at dawn')).toBe('lxfopv ef rnhr');
    expect(encodeWithScheme({ family: 'base64' }, 'Hi!')).toBe('SGkh');
    expect(encodeWithScheme({ family: 'hex' }, 'Hi!')).toBe('48 69 21');
    expect(encodeWithScheme({ family: 'binary' }, 'Hi')).toBe('01001000 01101001');
    expect(encodeWithScheme({ family: 'reversed', variant: 'words' }, 'good day\nto you')).toBe('doog yad\not uoy');
    expect(encodeWithScheme({ family: 'invisible', variant: 'tags' }, 'Hi')).toBe('\u{E0048}\u{E0069}');
    expect(encodeWithScheme({ family: 'invisible', variant: 'zero-width' }, 'A')).toBe('\u200B\u200C\u200B\u200B\u200B\u200B\u200B\u200C');
    expect(encodeWithScheme({ family: 'invisible', variant: 'variation-selectors' }, 'A')).toBe('\u{E0131}');
    expect(encodeWithScheme({ family: 'doubling', repeat: 2 }, 'ab c')).toBe('aabb  cc');
  });

  it('separated text with the separator inside the plaintext still round-trips', () => {
    const scheme: Scheme = { family: 'substitution-separated', key: K53, separator: '|' };
    const text = 'a|b || c';
    const enc = encodeWithScheme(scheme, text);
    expect(enc).toBe(E.separated(K53, '|', 'all')(text));
    expect(decodeWithScheme(scheme, enc)).toBe(text);
  });

  it('invisible text decodes from inside a visible cover, for every variant', () => {
    const hide = { tags: E.tagChars, 'zero-width': E.zeroWidthBits, 'variation-selectors': E.selectorBytes } as const;
    for (const variant of ['tags', 'zero-width', 'variation-selectors'] as const) {
      const hidden = hide[variant]('meet at noon');
      expect(decodeWithScheme({ family: 'invisible', variant }, `Nice day \u{1F642}${hidden} indeed`)).toBe('meet at noon');
      expect(decodeWithScheme({ family: 'invisible' }, `Nice day${hidden}`)).toBe('meet at noon');
    }
  });
});

describe("lossy codecs: the definition's output, and back to a normal form", () => {
  it('morse: International Morse per character, " / " between words, lines kept; decodes to lower case', () => {
    const scheme: Scheme = { family: 'morse' };
    expect(encodeWithScheme(scheme, LOWER)).toBe(E.morse(' / ')(LOWER));
    expect(encodeWithScheme(scheme, 'SOS, at 9.')).toBe('... --- ... --..-- / .- - / ----. .-.-.-');
    expect(encodeWithScheme(scheme, 'Hi!\nPay $5')).toBe('.... .. -.-.--\n.--. .- -.-- / ...-..- .....');
    expect(decodeWithScheme(scheme, encodeWithScheme(scheme, TEXT))).toBe(TEXT.toLowerCase());
  });

  it('leetspeak: a4 e3 i1 o0 s5 t7; lower-case text without digits reads back', () => {
    const scheme: Scheme = { family: 'leetspeak' };
    for (const text of [TEXT, LOWER, WIDE]) expect(encodeWithScheme(scheme, text)).toBe(E.leet({ a: '4', e: '3', i: '1', o: '0', s: '5', t: '7' })(text));
    const enc = encodeWithScheme(scheme, LOWER);
    expect(enc.startsWith('7h3 qu1ck br0wn f0x')).toBe(true);
    expect(decodeWithScheme(scheme, enc)).toBe(LOWER);
  });

  it('letter-number, symbol-substitution and spaceless separators keep the letters (lower case)', () => {
    const letters = (t: string) => t.toLowerCase().replace(/[^a-z]/g, '');
    const schemes: [Scheme, (t: string) => string][] = [
      [{ family: 'letter-number', offset: 1, separator: '-', wordSeparator: ' ' }, E.letterNumbers(1, '-', ' ')],
      [{ family: 'letter-number', offset: 0, separator: ' ', wordSeparator: ' / ' }, E.letterNumbers(0, ' ', ' / ')],
      [{ family: 'symbol-substitution', symbols: EMOJI }, E.symbolsFor(EMOJI)],
      [{ family: 'substitution-separated', key: K53, separator: '|', layout: 'no-spaces' }, E.separated(K53, '|', 'no-spaces')],
    ];
    for (const [scheme, independent] of schemes) {
      for (const text of [TEXT, LOWER, WIDE]) expect(encodeWithScheme(scheme, text), `${label(scheme)}: ${text}`).toBe(independent(text));
      const enc = encodeWithScheme(scheme, TEXT);
      expect(letters(enc)).not.toBe(letters(TEXT));
      expect(letters(decodeWithScheme(scheme, enc))).toBe(letters(TEXT));
    }
    expect(encodeWithScheme({ family: 'letter-number', offset: 1, separator: '-', wordSeparator: ' ' }, 'Hello you')).toBe('8-5-12-12-15 25-15-21');
    expect(encodeWithScheme({ family: 'symbol-substitution', symbols: EMOJI }, 'Cab!')).toBe('🍒🍎🍌!');
  });

  it('pig latin reads words back with the dictionary', () => {
    const scheme: Scheme = { family: 'pig-latin', variant: 'way' };
    const enc = encodeWithScheme(scheme, 'the quick brown fox eats an apple');
    expect(enc).toBe('ethay ickquay ownbray oxfay eatsway anway appleway');
    expect(enc).toBe(E.pigLatin('way')('the quick brown fox eats an apple'));
    expect(decodeWithScheme(scheme, enc)).toBe('the quick brown fox eats an apple');
  });

  it('a word codebook decodes the words it knows and cannot write others', () => {
    const scheme: Scheme = { family: 'word-substitution', codebook: { the: 'zork', cat: 'plim', sat: 'quax' } };
    expect(encodeWithScheme(scheme, 'The cat sat.')).toBe('Zork plim quax.');
    expect(decodeWithScheme(scheme, 'Zork plim quax.')).toBe('The cat sat.');
    expect(isWritable(scheme)).toBe(false);
    expect(isWritable({ family: 'binary' })).toBe(true);
    expect(isWritable({ family: 'substitution' })).toBe(false);
  });
});

describe('cover codecs: the message where the definition puts it, read by independent decoders', () => {
  const words = TEXT.split(/\s+/);
  const coverLines = (enc: string) => enc.split('\n').every((l) => l.trim().split(/\s+/).length >= 3);

  it('last-word: one cover line per word, the word last', () => {
    const scheme: Scheme = { family: 'last-word' };
    const enc = encodeWithScheme(scheme, TEXT);
    expect(D.lastWords(enc)).toEqual(words);
    expect(coverLines(enc)).toBe(true);
    expect(decodeWithScheme(scheme, enc)).toBe(words.join(' '));
    // and the decoder reads another writer's cover lines
    expect(decodeWithScheme(scheme, E.lastWord('lower')(TEXT))).toBe(words.join(' '));
  });

  it('first-word: one line per word, the word first', () => {
    const scheme: Scheme = { family: 'first-word' };
    const enc = encodeWithScheme(scheme, TEXT);
    expect(D.firstWords(enc)).toEqual(words);
    expect(coverLines(enc)).toBe(true);
    expect(decodeWithScheme(scheme, enc)).toBe(words.join(' '));
    expect(decodeWithScheme(scheme, E.firstWord(true)(TEXT))).toBe(words.join(' '));
  });

  it('acrostic: one line per letter, opening with it', () => {
    const scheme: Scheme = { family: 'acrostic' };
    const letters = LOWER.replace(/[^a-z]/g, '');
    const enc = encodeWithScheme(scheme, LOWER);
    expect(enc.split('\n')).toHaveLength(letters.length);
    expect(D.firstLetters(enc)).toBe(letters);
    expect(coverLines(enc)).toBe(true);
    expect(decodeWithScheme(scheme, enc)).toBe(letters);
    expect(decodeWithScheme(scheme, E.acrostic(LOWER))).toBe(letters);
  });
});

describe('rejections', () => {
  it('plain-encoded-pair is a record shape, not a codec', () => {
    expect(() => encodeWithScheme({ family: 'plain-encoded-pair' }, TEXT)).toThrow(RangeError);
  });

  it('rejects a key that is not a permutation', () => {
    expect(() => encodeWithScheme({ family: 'substitution', key: 'abc' }, TEXT)).toThrow(RangeError);
  });
});

describe("doubling follows the data's own scheme: what is doubled", () => {
  // letters doubled, digits, spaces and punctuation written once (written here, apart from safemix's codecs)
  const lettersOnly = (t: string) => t.replace(/\p{L}/gu, (c) => c + c);
  const sentences = [
    'Meet me at the north gate at 10, and bring the blue folder with you.',
    'The train leaves from platform 4 at 7:45 tomorrow morning, do not be late.',
    'Keep the second copy of the letter in the drawer, next to the old maps.',
    'Call the office before 3 and tell them the shipment is ready for pickup.',
    'We will wait near the bridge until 9, then walk back along the river.',
  ];
  it('letters only: the scheme says so, and mimic writes digits, spaces and marks once', () => {
    const units = Array.from({ length: 120 }, (_, i) => ({
      record: i,
      texts: i % 4 === 0 ? [lettersOnly(sentences[i % 5]!), lettersOnly(sentences[(i + 1) % 5]!)] : [sentences[i % 5]!, sentences[(i + 2) % 5]!],
    }));
    const report = analyzeEncoding(units);
    expect(report.scheme?.family).toBe('doubling');
    expect(report.scheme?.repeatKinds).toEqual(['letters']);
    const written = encodeWithScheme(report.scheme!, 'Go to room 12, now.');
    expect(written).toBe(lettersOnly('Go to room 12, now.'));
    expect(decodeWithScheme(report.scheme!, written)).toBe('Go to room 12, now.');
  });
  it('every character doubled: no kinds named, every character written twice', () => {
    const every = (t: string) => [...t].map((c) => c + c).join('');
    const units = Array.from({ length: 120 }, (_, i) => ({
      record: i,
      texts: i % 4 === 0 ? [every(sentences[i % 5]!), every(sentences[(i + 1) % 5]!)] : [sentences[i % 5]!, sentences[(i + 2) % 5]!],
    }));
    const report = analyzeEncoding(units);
    expect(report.scheme?.family).toBe('doubling');
    expect(report.scheme?.repeatKinds).toBeUndefined();
    expect(encodeWithScheme(report.scheme!, 'ab 1,')).toBe('aabb  11,,');
  });
});
