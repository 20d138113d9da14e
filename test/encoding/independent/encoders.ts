// Independent encoders for the recall tests: written apart from the detector and importing nothing
// from src/. Each variant is a function of text with its own seeded key; the README's "Covert
// encodings" section lists every variant below. They encode harmless text only (the fixtures feed
// them corpus text).

/** mulberry32: a small seeded generator (not the detector's seedrandom). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** A random permutation of a..z with no fixed letter: key[i] is the cipher letter of plain letter i. */
export function permutationKey(seed: number): string {
  const random = rng(seed);
  for (;;) {
    const k = shuffled([...LOWER], random);
    if (k.every((c, i) => c !== LOWER[i])) return k.join('');
  }
}

function mapLetters(text: string, f: (index: number) => string): string {
  let out = '';
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const i = LOWER.indexOf(lower);
    if (i < 0 || ch.length !== 1 || !/[a-z]/i.test(ch)) {
      out += ch;
      continue;
    }
    const c = f(i);
    out += ch === lower ? c : c.toUpperCase();
  }
  return out;
}

export const keyed = (key: string) => (t: string) => mapLetters(t, (i) => key[i]!);
export const shift = (n: number) => (t: string) => mapLetters(t, (i) => LOWER[(i + n) % 26]!);
export const atbash = (t: string) => mapLetters(t, (i) => LOWER[25 - i]!);

export function vigenere(keyword: string): (t: string) => string {
  return (t) => {
    let k = 0;
    return mapLetters(t, (i) => LOWER[(i + LOWER.indexOf(keyword[k++ % keyword.length]!)) % 26]!);
  };
}

const utf8 = (t: string) => Buffer.from(t, 'utf8');

/** base64 of the UTF-8 bytes (RFC 4648, padded, one line). */
export const base64 = (t: string) => utf8(t).toString('base64');
/** Each UTF-8 byte as two lower-case hex digits, joined by `sep`. */
export const hexBytes = (sep: string) => (t: string) => [...utf8(t)].map((b) => b.toString(16).padStart(2, '0')).join(sep);
/** Each UTF-8 byte as eight binary digits, joined by `sep`. */
export const binaryBytes = (sep: string) => (t: string) => [...utf8(t)].map((b) => b.toString(2).padStart(8, '0')).join(sep);

function wrap(s: string, width: number): string {
  const lines: string[] = [];
  for (let i = 0; i < s.length; i += width) lines.push(s.slice(i, i + width));
  return lines.join('\n');
}

const MORSE_TABLE: Record<string, string> = {
  a: '.-',
  b: '-...',
  c: '-.-.',
  d: '-..',
  e: '.',
  f: '..-.',
  g: '--.',
  h: '....',
  i: '..',
  j: '.---',
  k: '-.-',
  l: '.-..',
  m: '--',
  n: '-.',
  o: '---',
  p: '.--.',
  q: '--.-',
  r: '.-.',
  s: '...',
  t: '-',
  u: '..-',
  v: '...-',
  w: '.--',
  x: '-..-',
  y: '-.--',
  z: '--..',
  '0': '-----',
  '1': '.----',
  '2': '..---',
  '3': '...--',
  '4': '....-',
  '5': '.....',
  '6': '-....',
  '7': '--...',
  '8': '---..',
  '9': '----.',
  '.': '.-.-.-',
  ',': '--..--',
  '?': '..--..',
};

export function morse(wordGap: string): (t: string) => string {
  return (t) =>
    t
      .toLowerCase()
      .split(/\s+/)
      .map((w) =>
        [...w]
          .map((c) => MORSE_TABLE[c])
          .filter(Boolean)
          .join(' '),
      )
      .filter((w) => w.length > 0)
      .join(wordGap);
}

export function leet(table: Record<string, string>): (t: string) => string {
  return (t) => [...t].map((c) => table[c.toLowerCase()] ?? c).join('');
}

export const reverseAll = (t: string) => [...t].reverse().join('');
export const reverseEachWord = (t: string) =>
  t
    .split(/(\s+)/)
    .map((w) => (/\s/.test(w) ? w : [...w].reverse().join('')))
    .join('');

export function separated(key: string, sep: string, layout: 'all' | 'in-words' | 'no-spaces'): (t: string) => string {
  const sub = keyed(key);
  return (t) => {
    const s = sub(t);
    if (layout === 'in-words')
      return s
        .split(/(\s+)/)
        .map((w) => (/\s/.test(w) ? w : [...w].join(sep)))
        .join('');
    if (layout === 'no-spaces') return [...s.replace(/\s+/g, '')].join(sep);
    return [...s].join(sep);
  };
}

/** Unicode tag characters: U+E0000 + the ASCII code (non-ASCII as "?"), invisible on their own. */
export const tagChars = (t: string) => [...t].map((c) => String.fromCodePoint(0xe0000 + (c.charCodeAt(0) < 128 ? c.charCodeAt(0) : 63))).join('');

/** Each UTF-8 bit, high bit first, as U+200C (1) or U+200B (0). */
export function zeroWidthBits(t: string): string {
  let bits = '';
  for (const b of utf8(t)) for (let k = 7; k >= 0; k--) bits += (b >> k) & 1 ? '\u200C' : '\u200B';
  return bits;
}

/** Each UTF-8 byte as one variation selector: U+FE00-FE0F for 0-15, U+E0100-E01EF for 16-255. */
export const selectorBytes = (t: string) => [...utf8(t)].map((b) => String.fromCodePoint(b < 16 ? 0xfe00 + b : 0xe0100 + b - 16)).join('');

function invisibleTags(cover: string): (t: string) => string {
  return (t) => cover + tagChars(t);
}

function invisibleBits(cover: string): (t: string) => string {
  return (t) => {
    const bits = zeroWidthBits(t);
    // the bits go in the middle of the cover
    const mid = cover.indexOf(' ');
    return cover.slice(0, mid) + bits + cover.slice(mid);
  };
}

function invisibleSelectors(cover: string): (t: string) => string {
  return (t) => cover + selectorBytes(t);
}

const COVER_LINES = [
  [
    'the children walked along the beach at dawn and found',
    'Our neighbour planted tulips by the fence and watched',
    'On sunday the market was crowded with people buying',
    'my grandmother always kept a jar of honey for',
    'A painter set up an easel near the fountain to catch',
    'the train rolled slowly past the orchards full of',
    'In the library a cat slept on a pile of',
    'we shared a pot of tea while the rain kept falling on',
  ],
];

/** Last word of each line carries the message; the cover lines vary in case and punctuation. */
export function lastWord(style: 'plain' | 'lower' | 'comma'): (t: string) => string {
  return (t) =>
    t
      .split(/\s+/)
      .filter(Boolean)
      .map((w, i) => {
        let line = COVER_LINES[0]![(i * 5 + 2) % COVER_LINES[0]!.length]!;
        if (style === 'lower') line = line.toLowerCase();
        else if (style === 'plain') line = line[0]!.toUpperCase() + line.slice(1);
        return style === 'comma' ? `${line} ${w},` : style === 'plain' ? `${line} ${w}.` : `${line} ${w}`;
      })
      .join('\n');
}

const FIRST_TAILS = [
  'was all we talked about over breakfast',
  'kept coming up during the long walk home',
  'appeared twice in the letter from my aunt',
  'is what the sign by the old mill said',
  'sounded right when we read it aloud',
  'stayed with us until the end of the trip',
  'was scribbled on the back of a receipt',
];

export function firstWord(punct: boolean): (t: string) => string {
  return (t) =>
    t
      .split(/\s+/)
      .filter(Boolean)
      .map((w, i) => `${w} ${FIRST_TAILS[(i * 3) % FIRST_TAILS.length]}${punct ? '.' : ''}`)
      .join('\n');
}

const ACROSTIC_WORDS: Record<string, string[]> = Object.fromEntries(
  [...LOWER].map((c) => [c, [`${c.toUpperCase()}${'aeiou'.includes(c) ? 'nd' : 'e'}lightful`, `${c.toUpperCase()}ummer`]]),
);
const ACROSTIC_TAILS = [
  'mornings bring the scent of rain.',
  'evenings settle over quiet fields.',
  'moments pass beside the river.',
  'breezes cross the silent hills.',
  'afternoons drift by the harbour.',
];

export function acrostic(t: string): string {
  const letters = t.toLowerCase().replace(/[^a-z]/g, '');
  return [...letters].map((c, i) => `${ACROSTIC_WORDS[c]![i % 2]} ${ACROSTIC_TAILS[i % ACROSTIC_TAILS.length]}`).join('\n');
}

const SENTENCE_OPENERS: Record<string, string> = {
  a: 'After',
  b: 'Before',
  c: 'Clearly',
  d: 'During',
  e: 'Every',
  f: 'For',
  g: 'Gently',
  h: 'However',
  i: 'In',
  j: 'Just',
  k: 'Kindly',
  l: 'Later',
  m: 'Meanwhile',
  n: 'Next',
  o: 'Often',
  p: 'Perhaps',
  q: 'Quietly',
  r: 'Rarely',
  s: 'Still',
  t: 'Then',
  u: 'Usually',
  v: 'Very',
  w: 'While',
  x: 'Xeroxed',
  y: 'Yet',
  z: 'Zealously',
};
const SENTENCE_TAILS = [
  'the team reviewed the schedule for the week.',
  'we checked the numbers twice before lunch.',
  'the office stayed calm through the afternoon.',
  'a short note went out to every customer.',
  'the report was filed with the other papers.',
  'nobody minded the small delay at the desk.',
];

/** Acrostic in running prose: one sentence a letter, in one paragraph, each opening with a word of that letter. */
export function sentenceAcrostic(t: string): string {
  const letters = t.toLowerCase().replace(/[^a-z]/g, '');
  return [...letters].map((c, i) => `${SENTENCE_OPENERS[c]} ${SENTENCE_TAILS[i % SENTENCE_TAILS.length]}`).join(' ');
}

function randomWord(random: () => number): string {
  const n = 3 + Math.floor(random() * 6);
  let w = '';
  for (let i = 0; i < n; i++) w += LOWER[Math.floor(random() * 26)];
  return w;
}

const REAL_WORDS =
  'river lamp orange velvet pilot garden cobalt meadow pepper harbor violin candle marble tiger rocket willow copper lantern saddle falcon quartz cactus ribbon walnut thunder pebble canyon biscuit comet glacier hammock jasmine kettle lobster mosaic nectar oyster parrot quiver raven sapphire tulip umbrella vortex wizard yarn zephyr anchor blossom crystal dolphin ember feather granite hazel igloo jungle koala lemon maple nutmeg olive panda quilt rhubarb spruce tundra unicorn valley wombat yodel zinnia acorn banjo cedar dune'.split(
    ' ',
  );

/** Word codebook: each distinct word (case folded) gets a code word, fixed by the seed and the word. */
function codebook(seed: number, real: boolean): { encode: (t: string) => string; book: Map<string, string> } {
  const book = new Map<string, string>();
  const used = new Set<string>();
  const codeOf = (w: string): string => {
    let c = book.get(w);
    if (c) return c;
    const random = rng(seed ^ hashString(w));
    for (let tries = 0; ; tries++) {
      c = real ? `${REAL_WORDS[Math.floor(random() * REAL_WORDS.length)]}${tries > 3 ? LOWER[Math.floor(random() * 26)] : ''}` : randomWord(random);
      if (!used.has(c) && c !== w) break;
    }
    used.add(c);
    book.set(w, c);
    return c;
  };
  return {
    book,
    encode: (t) =>
      t.replace(/[A-Za-z]+/g, (w) => {
        const c = codeOf(w.toLowerCase());
        return w[0] === w[0]!.toUpperCase() && w[0] !== w[0]!.toLowerCase() ? c[0]!.toUpperCase() + c.slice(1) : c;
      }),
  };
}

export function pigLatin(vowelSuffix: string): (t: string) => string {
  return (t) =>
    t.replace(/[A-Za-z]+/g, (w) => {
      const lower = w.toLowerCase();
      const m = /^(qu|[^aeiou]+)(.*)$/.exec(lower);
      let out: string;
      if ('aeiou'.includes(lower[0]!)) out = lower + vowelSuffix;
      else if (m && m[2]) out = m[2] + m[1] + 'ay';
      else out = lower + 'ay';
      return w[0] !== lower[0] ? out[0]!.toUpperCase() + out.slice(1) : out;
    });
}

export function letterNumbers(offset: number, sep: string, wordSep: string): (t: string) => string {
  return (t) =>
    t
      .toLowerCase()
      .split(/\s+/)
      .map((w) =>
        [...w]
          .filter((c) => c >= 'a' && c <= 'z')
          .map((c) => String(c.charCodeAt(0) - 97 + offset))
          .join(sep),
      )
      .filter(Boolean)
      .join(wordSep);
}

const EMOJI = [...'🍎🍌🍒🍇🍉🍋🍑🍍🥝🥥🥑🍆🥕🌽🥦🍄🌰🍞🧀🥚🍳🥞🥓🍔🍟🍕'];
const SIGNS = [...'☀☁☂☃★☆☎☏☐☑☒☕☘☙☚☛☜☝☞☟☠☡☢☣☤☥'];
/** Braille grade 1 letters as Unicode braille patterns (U+2800 + the dots raised: dot n is bit n - 1). */
const BRAILLE = [
  [1],
  [1, 2],
  [1, 4],
  [1, 4, 5],
  [1, 5],
  [1, 2, 4],
  [1, 2, 4, 5],
  [1, 2, 5],
  [2, 4],
  [2, 4, 5],
  [1, 3],
  [1, 2, 3],
  [1, 3, 4],
  [1, 3, 4, 5],
  [1, 3, 5],
  [1, 2, 3, 4],
  [1, 2, 3, 4, 5],
  [1, 2, 3, 5],
  [2, 3, 4],
  [2, 3, 4, 5],
  [1, 3, 6],
  [1, 2, 3, 6],
  [2, 4, 5, 6],
  [1, 3, 4, 6],
  [1, 3, 4, 5, 6],
  [1, 3, 5, 6],
].map((dots) => String.fromCharCode(0x2800 + dots.reduce((bits, d) => bits | (1 << (d - 1)), 0)));

/** Each letter (case folded) written as its symbol: symbols[0] for a, symbols[25] for z. */
export function symbolsFor(s: readonly string[]): (t: string) => string {
  return (t) => [...t].map((c) => (/[a-z]/i.test(c) ? s[LOWER.indexOf(c.toLowerCase())]! : c)).join('');
}

function symbols(seed: number, set: string[]): { encode: (t: string) => string; symbols: string[] } {
  const s = shuffled(set, rng(seed));
  return { symbols: s, encode: symbolsFor(s) };
}

export const repeat = (n: number) => (t: string) => [...t].map((c) => c.repeat(n)).join('');

export interface Variant {
  /** Family the detector should name. */
  family: string;
  /** What this variant does (listed in the README). */
  name: string;
  encode: (text: string) => string;
  /** The true key, when the family has one the detector should recover exactly. */
  truth?: { key?: string; keyword?: string; shift?: number; symbols?: string[]; codebook?: Map<string, string> };
  /** Hidden-channel families carry a short message (a sentence), not a whole answer. */
  short?: boolean;
}

const WALNUT = permutationKey(53);
const KEY_B = permutationKey(7771);
const words1 = codebook(101, false);
const words2 = codebook(202, true);
const emoji = symbols(303, EMOJI);
const signs = symbols(404, SIGNS);

/** Every variant, grouped by family; the first of each family is the one the recall table uses at every share. */
export const VARIANTS: Variant[] = [
  { family: 'substitution', name: 'keyed substitution, case and punctuation kept', encode: keyed(KEY_B), truth: { key: KEY_B } },
  { family: 'substitution', name: 'keyed substitution, lower case', encode: (t) => keyed(KEY_B)(t.toLowerCase()), truth: { key: KEY_B } },
  {
    family: 'substitution-separated',
    name: 'Walnut53: substitution, "|" between every character',
    encode: separated(WALNUT, '|', 'all'),
    truth: { key: WALNUT },
  },
  { family: 'substitution-separated', name: 'substitution, "/" between every character', encode: separated(KEY_B, '/', 'all'), truth: { key: KEY_B } },
  { family: 'substitution-separated', name: 'Walnut53 with the spaces removed', encode: separated(WALNUT, '|', 'no-spaces'), truth: { key: WALNUT } },
  {
    family: 'substitution-separated',
    name: 'Walnut53 with separators inside words, spaces kept (a|b|c d|e)',
    encode: separated(WALNUT, '|', 'in-words'),
    truth: { key: WALNUT },
  },
  { family: 'caesar', name: 'Caesar shift 3', encode: shift(3), truth: { shift: 3 } },
  { family: 'caesar', name: 'ROT13', encode: shift(13), truth: { shift: 13 } },
  { family: 'atbash', name: 'Atbash (a↔z)', encode: atbash },
  { family: 'vigenere', name: 'Vigenère, keyword "lemon" (key advances on letters)', encode: vigenere('lemon'), truth: { keyword: 'lemon' } },
  { family: 'vigenere', name: 'Vigenère, keyword "garden"', encode: vigenere('garden'), truth: { keyword: 'garden' } },
  { family: 'base64', name: 'base64, one line, padded', encode: base64 },
  { family: 'base64', name: 'base64 wrapped at 76 characters', encode: (t) => wrap(base64(t), 76) },
  { family: 'base64', name: 'base64url without padding', encode: (t) => utf8(t).toString('base64url') },
  { family: 'hex', name: 'hex bytes, lower case, space-separated', encode: hexBytes(' ') },
  { family: 'hex', name: 'hex, upper case, no separator', encode: (t) => utf8(t).toString('hex').toUpperCase() },
  { family: 'hex', name: 'hex as \\x escapes', encode: (t) => [...utf8(t)].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('') },
  { family: 'binary', name: '8-bit binary, space-separated', encode: binaryBytes(' ') },
  { family: 'binary', name: '8-bit binary, no separator', encode: binaryBytes('') },
  { family: 'morse', name: 'Morse, " / " between words', encode: morse(' / ') },
  { family: 'morse', name: 'Morse, " | " between words', encode: morse(' | ') },
  { family: 'leetspeak', name: 'leetspeak a4 e3 i1 o0 s5 t7', encode: leet({ a: '4', e: '3', i: '1', o: '0', s: '5', t: '7' }) },
  { family: 'leetspeak', name: 'leetspeak with @ $ 8 9 as well', encode: leet({ a: '@', e: '3', i: '1', o: '0', s: '$', t: '7', b: '8', g: '9' }) },
  { family: 'reversed', name: 'whole text reversed', encode: reverseAll },
  { family: 'reversed', name: 'each word reversed, order kept', encode: reverseEachWord },
  { family: 'invisible', name: 'Unicode tag characters after a visible cover', encode: invisibleTags('Thanks, see you at the meeting tomorrow.') },
  { family: 'invisible', name: 'zero-width bits (U+200B/U+200C) inside a cover', encode: invisibleBits('Lovely weather for a walk today.') },
  { family: 'invisible', name: 'variation selectors as bytes after an emoji', encode: invisibleSelectors('Great job on the project \u{1F44D}') },
  { family: 'last-word', name: 'last word of each line, capitalized cover lines ending with "."', encode: lastWord('plain'), short: true },
  { family: 'last-word', name: 'last word of each line, lower-case cover lines, no punctuation', encode: lastWord('lower'), short: true },
  { family: 'last-word', name: 'last word of each line, cover lines ending with ","', encode: lastWord('comma'), short: true },
  { family: 'first-word', name: 'first word of each line, lines ending with "."', encode: firstWord(true), short: true },
  { family: 'first-word', name: 'first word of each line, no punctuation', encode: firstWord(false), short: true },
  { family: 'acrostic', name: 'first letter of each line', encode: acrostic, short: true },
  { family: 'acrostic', name: 'first letter of each sentence, one paragraph', encode: sentenceAcrostic, short: true },
  { family: 'word-substitution', name: 'each word replaced by a fixed random string', encode: words1.encode, truth: { codebook: words1.book } },
  { family: 'word-substitution', name: 'each word replaced by a fixed different real word', encode: words2.encode, truth: { codebook: words2.book } },
  { family: 'pig-latin', name: 'pig latin, vowel words + "way"', encode: pigLatin('way') },
  { family: 'pig-latin', name: 'pig latin, vowel words + "yay"', encode: pigLatin('yay') },
  { family: 'letter-number', name: 'A1Z26, "-" inside words, space between words', encode: letterNumbers(1, '-', ' ') },
  { family: 'letter-number', name: 'A1Z26, spaces inside words, " / " between words', encode: letterNumbers(1, ' ', ' / ') },
  { family: 'letter-number', name: 'A0Z25, "." inside words', encode: letterNumbers(0, '.', ' ') },
  { family: 'symbol-substitution', name: 'one emoji per letter', encode: emoji.encode, truth: { symbols: emoji.symbols } },
  { family: 'symbol-substitution', name: 'one sign (☀☁☂…) per letter', encode: signs.encode, truth: { symbols: signs.symbols } },
  { family: 'symbol-substitution', name: 'Braille letters (Unicode patterns, grade 1)', encode: symbolsFor(BRAILLE), truth: { symbols: BRAILLE } },
  { family: 'doubling', name: 'every character twice', encode: repeat(2) },
  { family: 'doubling', name: 'every character three times', encode: repeat(3) },
];

/** Mathematical bold letters and digits (U+1D400 A, U+1D41A a, U+1D7CE 0), other characters kept. */
export function mathBold(t: string): string {
  return [...t]
    .map((c) => {
      const p = c.codePointAt(0)!;
      if (p >= 65 && p <= 90) return String.fromCodePoint(0x1d400 + p - 65);
      if (p >= 97 && p <= 122) return String.fromCodePoint(0x1d41a + p - 97);
      if (p >= 48 && p <= 57) return String.fromCodePoint(0x1d7ce + p - 48);
      return c;
    })
    .join('');
}

/** Full-width forms (U+FF01..U+FF5E for ! .. ~, U+3000 for the space). */
export function fullWidth(t: string): string {
  return [...t].map((c) => (c === ' ' ? '\u3000' : c >= '!' && c <= '~' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');
}

const TURNED: Record<string, string> = {
  a: 'ɐ',
  b: 'q',
  c: 'ɔ',
  d: 'p',
  e: 'ǝ',
  f: 'ɟ',
  g: 'ƃ',
  h: 'ɥ',
  i: 'ᴉ',
  j: 'ɾ',
  k: 'ʞ',
  m: 'ɯ',
  n: 'u',
  p: 'd',
  q: 'b',
  r: 'ɹ',
  t: 'ʇ',
  u: 'n',
  v: 'ʌ',
  w: 'ʍ',
  y: 'ʎ',
  '.': '˙',
  '?': '¿',
  '!': '¡',
  ',': "'",
};

/** Upside-down text: lower-cased, each letter turned, the order reversed. */
export function upsideDown(t: string): string {
  return [...t.toLowerCase()]
    .map((c) => TURNED[c] ?? c)
    .reverse()
    .join('');
}

/** Cyrillic lookalikes (а е о р с х у, А В Е К М Н О Р С Т Х) for their Latin letters. */
export function cyrillicLookalikes(t: string): string {
  const map: Record<string, string> = {
    a: 'а',
    e: 'е',
    o: 'о',
    p: 'р',
    c: 'с',
    x: 'х',
    y: 'у',
    A: 'А',
    B: 'В',
    E: 'Е',
    K: 'К',
    M: 'М',
    H: 'Н',
    O: 'О',
    P: 'Р',
    C: 'С',
    T: 'Т',
    X: 'Х',
  };
  return [...t].map((c) => map[c] ?? c).join('');
}

/** ROT47: ASCII 33..126 turned by 47. */
export function rot47(t: string): string {
  return [...t].map((c) => (c >= '!' && c <= '~' ? String.fromCharCode(33 + ((c.charCodeAt(0) - 33 + 47) % 94)) : c)).join('');
}

/** RFC 4648 base32, padded. */
export function base32(t: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...utf8(t)].map((b) => b.toString(2).padStart(8, '0')).join('');
  let out = '';
  for (let i = 0; i < bits.length; i += 5) out += alphabet[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  return out + '='.repeat((8 - (out.length % 8)) % 8);
}

/**
 * Base85 after the Adobe Ascii85 description: each 4-byte group, read as a big-endian number, is
 * written as 5 base-85 digits from `!` (0) to `u` (84), a group of four zero bytes as `z`, and a last
 * group of n bytes (padded with zeros) as its first n + 1 digits; with `<~` `~>` around it when asked.
 */
export function ascii85(delimited: boolean): (t: string) => string {
  return (t) => {
    const body = base85Groups(utf8(t), (d) => String.fromCharCode(33 + d), 'z');
    return delimited ? `<~${body}~>` : body;
  };
}

/** Base85 with RFC 1924's alphabet (0-9, A-Z, a-z, then 23 marks), as git's binary patches write it; no `z`. */
export function base85Rfc1924(t: string): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~';
  return base85Groups(utf8(t), (d) => alphabet[d]!);
}

function base85Groups(bytes: Uint8Array, digit: (d: number) => string, zeros?: string): string {
  const parts: string[] = [];
  for (let at = 0; at < bytes.length; at += 4) {
    const group = [0, 1, 2, 3].map((k) => bytes[at + k] ?? 0);
    const taken = Math.min(4, bytes.length - at);
    let n = BigInt(group.reduce((acc, b) => acc * 256 + b, 0));
    if (zeros && taken === 4 && n === 0n) {
      parts.push(zeros);
      continue;
    }
    const digits: string[] = [];
    for (let k = 0; k < 5; k++, n /= 85n) digits.push(digit(Number(n % 85n)));
    parts.push(
      digits
        .reverse()
        .slice(0, taken + 1)
        .join(''),
    );
  }
  return parts.join('');
}

/** Every UTF-8 byte as quoted-printable's =XX (RFC 2045: an equals sign and two upper-case hex digits). */
export const quotedAll = (t: string) => [...utf8(t)].map((b) => '=' + b.toString(16).toUpperCase().padStart(2, '0')).join('');

/** Every UTF-8 byte as %XX. */
export const percentAll = (t: string) => [...utf8(t)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

/** ROT13 of the letters. */
export const rot13 = (t: string) => mapLetters(t, (i) => LOWER[(i + 13) % 26]!);

/** Rail fence over every character: written along a zigzag of `rails` rails, read rail by rail. */
export function railFence(rails: number): (t: string) => string {
  return (t) => {
    const rows: string[] = Array.from({ length: rails }, () => '');
    let r = 0;
    let step = 1;
    for (const c of t) {
      rows[r] += c;
      if (r === 0) step = 1;
      else if (r === rails - 1) step = -1;
      r += step;
    }
    return rows.join('');
  };
}

/** Columnar transposition: the text written row by row under a keyword, read column by column in the keyword's alphabetical order. */
export function columnar(keyword: string): (t: string) => string {
  const order = [...keyword]
    .map((c, i) => ({ c, i }))
    .sort((a, b) => (a.c < b.c ? -1 : a.c > b.c ? 1 : a.i - b.i))
    .map((x) => x.i);
  return (t) => {
    const chars = [...t];
    return order.map((col) => chars.filter((_, k) => k % keyword.length === col).join('')).join('');
  };
}

const NATO =
  'alfa bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu'.split(
    ' ',
  );

/** Each letter as its NATO word, the plain words' breaks as " / ", other characters left out. */
export function natoWords(t: string): string {
  return t
    .toLowerCase()
    .split(/\s+/)
    .map((w) =>
      [...w]
        .filter((c) => c >= 'a' && c <= 'z')
        .map((c) => NATO[c.charCodeAt(0) - 97])
        .join(' '),
    )
    .filter(Boolean)
    .join(' / ');
}

VARIANTS.push(
  { family: 'letter-word', name: 'each letter as its NATO alphabet word, " / " between words', encode: natoWords },
  { family: 'transposition', name: 'rail fence, 3 rails, every character', encode: railFence(3) },
  { family: 'transposition', name: 'columnar transposition, keyword "zebra"', encode: columnar('zebra') },
);

VARIANTS.push(
  { family: 'styled', name: 'mathematical bold letters and digits', encode: mathBold },
  { family: 'styled', name: 'full-width letters, digits and marks', encode: fullWidth },
  { family: 'styled', name: 'upside-down text (turned letters, reversed order)', encode: upsideDown },
  { family: 'homoglyph', name: 'Cyrillic lookalikes for Latin letters', encode: cyrillicLookalikes },
  { family: 'rot47', name: 'ROT47 over printable ASCII', encode: rot47 },
  { family: 'base32', name: 'base32 (RFC 4648), padded', encode: base32 },
  { family: 'base85', name: 'Ascii85 (Adobe), between <~ and ~>', encode: ascii85(true) },
  { family: 'base85', name: 'base85, RFC 1924 alphabet', encode: base85Rfc1924 },
  { family: 'percent-encoding', name: 'every byte as %XX', encode: percentAll },
  { family: 'percent-encoding', name: 'every byte as quoted-printable =XX', encode: quotedAll },
  { family: 'chained', name: 'ROT13, then base64', encode: (t) => base64(rot13(t)) },
  { family: 'chained', name: 'base64, then base64 again', encode: (t) => base64(base64(t)) },
);

/** The first variant of each family. */
export function mainVariants(): Variant[] {
  const seen = new Set<string>();
  return VARIANTS.filter((v) => (seen.has(v.family) ? false : (seen.add(v.family), true)));
}

/** Latin letters that have a Cyrillic lookalike, and the lookalike. */
const LOOKALIKE: Record<string, string> = { a: 'а', e: 'е', o: 'о', p: 'р', c: 'с', x: 'х', y: 'у', i: 'і' };

const STEGO_COVER =
  'Our team met again this week to go over the plans for the spring open day at the community centre. ' +
  'Everyone agreed that the morning sessions should stay short, with a break for coffee and pastries around eleven. ' +
  'Please remember to bring a copy of the agenda, a pen, and any notes you prepared for the discussion on the garden project. ' +
  'We expect a large group of parents and children, so extra chairs will be placed near the entrance and along the corridor. ';

/**
 * Homoglyph bit-stego: the message's UTF-8 bits, one per lookalike-capable letter of an ordinary cover
 * text (1: the Cyrillic lookalike, 0: the Latin letter), the cover repeated as often as the bits need.
 */
export function homoglyphBits(t: string): string {
  const bits = [...utf8(t)].flatMap((byte) => [...byte.toString(2).padStart(8, '0')].map(Number));
  let out = '';
  let k = 0;
  while (k < bits.length)
    for (const ch of STEGO_COVER) {
      const look = LOOKALIKE[ch];
      if (look && k < bits.length) out += bits[k++] ? look : ch;
      else out += ch;
    }
  return out.trimEnd();
}

VARIANTS.push(
  {
    family: 'substitution',
    name: 'keyed substitution, lower case, spaces and punctuation removed',
    encode: (t) => keyed(KEY_B)(t.toLowerCase()).replace(/[^a-z]/g, ''),
    truth: { key: KEY_B },
  },
  { family: 'homoglyph', name: 'homoglyph bit-stego (Cyrillic lookalike = 1) in a cover text', encode: homoglyphBits, short: true },
  {
    family: 'chained',
    name: 'Walnut53 with "|", then the whole text reversed',
    encode: (t) => reverseAll(separated(WALNUT, '|', 'all')(t)),
    truth: { key: WALNUT },
  },
);

VARIANTS.push({ family: 'transposition', name: 'columnar transposition, keyword "mountain" (8 columns)', encode: columnar('mountain') });

/** The word order reversed, each word as it is (`split(' ').reverse().join(' ')`). */
export function wordOrderReversed(t: string): string {
  return t.split(' ').reverse().join(' ');
}

VARIANTS.push({ family: 'reversed', name: 'word order reversed, each word as it is', encode: wordOrderReversed });
