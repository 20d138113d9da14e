// The cheap screen every record of a file passes in the first pass (not only the sample): one scan of
// the record's bytes for the marks an encoding leaves on its surface, whatever its family. A record
// it flags is a suspect, and suspects are analysed in full beside the sample, so neither where an
// encoded row sits in the file nor how large the records are can keep it out of the analysis.
// The screen decides nothing: the analysis does.

/** What the screen looks for, as the reason it gives. */
type ScreenMark =
  'invisible' | 'styled' | 'symbols' | 'mixed-script' | 'long-run' | 'percent-run' | 'separated' | 'morse' | 'letters' | 'tokens' | 'lines' | 'word-order';

/**
 * Short words that Latin-script prose is full of (English, Spanish, French, German, Portuguese,
 * Italian, Dutch, Polish, Turkish, and code's own): a text whose two- and three-letter words are
 * almost never one of these has had its letters changed (a substitution, a shift, a reversal).
 */
const COMMON_SHORT = new Uint8Array(27 * 27 * 27);
for (const code of (
  'the of and to in is it you that he was for on are as with his they at be this or had by not but one all we can an her' +
  ' she him has its our out who how may any new now two way use see get set let if do no so up my me am us go de la el en' +
  ' los las del un una por con se es al lo le et les des du une est pas qui que il ne sur au der die und das den dem ein ist' +
  ' zu im mit von sie ich er auf nicht o os da do em um na no para com e i il di che non per del al nel ma ed het een van' +
  ' op te dat zijn met voor w z na nie jak to jest si ve bu bir ile da de mi ne var int for def var end nil new try use'
)
  .split(' ')
  .map(wordCode))
  COMMON_SHORT[code] = 1;

/**
 * Short words English puts before "the" or "a" and never after them ("of the", never "the of"): after
 * an article, one of these is a word pair turned round (the word order reversed).
 */
const AFTER_ARTICLE_TURNED = new Uint8Array(27 * 27 * 27);
for (const code of 'of in to on and for at by is was are if all as'.split(' ').map(wordCode)) AFTER_ARTICLE_TURNED[code] = 1;
const THE = wordCode('the');
const A = wordCode('a');

/** A short lower-case word as a number (a..z as 1..26, base 27). */
function wordCode(w: string): number {
  let code = 0;
  for (const ch of w) code = code * 27 + (ch.charCodeAt(0) - 96);
  return code;
}

/** A run of base64/base32/hex/binary characters this long is a mark (a hash or id is shorter). */
const LONG_RUN = 40;
/** A word of this many letters is no word of any language (a cipher written without spaces). */
const SPACELESS_RUN = 60;
/** This many `%XX` escapes in a row. */
const PERCENT_RUN = 8;
/** This many characters each followed by the same separator (`h|e|l|l|o`). */
const SEPARATED_RUN = 12;
/** This many Morse letters (dots and dashes) in a row. */
const MORSE_RUN = 12;
/**
 * A string of this many lines of prose (three words or more each) can carry a word or a letter per
 * line (last words, first words, acrostics); this many when a quarter of its lines end on a short
 * common word, as a hidden sentence's words do and a line of prose seldom does.
 */
const PROSE_LINES = 8;
const PROSE_LINES_COMMON_ENDS = 5;
/** This many words, almost none a short common word: a word codebook or a letter→word alphabet. */
const CODE_WORDS = 16;

// byte classes, one table lookup per byte
const LATIN = 1;
const DIGIT = 2;
const HEXA = 4;
const B64X = 8;
const SEP = 16;
const BOUND = 32;
const HIGH = 64;
const UPPER = 128;
const CLS = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  let k = 0;
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) k |= LATIN;
  if (c >= 0x41 && c <= 0x5a) k |= UPPER;
  if (c >= 0x30 && c <= 0x39) k |= DIGIT | HEXA;
  if ((c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)) k |= HEXA;
  if (c === 0x2b || c === 0x2f || c === 0x3d) k |= B64X;
  if ('|/\\~^*+#_-.,:;'.includes(String.fromCharCode(c))) k |= SEP;
  if (c === 0x20 || c === 0x22 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x5c) k |= BOUND;
  if (c >= 0x80) k |= HIGH;
  CLS[c] = k;
}

/**
 * The first mark of an encoding in a record's bytes (UTF-8, as stored), or undefined for a record
 * with none. One pass, a table lookup a byte; each JSON string's words are counted on their own (so
 * a text beside its own encoding, a plain/encoded pair, does not hide it), and a string whose digits,
 * marks or repeated letters stand out has its tokens' shapes read in a second pass over it alone.
 */
export function screenBytes(b: Uint8Array): ScreenMark | undefined {
  const n = b.length;
  // record-wide runs
  let run = 0;
  let runCase = 0;
  let runDigit = 0;
  let percent = 0;
  let sepRun = 0;
  let sepByte = -1;
  let morse = 0;
  let morseLetter = 0;
  let escapes = 0;
  let symbols = 0;
  let turned = 0;
  // per JSON string
  let strStart = 0;
  let letters = 0;
  let digits = 0;
  let marks = 0;
  let repeats = 0;
  let afterLetter = 0;
  let shortWords = 0;
  let commonWords = 0;
  let ayWords = 0;
  let longWords = 0;
  let words = 0;
  // the last word was "the" or "a" with a space after it
  let afterArticle = false;
  // a string that opens with a word and a stop ("May? …") and closes on a capitalized word ("… Natalia"): a sentence turned round
  let opensWithStop = false;
  let lastWordUpper = false;
  // per line of a JSON string (`\n` escapes) or of a CSV field (newlines)
  let lineWords = 0;
  let lastCommon = 0;
  // a line counts when it starts with a letter (not a list's number or bullet, not indented code)
  let lineStart = true;
  let lineLetter = 0;
  let proseLines = 0;
  let commonEnds = 0;
  // per word (letters in a row)
  let word = 0;
  let wordLen = 0;
  let wordAfterHigh = false;
  let prev = 0x20;
  let prevCls = BOUND;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    const cls = CLS[c]!;
    if (cls & LATIN) {
      // a `\n` escape ends a line (its `n` is no letter), and so does `\\n` (JSON inside a string: tool-call arguments)
      if (c === 0x6e && prev === 0x5c) {
        if (lineWords >= 3 && lineLetter) {
          proseLines++;
          commonEnds += lastCommon;
        }
        lineWords = lastCommon = lineLetter = 0;
        lineStart = true;
        prev = 0x20;
        prevCls = BOUND;
        continue;
      }
      // the commonest byte: a letter, and the word it starts read to its end at once
      if (lineStart) {
        lineLetter = 1;
        lineStart = false;
      }
      wordAfterHigh = (prevCls & HIGH) !== 0;
      lastWordUpper = (cls & UPPER) !== 0;
      let last = c;
      let code = (c | 0x20) - 96;
      let len = 1;
      let cases = cls & UPPER ? 1 : 2;
      let k = i + 1;
      for (; k < n; k++) {
        const d = b[k]!;
        const dc = CLS[d]!;
        if (!(dc & LATIN)) break;
        cases |= dc & UPPER ? 1 : 2;
        if (d === last) repeats++;
        if (len < 3) code = code * 27 + ((d | 0x20) - 96);
        len++;
        last = d;
      }
      // a long run of both cases, or of letters and digits (base64, hex): one word of one case is not
      runCase |= cases;
      run += len;
      if (run >= LONG_RUN && (runCase === 3 || runDigit > 0)) return 'long-run';
      // letters of one case with no space between words (a cipher without word boundaries)
      if (len >= SPACELESS_RUN) return 'long-run';
      word = code;
      wordLen = len;
      letters += len;
      morse = morseLetter = 0;
      prev = last;
      prevCls = CLS[last]!;
      i = k - 1;
      continue;
    }
    if (wordLen > 0) {
      // a short word (two or three letters between non-letters, not beside a non-ASCII letter)
      lastCommon = 0;
      if ((wordLen === 2 || wordLen === 3) && !(cls & HIGH) && !wordAfterHigh) {
        shortWords++;
        lastCommon = COMMON_SHORT[word]!;
        commonWords += lastCommon;
        // "the of", "a is": a pair turned round
        if (afterArticle && AFTER_ARTICLE_TURNED[word]) return 'word-order';
      }
      afterArticle = c === 0x20 && ((wordLen === 3 && word === THE) || (wordLen === 1 && word === A));
      // the string's first word (right after its opening quote), followed by a stop
      if (i - wordLen === strStart) opensWithStop = (c === 0x2e || c === 0x3f || c === 0x21) && b[i + 1] === 0x20;
      if (wordLen >= 2 && !(cls & HIGH) && !wordAfterHigh) {
        words++;
        lineWords++;
      }
      if (wordLen >= 3) {
        longWords++;
        if ((b[i - 2]! | 0x20) === 0x61 && (prev | 0x20) === 0x79) ayWords++;
      }
      word = 0;
      wordLen = 0;
    }
    if (c === 0x20) {
      // the next commonest: a space ends runs, and maybe a Morse letter (or a word in another script)
      if (prevCls & HIGH) lineWords++;
      run = runCase = runDigit = 0;
      if (!(prevCls & (HEXA | LATIN)) && prev !== 0x25) percent = 0;
      if (morseLetter > 0) {
        if (morseLetter <= 6 && ++morse >= MORSE_RUN) return 'morse';
        if (morseLetter > 6) morse = 0;
        morseLetter = 0;
      }
      prev = c;
      prevCls = cls;
      continue;
    }
    if (cls & HIGH) {
      if (lineStart) {
        lineLetter = 1;
        lineStart = false;
      }
      const c1 = b[i + 1] ?? 0;
      const c2 = b[i + 2] ?? 0;
      // U+200B-U+200F, U+2060-U+2064 (zero width); U+FE00-U+FE0F after an ASCII character
      if (c === 0xe2 && ((c1 === 0x80 && c2 >= 0x8b && c2 <= 0x8f) || (c1 === 0x81 && c2 >= 0xa0 && c2 <= 0xa4))) return 'invisible';
      if (c === 0xef && c1 === 0xb8 && c2 >= 0x80 && c2 <= 0x8f && prev < 0x80) return 'invisible';
      // U+E0000-U+E01EF (tags, variation selectors 17+)
      if (c === 0xf3 && c1 === 0xa0 && c2 >= 0x80 && c2 <= 0x87) return 'invisible';
      // U+1D400-U+1D7FF (mathematical alphanumerics)
      if (c === 0xf0 && c1 === 0x9d && c2 >= 0x90 && c2 <= 0x9f) return 'styled';
      // full-width letters, eight in a row
      if (c === 0xef && ((c1 === 0xbc && c2 >= 0xa1 && c2 <= 0xba) || (c1 === 0xbd && c2 >= 0x81 && c2 <= 0x9a)) && fullWidthRun(b, i) >= 8) return 'styled';
      // emoji and signs, turned letters (U+0250-U+02AF, ǝ)
      if (((c === 0xf0 && c1 === 0x9f) || (c === 0xe2 && c1 >= 0x98 && c1 <= 0x9b)) && ++symbols >= 24) return 'symbols';
      if (((c === 0xc9 && c1 >= 0x90) || (c === 0xca && c1 <= 0xaf) || (c === 0xc7 && c1 === 0x9d)) && ++turned >= 8) return 'styled';
      // Cyrillic or Greek right beside a Latin letter, inside one word
      if ((c === 0xd0 || c === 0xd1 || c === 0xce || c === 0xcf) && ((prevCls & LATIN) !== 0 || (CLS[b[i + 2] ?? 0]! & LATIN) !== 0)) return 'mixed-script';
      run = runCase = runDigit = percent = sepRun = morse = morseLetter = 0;
      afterArticle = false;
      prev = c;
      prevCls = cls;
      continue;
    }
    lineStart = false;
    afterArticle = false;
    // a newline (a CSV field's) or the end of a JSON string ends a line
    const stringEnd = c === 0x22 && prev !== 0x5c;
    if (c === 0x0a || stringEnd) {
      if (lineWords >= 3 && lineLetter) {
        proseLines++;
        commonEnds += lastCommon;
      }
      lineWords = lastCommon = lineLetter = 0;
      lineStart = true;
    }
    // runs of an encoding's alphabet
    if (cls & (DIGIT | B64X)) {
      run++;
      if (cls & DIGIT) runDigit = 1;
      if (run >= LONG_RUN && (runCase === 3 || runDigit > 0)) return 'long-run';
    } else run = runCase = runDigit = 0;
    if (cls & DIGIT) {
      digits++;
      if (prevCls & LATIN) afterLetter++;
    } else if (!(cls & BOUND) && c !== 0x20) marks++;
    // %XX escapes in a row
    if (c === 0x25) {
      if (CLS[b[i + 1] ?? 0]! & HEXA && CLS[b[i + 2] ?? 0]! & HEXA) {
        if (++percent >= PERCENT_RUN) return 'percent-run';
      } else percent = 0;
    } else if (!(cls & DIGIT) && !(CLS[prev]! & (HEXA | LATIN)) && prev !== 0x25) percent = 0;
    // `\x68` escapes in a row
    if (c === 0x78 && prev === 0x5c && CLS[b[i + 1] ?? 0]! & HEXA && CLS[b[i + 2] ?? 0]! & HEXA && ++escapes >= 10) return 'long-run';
    // `\u200b`-style JSON escapes of the invisible characters
    if (c === 0x5c && b[i + 1] === 0x75 && invisibleEscape(b, i + 2)) return 'invisible';
    // one character, then the same separator, again and again (a separated space too: `a| |b`)
    if (cls & SEP) {
      const before = i >= 2 ? b[i - 2]! : 0x20;
      const single = !(prevCls & (SEP | HIGH)) && (before === c || (prev !== 0x20 && before === 0x20));
      if (single && c === sepByte) sepRun++;
      else if (single) {
        sepByte = c;
        sepRun = 1;
      } else sepRun = 0;
      if (sepRun >= SEPARATED_RUN) return 'separated';
    }
    // Morse: letters of dots and dashes between spaces, slashes or bars
    if (c === 0x2e || c === 0x2d) morseLetter++;
    else if (c === 0x20 || c === 0x2f || c === 0x7c) {
      if (morseLetter > 0) {
        if (morseLetter <= 6 && ++morse >= MORSE_RUN) return 'morse';
        if (morseLetter > 6) morse = 0;
        morseLetter = 0;
      }
    } else morse = morseLetter = 0;
    // a JSON string ends at an unescaped quote: its words, then (where they stand out) its tokens
    if (stringEnd) {
      if (opensWithStop && words >= 6 && prevCls & LATIN && lastWordUpper && (prevCls & UPPER) === 0) return 'word-order';
      const mark =
        lineMark(proseLines, commonEnds, words, commonWords) ??
        stringMark(b, strStart, i, letters, digits, marks, repeats, afterLetter, shortWords, commonWords, ayWords, longWords);
      if (mark) return mark;
      strStart = i + 1;
      letters = digits = marks = repeats = afterLetter = shortWords = commonWords = ayWords = longWords = words = 0;
      opensWithStop = false;
      proseLines = commonEnds = 0;
    }
    prev = c;
    prevCls = cls;
  }
  // the record ends as a JSON string does: its last word, then its last string
  if (wordLen > 0) {
    lastCommon = 0;
    if ((wordLen === 2 || wordLen === 3) && !wordAfterHigh) {
      shortWords++;
      lastCommon = COMMON_SHORT[word]!;
      commonWords += lastCommon;
    }
    if (wordLen >= 2 && !wordAfterHigh) {
      words++;
      lineWords++;
    }
    if (wordLen >= 3) {
      longWords++;
      if ((b[n - 2]! | 0x20) === 0x61 && (prev | 0x20) === 0x79) ayWords++;
    }
  } else if (prevCls & HIGH) lineWords++;
  if (prev === 0x5c) return undefined;
  if (lineWords >= 3 && lineLetter) {
    proseLines++;
    commonEnds += lastCommon;
  }
  return (
    lineMark(proseLines, commonEnds, words, commonWords) ??
    stringMark(b, strStart, n, letters, digits, marks, repeats, afterLetter, shortWords, commonWords, ayWords, longWords)
  );
}

/**
 * The mark a JSON string's lines and words give: enough lines of prose to carry a word or a letter
 * per line, or many words almost none of which is a short common one (a codebook, a word alphabet).
 */
function lineMark(proseLines: number, commonEnds: number, words: number, commonWords: number): ScreenMark | undefined {
  if (proseLines >= PROSE_LINES || (proseLines >= PROSE_LINES_COMMON_ENDS && commonEnds >= 0.25 * proseLines)) return 'lines';
  if (words >= CODE_WORDS && commonWords <= 0.04 * words) return 'letters';
  return undefined;
}

/** The mark a JSON string's counts give (its words, then where they stand out its tokens' shapes). */
function stringMark(
  b: Uint8Array,
  from: number,
  to: number,
  letters: number,
  digits: number,
  marks: number,
  repeats: number,
  afterLetter: number,
  shortWords: number,
  commonWords: number,
  ayWords: number,
  longWords: number,
): ScreenMark | undefined {
  if (shortWords >= 6 && commonWords < 0.15 * shortWords) return 'letters';
  if (longWords >= 8 && ayWords >= 0.35 * longWords) return 'tokens';
  const visible = letters + digits + marks;
  if (visible >= 16 && (digits + marks >= 0.3 * visible || afterLetter >= 4 || repeats >= 0.25 * letters)) return tokenShapes(b, from, to);
  return undefined;
}

/**
 * The shapes of one string's tokens (split at white space and `\n`-style escapes): hex pairs, 8-bit
 * bytes or 1-2 digit numbers in a row; numbers joined by one separator (`8-5-12`); letters written
 * two or three times over; digits inside words (leetspeak); letters, digits and marks mixed (ROT47).
 */
function tokenShapes(b: Uint8Array, from: number, to: number): ScreenMark | undefined {
  let hexRun = 0;
  let binRun = 0;
  let numRun = 0;
  let joined = 0;
  let doubled = 0;
  let leet = 0;
  let mixed = 0;
  let words = 0;
  let tokens = 0;
  let i = from;
  while (i < to) {
    while (i < to && (b[i] === 0x20 || b[i] === 0x5c)) i += b[i] === 0x5c ? 2 : 1;
    let end = i;
    while (end < to && b[end] !== 0x20 && b[end] !== 0x5c) end++;
    let last = end;
    while (last > i && (b[last - 1] === 0x2c || b[last - 1] === 0x2e || b[last - 1] === 0x3a || b[last - 1] === 0x3b)) last--;
    const len = last - i;
    if (len > 0) {
      tokens++;
      let l = 0;
      let d = 0;
      let m = 0;
      let hex = 0;
      let bin = 0;
      let seps = 0;
      let high = false;
      let inside = false;
      let d2 = true;
      let d3 = true;
      for (let k = i; k < last; k++) {
        const c = b[k]!;
        const cls = CLS[c]!;
        if (cls & HIGH) high = true;
        else if (cls & LATIN) l++;
        else if (cls & DIGIT) {
          d++;
          if (k > i && k + 1 < last && CLS[b[k - 1]!]! & LATIN && CLS[b[k + 1]!]! & LATIN) inside = true;
        } else {
          m++;
          if (c === 0x2d || c === 0x2e || c === 0x2c) seps++;
        }
        if (cls & HEXA) hex++;
        if (c === 0x30 || c === 0x31) bin++;
        const at = k - i;
        if (at % 2 === 1 && c !== b[k - 1]) d2 = false;
        if (at % 3 !== 0 && c !== b[k - 1]) d3 = false;
      }
      if (high) hexRun = binRun = numRun = 0;
      else {
        hexRun = len === 2 && hex === 2 ? hexRun + 1 : 0;
        binRun = len === 8 && bin === 8 ? binRun + 1 : 0;
        numRun = len <= 2 && d === len ? numRun + 1 : len === 1 && m === 1 ? numRun : 0;
        if (hexRun >= 12 || binRun >= 6 || numRun >= 15) return 'tokens';
        if (d >= 3 && seps >= 2 && l === 0 && d + seps === len) joined++;
        if (l >= 3) words++;
        if (inside && l >= 2) leet++;
        if (len >= 3 && l > 0 && d > 0 && m > 0) mixed++;
        if (l >= 4 && l === len && ((d2 && len % 2 === 0) || (d3 && len % 3 === 0))) doubled++;
      }
    }
    i = end;
  }
  if (joined >= 4) return 'tokens';
  if (doubled >= 4 && doubled >= 0.5 * words) return 'tokens';
  if (leet >= 4 && leet >= 0.2 * words) return 'tokens';
  if (mixed >= 5 && mixed >= 0.3 * tokens) return 'tokens';
  return undefined;
}

/** Full-width characters in a row from `at` (3 bytes each). */
function fullWidthRun(b: Uint8Array, at: number): number {
  let k = 0;
  for (let i = at; i + 2 < b.length && b[i] === 0xef && (b[i + 1] === 0xbc || b[i + 1] === 0xbd || b[i + 1] === 0x80); i += 3) k++;
  return k;
}

/** `200b`..`200f`, `2060`..`2064`, `fe0X`, `db40` (a tag's high surrogate) after `\u`, either case. */
function invisibleEscape(b: Uint8Array, at: number): boolean {
  const h = (k: number) => (b[at + k] ?? 0) | 0x20;
  if (h(0) === 0x32 && h(1) === 0x30 && h(2) === 0x30) return h(3) >= 0x62 && h(3) <= 0x66;
  if (h(0) === 0x32 && h(1) === 0x30 && h(2) === 0x36) return h(3) >= 0x30 && h(3) <= 0x34;
  if (h(0) === 0x66 && h(1) === 0x65 && h(2) === 0x30) return true;
  return h(0) === 0x64 && h(1) === 0x62 && h(2) === 0x34 && h(3) === 0x30;
}
