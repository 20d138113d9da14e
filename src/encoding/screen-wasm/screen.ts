// The screen's byte scan (see ../screen.ts, which loads it), in AssemblyScript compiled to
// WebAssembly: one pass over a record's bytes for the marks an encoding leaves on its surface. It runs
// on every byte of every record, so it must run at one steady speed; the same scan in JavaScript ran
// at half that speed or less whenever the engine compiled its loop from the middle (on-stack
// replacement), which happened or not from run to run. Built by `npm run build:screen` into
// binary.ts; a test checks that binary.ts is this file's build.
//
// The record lies at `at`, with 8 zero bytes before and after it (a byte read past either end reads
// as 0, as an absent byte reads in the JavaScript it came from). The word tables are filled by the
// host (see ../screen.ts) before the first call.
//
// Built twice: with WebAssembly's 128-bit vectors (`--enable simd`), a word's letters are read 16 at
// a time; without them (an engine that lacks them), one at a time. Both builds give the same marks.
// Plain prose, word after word with one space between, is counted in a loop of its own (proseRun):
// most bytes of most records are such words, and that loop holds a few counts where the full scan
// holds all of them. Both are shortcuts (SHORTCUTS): the scan without them reads every byte in the
// main loop, and a test checks that it gives the same marks.

/** The vector read of a word's letters and the prose loop; false only in a test's build, which checks they change no mark. */
const SHORTCUTS: bool = true;

// marks, in ScreenMark's order (0: none)
const INVISIBLE: i32 = 1;
const STYLED: i32 = 2;
const SYMBOLS: i32 = 3;
const MIXED_SCRIPT: i32 = 4;
const LONG_RUN_MARK: i32 = 5;
const PERCENT_RUN_MARK: i32 = 6;
const SEPARATED: i32 = 7;
const MORSE: i32 = 8;
const LETTERS: i32 = 9;
const TOKENS: i32 = 10;
const LINES: i32 = 11;
const WORD_ORDER: i32 = 12;
const SENTENCES: i32 = 13;

/** A run of base64/base32/hex/binary characters this long is a mark (a hash or id is shorter). */
const LONG_RUN: i32 = 40;
/** A word of this many letters is no word of any language (a cipher written without spaces). */
const SPACELESS_RUN: i32 = 60;
/** This many `%XX` (or quoted-printable `=XX`) escapes in a row. */
const PERCENT_RUN: i32 = 8;
/** This many characters each followed by the same separator (`h|e|l|l|o`). */
const SEPARATED_RUN: i32 = 12;
/** This many Morse letters (dots and dashes) in a row. */
const MORSE_RUN: i32 = 12;
/** Lines of prose that can carry a word or a letter per line; fewer when a quarter end on a short common word. */
const PROSE_LINES: i32 = 8;
const PROSE_LINES_COMMON_ENDS: i32 = 5;
/** This many words, almost none a short common word: a word codebook or a letter→word alphabet. */
const CODE_WORDS: i32 = 16;
/**
 * This many sentences opening with a capital after a stop, in one string, whose initials run as
 * English letters do (this share of their neighbouring pairs common English pairs): a letter each
 * (an acrostic in prose). The initials of ordinary sentences run so in about a fifth of long texts,
 * those of an English message in nine of ten.
 */
const SENTENCE_OPENINGS: i32 = 9;
const INITIAL_PAIRS_SHARE: f64 = 0.7;

// byte classes, one table lookup per byte
const LATIN: i32 = 1;
const DIGIT: i32 = 2;
const HEXA: i32 = 4;
const B64X: i32 = 8;
const SEP: i32 = 16;
const BOUND: i32 = 32;
const HIGH: i32 = 64;
const UPPER: i32 = 128;

const CLS: usize = memory.data(256);
/** Short common words as numbers (a..z as 1..26, base 27), filled by the host. */
const COMMON_SHORT: usize = memory.data(27 * 27 * 27);
/** Short words that never follow "the" or "a" in English, filled by the host. */
const AFTER_ARTICLE_TURNED: usize = memory.data(27 * 27 * 27);
/** Common English letter pairs (27 × first + second), filled by the host. */
const COMMON_PAIRS: usize = memory.data(27 * 27);
const SEPARATORS = '|/\\~^*+#_-.,:;';

for (let c: i32 = 0; c < 256; c++) {
  let k: i32 = 0;
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) k |= LATIN;
  if (c >= 0x41 && c <= 0x5a) k |= UPPER;
  if (c >= 0x30 && c <= 0x39) k |= DIGIT | HEXA;
  if ((c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)) k |= HEXA;
  if (c === 0x2b || c === 0x2f || c === 0x3d) k |= B64X;
  for (let s = 0; s < SEPARATORS.length; s++) if (SEPARATORS.charCodeAt(s) === c) k |= SEP;
  if (c === 0x20 || c === 0x22 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x5c) k |= BOUND;
  if (c >= 0x80) k |= HIGH;
  store<u8>(CLS + <usize>c, <u8>k);
}

/**
 * Where the host writes a record of `n` bytes, with 8 zero bytes before it and after it: always the
 * same place, past the static data, the memory grown to hold the largest record so far (nothing is
 * allocated, so nothing is left behind). 0 when the memory cannot grow that far.
 */
export function input(n: i32): usize {
  const block = (__heap_base + 15) & ~(<usize>15);
  // 16 more bytes: a vector read of a word's letters ending at the record's end reads past the zeros
  // after it (what it reads there is not used: the zeros end the word)
  const end = block + 32 + <usize>n;
  const size = (<usize>memory.size()) << 16;
  if (end > size && memory.grow(<i32>((end - size + 0xffff) >>> 16)) < 0) return 0;
  memory.fill(block, 0, 8);
  memory.fill(block + 8 + <usize>n, 0, 8);
  return block + 8;
}

/** Where the host writes the common-word table (27³ bytes, 1 for a common word's number). */
export function commonTable(): usize {
  return COMMON_SHORT;
}

/** Where the host writes the table of words turned round after an article (27³ bytes). */
export function turnedTable(): usize {
  return AFTER_ARTICLE_TURNED;
}

/** Where the host writes the table of common English letter pairs (27² bytes). */
export function pairTable(): usize {
  return COMMON_PAIRS;
}

function cls(c: i32): i32 {
  return <i32>load<u8>(CLS + <usize>c);
}

function at(b: usize, i: i32): i32 {
  return <i32>load<u8>(b + <usize>i);
}

const THE: i32 = (20 * 27 + 8) * 27 + 5;
const A: i32 = 1;

// what readWord found besides the word's end
let wordCode: i32 = 0;
let wordCases: i32 = 0;
let wordRepeats: i32 = 0;

/** The end of the word of letters that starts at `i`; its first three letters as a number, its cases (1 upper, 2 lower), its letters repeated. */
function readWord(b: usize, i: i32, n: i32): i32 {
  const k = ASC_FEATURE_SIMD && SHORTCUTS ? readLettersVector(b, i) : readLetters(b, i, n);
  const len = k - i;
  let code = (at(b, i) | 0x20) - 96;
  if (len >= 2) code = code * 27 + ((at(b, i + 1) | 0x20) - 96);
  if (len >= 3) code = code * 27 + ((at(b, i + 2) | 0x20) - 96);
  wordCode = code;
  return k;
}

/** readWord's letters one at a time: the word's end, its cases and repeated letters (into the globals). */
function readLetters(b: usize, i: i32, n: i32): i32 {
  let last = at(b, i);
  let cases: i32 = cls(last) & UPPER ? 1 : 2;
  let repeats: i32 = 0;
  let k = i + 1;
  for (; k < n; k++) {
    const d = at(b, k);
    const dc = cls(d);
    if (!(dc & LATIN)) break;
    cases |= dc & UPPER ? 1 : 2;
    if (d === last) repeats++;
    last = d;
  }
  wordCases = cases;
  wordRepeats = repeats;
  return k;
}

/**
 * readWord's letters 16 at a time: one mask of the letters, one of the capitals, one of the bytes
 * equal to the byte before; the word ends at the first byte that is no letter (the zeros after the
 * record end it there).
 */
function readLettersVector(b: usize, i: i32): i32 {
  let cases: i32 = 0;
  let repeats: i32 = 0;
  // the word's first letter has no letter before it to repeat
  let notFirst: i32 = ~1;
  let k = i;
  for (;;) {
    const v = v128.load(b + <usize>k);
    const before = v128.load(b + <usize>k - 1);
    const letters = i8x16.bitmask(i8x16.lt_u(i8x16.sub(v128.or(v, i8x16.splat(0x20)), i8x16.splat(0x61)), i8x16.splat(26)));
    const capitals = i8x16.bitmask(i8x16.lt_u(i8x16.sub(v, i8x16.splat(0x41)), i8x16.splat(26)));
    const same = i8x16.bitmask(i8x16.eq(v, before));
    const run = <i32>ctz<u32>(~letters);
    const word = run >= 16 ? 0xffff : (1 << run) - 1;
    if (capitals & word) cases |= 1;
    if (letters & ~capitals & word) cases |= 2;
    repeats += <i32>popcnt<u32>(same & word & notFirst);
    notFirst = -1;
    if (run < 16) {
      k += run;
      break;
    }
    k += 16;
  }
  wordCases = cases;
  wordRepeats = repeats;
  return k;
}

// what proseRun counted, for the caller to add to its own counts
let proseLetters: i32 = 0;
let proseRepeats: i32 = 0;
let proseShort: i32 = 0;
let proseCommon: i32 = 0;
let proseLastCommon: i32 = 0;
let proseWords: i32 = 0;
let proseLong: i32 = 0;
let proseAy: i32 = 0;
let proseAfterArticle = false;
/** The end of the word proseRun stopped at (its counts are in wordCode, wordCases, wordRepeats). */
let proseEnd: i32 = 0;

/**
 * Plain prose, the common case, counted in a loop of its own: from the word at `i` (after a space, with
 * no dense run, stop or line start pending), each word followed by one space and another word. Says
 * where the first word not so followed starts (`i` when it is the first), which the caller counts
 * itself from what this read of it (its end in proseEnd, the rest in readWord's globals), or -1 for a
 * word pair turned round (see AFTER_ARTICLE_TURNED).
 */
function proseRun(b: usize, i: i32, n: i32, afterArticle: bool): i32 {
  let letters: i32 = 0;
  let repeats: i32 = 0;
  let short: i32 = 0;
  let common: i32 = 0;
  let lastCommon: i32 = 0;
  let words: i32 = 0;
  let long: i32 = 0;
  let ay: i32 = 0;
  let article = afterArticle;
  for (;;) {
    const k = readWord(b, i, n);
    const len = k - i;
    if (len >= LONG_RUN || at(b, k) !== 0x20 || !(cls(at(b, k + 1)) & LATIN)) {
      proseEnd = k;
      break;
    }
    const word = wordCode;
    lastCommon = 0;
    if (len === 2 || len === 3) {
      short++;
      lastCommon = <i32>load<u8>(COMMON_SHORT + <usize>word);
      common += lastCommon;
      if (article && load<u8>(AFTER_ARTICLE_TURNED + <usize>word)) return -1;
    }
    article = (len === 3 && word === THE) || (len === 1 && word === A);
    if (len >= 2) words++;
    if (len >= 3) {
      long++;
      if ((at(b, k - 2) | 0x20) === 0x61 && (at(b, k - 1) | 0x20) === 0x79) ay++;
    }
    letters += len;
    repeats += wordRepeats;
    i = k + 1;
  }
  proseLetters = letters;
  proseRepeats = repeats;
  proseShort = short;
  proseCommon = common;
  proseLastCommon = lastCommon;
  proseWords = words;
  proseLong = long;
  proseAy = ay;
  proseAfterArticle = article;
  return i;
}

/** The first mark of an encoding in the record of `n` bytes at `b` (see ../screen.ts), or 0. */
export function screen(b: usize, n: i32): i32 {
  // record-wide runs
  let run: i32 = 0;
  let runCase: i32 = 0;
  let runDigit: i32 = 0;
  let percent: i32 = 0;
  // quoted-printable's `=XX` escapes in a row
  let quoted: i32 = 0;
  let sepRun: i32 = 0;
  let sepByte: i32 = -1;
  let morse: i32 = 0;
  let morseLetter: i32 = 0;
  let escapes: i32 = 0;
  let symbols: i32 = 0;
  let turned: i32 = 0;
  // per JSON string
  let strStart: i32 = 0;
  let letters: i32 = 0;
  let digits: i32 = 0;
  let marks: i32 = 0;
  let repeats: i32 = 0;
  let afterLetter: i32 = 0;
  let shortWords: i32 = 0;
  let commonWords: i32 = 0;
  let ayWords: i32 = 0;
  let longWords: i32 = 0;
  let words: i32 = 0;
  let afterArticle = false;
  let opensWithStop = false;
  let lastWordUpper = false;
  // per line
  let lineWords: i32 = 0;
  let lastCommon: i32 = 0;
  let lineStart = true;
  let lineLetter: i32 = 0;
  let proseLines: i32 = 0;
  let commonEnds: i32 = 0;
  // per word
  let word: i32 = 0;
  let wordLen: i32 = 0;
  let wordAfterHigh = false;
  let prev: i32 = 0x20;
  let prevCls: i32 = BOUND;
  // a dense run: printable ASCII without white space inside one string (base85 writes letters of
  // both cases, digits and marks so)
  let dense: i32 = 0;
  // sentences: where the last stop (`.`, `!`, `?`) stood, whether white space followed it, openings counted
  let stopAt: i32 = -9;
  let afterStop = false;
  let sentences: i32 = 0;
  let lastInitial: i32 = 0;
  let initialPairs: i32 = 0;
  let commonInitialPairs: i32 = 0;
  let denseLetters: i32 = 0;
  let denseMarks: i32 = 0;
  let denseDigits: i32 = 0;
  let denseCases: i32 = 0;
  for (let i: i32 = 0; i < n; i++) {
    const c = at(b, i);
    const k0 = cls(c);
    if (k0 & LATIN) {
      let k: i32;
      // a word after a space, nothing pending but the word counts: plain prose, counted by proseRun as
      // the lines below would count it (its words' spaces reset the runs, and end no line or sentence).
      // After a space no dense run is open and no string starts (a `\n` escape also leaves prev a space,
      // with a line opened).
      if (SHORTCUTS && prev === 0x20 && !lineStart && !afterStop) {
        const j = proseRun(b, i, n, afterArticle);
        if (j < 0) return WORD_ORDER;
        if (j > i) {
          letters += proseLetters;
          repeats += proseRepeats;
          shortWords += proseShort;
          commonWords += proseCommon;
          lastCommon = proseLastCommon;
          afterArticle = proseAfterArticle;
          words += proseWords;
          lineWords += proseWords;
          longWords += proseLong;
          ayWords += proseAy;
          morse = morseLetter = 0;
          run = runCase = runDigit = 0;
          i = j;
        }
        // the word proseRun stopped at (after a space, so it opens no line or sentence), as it read it
        wordAfterHigh = false;
        lastWordUpper = (cls(at(b, i)) & UPPER) !== 0;
        k = proseEnd;
      } else {
        // `\xHH`, a byte escape written in the text (after a backslash, so never in proseRun): ten are a mark
        if (c === 0x78 && prev === 0x5c && cls(at(b, i + 1)) & HEXA && cls(at(b, i + 2)) & HEXA && ++escapes >= 10) return LONG_RUN_MARK;
        if (c === 0x6e && prev === 0x5c) {
          if (lineWords >= 3 && lineLetter) {
            proseLines++;
            commonEnds += lastCommon;
          }
          lineWords = lastCommon = lineLetter = 0;
          lineStart = true;
          prev = 0x20;
          prevCls = BOUND;
          afterStop = stopAt === i - 2;
          if (denseRun(dense, denseLetters, denseMarks, denseDigits, denseCases)) return LONG_RUN_MARK;
          dense = denseLetters = denseMarks = denseDigits = denseCases = 0;
          continue;
        }
        if (lineStart) {
          lineLetter = 1;
          lineStart = false;
        }
        wordAfterHigh = (prevCls & HIGH) !== 0;
        if ((afterStop || i === strStart) && k0 & UPPER) {
          sentences++;
          const initial = c - 0x40;
          if (lastInitial) {
            initialPairs++;
            commonInitialPairs += <i32>load<u8>(COMMON_PAIRS + <usize>(lastInitial * 27 + initial));
          }
          lastInitial = initial;
        }
        afterStop = false;
        lastWordUpper = (k0 & UPPER) !== 0;
        k = readWord(b, i, n);
      }
      const last = at(b, k - 1);
      const len = k - i;
      repeats += wordRepeats;
      runCase |= wordCases;
      run += len;
      if (run >= LONG_RUN && (runCase === 3 || runDigit > 0)) return LONG_RUN_MARK;
      if (len >= SPACELESS_RUN) return LONG_RUN_MARK;
      word = wordCode;
      wordLen = len;
      letters += len;
      dense += len;
      denseLetters += len;
      denseCases |= wordCases;
      morse = morseLetter = 0;
      prev = last;
      prevCls = cls(last);
      i = k - 1;
      continue;
    }
    if (wordLen > 0) {
      lastCommon = 0;
      if ((wordLen === 2 || wordLen === 3) && !(k0 & HIGH) && !wordAfterHigh) {
        shortWords++;
        lastCommon = <i32>load<u8>(COMMON_SHORT + <usize>word);
        commonWords += lastCommon;
        if (afterArticle && load<u8>(AFTER_ARTICLE_TURNED + <usize>word)) return WORD_ORDER;
      }
      afterArticle = c === 0x20 && ((wordLen === 3 && word === THE) || (wordLen === 1 && word === A));
      if (i - wordLen === strStart) opensWithStop = (c === 0x2e || c === 0x3f || c === 0x21) && at(b, i + 1) === 0x20;
      if (wordLen >= 2 && !(k0 & HIGH) && !wordAfterHigh) {
        words++;
        lineWords++;
      }
      if (wordLen >= 3) {
        longWords++;
        if ((at(b, i - 2) | 0x20) === 0x61 && (prev | 0x20) === 0x79) ayWords++;
      }
      word = 0;
      wordLen = 0;
    }
    if (c === 0x20) {
      afterStop = stopAt === i - 1;
      if (denseRun(dense, denseLetters, denseMarks, denseDigits, denseCases)) return LONG_RUN_MARK;
      dense = denseLetters = denseMarks = denseDigits = denseCases = 0;
      if (prevCls & HIGH) lineWords++;
      run = runCase = runDigit = 0;
      if (!(prevCls & (HEXA | LATIN)) && prev !== 0x25) percent = 0;
      if (!(prevCls & (HEXA | LATIN)) && prev !== 0x3d) quoted = 0;
      if (morseLetter > 0) {
        if (morseLetter <= 6 && ++morse >= MORSE_RUN) return MORSE;
        if (morseLetter > 6) morse = 0;
        morseLetter = 0;
      }
      prev = c;
      prevCls = k0;
      continue;
    }
    if (k0 & HIGH) {
      if (denseRun(dense, denseLetters, denseMarks, denseDigits, denseCases)) return LONG_RUN_MARK;
      dense = denseLetters = denseMarks = denseDigits = denseCases = 0;
      if (lineStart) {
        lineLetter = 1;
        lineStart = false;
      }
      const c1 = at(b, i + 1);
      const c2 = at(b, i + 2);
      if (c === 0xe2 && ((c1 === 0x80 && c2 >= 0x8b && c2 <= 0x8f) || (c1 === 0x81 && c2 >= 0xa0 && c2 <= 0xa4))) return INVISIBLE;
      if (c === 0xef && c1 === 0xb8 && c2 >= 0x80 && c2 <= 0x8f && prev < 0x80) return INVISIBLE;
      if (c === 0xf3 && c1 === 0xa0 && c2 >= 0x80 && c2 <= 0x87) return INVISIBLE;
      if (c === 0xf0 && c1 === 0x9d && c2 >= 0x90 && c2 <= 0x9f) return STYLED;
      if (c === 0xef && ((c1 === 0xbc && c2 >= 0xa1 && c2 <= 0xba) || (c1 === 0xbd && c2 >= 0x81 && c2 <= 0x9a)) && fullWidthRun(b, i, n) >= 8) return STYLED;
      // emoji, signs and dingbats, braille patterns (U+2800-U+28FF)
      if (((c === 0xf0 && c1 === 0x9f) || (c === 0xe2 && ((c1 >= 0x98 && c1 <= 0x9b) || (c1 >= 0xa0 && c1 <= 0xa3)))) && ++symbols >= 24) return SYMBOLS;
      if (((c === 0xc9 && c1 >= 0x90) || (c === 0xca && c1 <= 0xaf) || (c === 0xc7 && c1 === 0x9d)) && ++turned >= 8) return STYLED;
      if ((c === 0xd0 || c === 0xd1 || c === 0xce || c === 0xcf) && ((prevCls & LATIN) !== 0 || (cls(c2) & LATIN) !== 0)) return MIXED_SCRIPT;
      run = runCase = runDigit = percent = sepRun = morse = morseLetter = 0;
      afterArticle = false;
      prev = c;
      prevCls = k0;
      continue;
    }
    lineStart = false;
    afterArticle = false;
    afterStop = false;
    // a stop after a digit numbers a list item (`2. Squats`), it ends no sentence
    if ((c === 0x2e || c === 0x21 || c === 0x3f) && !(prevCls & DIGIT)) stopAt = i;
    const stringEnd = c === 0x22 && prev !== 0x5c;
    if (stringEnd || c < 0x20) {
      if (denseRun(dense, denseLetters, denseMarks, denseDigits, denseCases)) return LONG_RUN_MARK;
      dense = denseLetters = denseMarks = denseDigits = denseCases = 0;
    } else {
      dense++;
      if (k0 & DIGIT) denseDigits++;
      else denseMarks++;
    }
    if (c === 0x0a || stringEnd) {
      if (lineWords >= 3 && lineLetter) {
        proseLines++;
        commonEnds += lastCommon;
      }
      lineWords = lastCommon = lineLetter = 0;
      lineStart = true;
    }
    if (k0 & (DIGIT | B64X)) {
      run++;
      if (k0 & DIGIT) runDigit = 1;
      if (run >= LONG_RUN && (runCase === 3 || runDigit > 0)) return LONG_RUN_MARK;
    } else run = runCase = runDigit = 0;
    if (k0 & DIGIT) {
      digits++;
      if (prevCls & LATIN) afterLetter++;
    } else if (!(k0 & BOUND) && c !== 0x20) marks++;
    if (c === 0x25) {
      if (cls(at(b, i + 1)) & HEXA && cls(at(b, i + 2)) & HEXA) {
        if (++percent >= PERCENT_RUN) return PERCENT_RUN_MARK;
      } else percent = 0;
    } else if (!(k0 & DIGIT) && !(cls(prev) & (HEXA | LATIN)) && prev !== 0x25) percent = 0;
    if (c === 0x3d) {
      if (cls(at(b, i + 1)) & HEXA && cls(at(b, i + 2)) & HEXA) {
        if (++quoted >= PERCENT_RUN) return PERCENT_RUN_MARK;
      } else quoted = 0;
    } else if (!(k0 & DIGIT) && !(cls(prev) & (HEXA | LATIN)) && prev !== 0x3d) quoted = 0;
    if (c === 0x5c && at(b, i + 1) === 0x75 && invisibleEscape(b, i + 2)) return INVISIBLE;
    if (k0 & SEP) {
      const before = i >= 2 ? at(b, i - 2) : 0x20;
      const single = !(prevCls & (SEP | HIGH)) && (before === c || (prev !== 0x20 && before === 0x20));
      if (single && c === sepByte) sepRun++;
      else if (single) {
        sepByte = c;
        sepRun = 1;
      } else sepRun = 0;
      if (sepRun >= SEPARATED_RUN) return SEPARATED;
    }
    if (c === 0x2e || c === 0x2d) morseLetter++;
    else if (c === 0x20 || c === 0x2f || c === 0x7c) {
      if (morseLetter > 0) {
        if (morseLetter <= 6 && ++morse >= MORSE_RUN) return MORSE;
        if (morseLetter > 6) morse = 0;
        morseLetter = 0;
      }
    } else morse = morseLetter = 0;
    if (stringEnd) {
      if (opensWithStop && words >= 6 && prevCls & LATIN && lastWordUpper && (prevCls & UPPER) === 0) return WORD_ORDER;
      let mark = lineMark(proseLines, commonEnds, words, commonWords);
      if (!mark) mark = stringMark(b, strStart, i, letters, digits, marks, repeats, afterLetter, shortWords, commonWords, ayWords, longWords);
      if (mark) return mark;
      if (sentenceInitials(sentences, initialPairs, commonInitialPairs)) return SENTENCES;
      sentences = lastInitial = initialPairs = commonInitialPairs = 0;
      strStart = i + 1;
      letters = digits = marks = repeats = afterLetter = shortWords = commonWords = ayWords = longWords = words = 0;
      opensWithStop = false;
      proseLines = commonEnds = 0;
    }
    prev = c;
    prevCls = k0;
  }
  // the record ends as a JSON string does: its last word, then its last string
  if (wordLen > 0) {
    lastCommon = 0;
    if ((wordLen === 2 || wordLen === 3) && !wordAfterHigh) {
      shortWords++;
      lastCommon = <i32>load<u8>(COMMON_SHORT + <usize>word);
      commonWords += lastCommon;
    }
    if (wordLen >= 2 && !wordAfterHigh) {
      words++;
      lineWords++;
    }
    if (wordLen >= 3) {
      longWords++;
      if ((at(b, n - 2) | 0x20) === 0x61 && (prev | 0x20) === 0x79) ayWords++;
    }
  } else if (prevCls & HIGH) lineWords++;
  if (denseRun(dense, denseLetters, denseMarks, denseDigits, denseCases)) return LONG_RUN_MARK;
  if (prev === 0x5c) return 0;
  if (lineWords >= 3 && lineLetter) {
    proseLines++;
    commonEnds += lastCommon;
  }
  let mark = lineMark(proseLines, commonEnds, words, commonWords);
  if (!mark) mark = stringMark(b, strStart, n, letters, digits, marks, repeats, afterLetter, shortWords, commonWords, ayWords, longWords);
  return mark ? mark : sentenceInitials(sentences, initialPairs, commonInitialPairs) ? SENTENCES : 0;
}

/** Enough sentences whose initials run as English letters do (see SENTENCE_OPENINGS). */
function sentenceInitials(sentences: i32, pairs: i32, common: i32): bool {
  return sentences >= SENTENCE_OPENINGS && <f64>common >= INITIAL_PAIRS_SHARE * <f64>pairs;
}

/**
 * A dense run long enough to carry base85: 40+ characters, letters of both cases for almost half of
 * them, digits among them and marks for a sixth (a URL or a JSON text inside a string has one case
 * or white space, and fewer digits and marks).
 */
function denseRun(dense: i32, letters: i32, marks: i32, digits: i32, cases: i32): bool {
  return dense >= 40 && cases === 3 && digits > 0 && <f64>marks >= 0.15 * <f64>dense && <f64>letters >= 0.45 * <f64>dense;
}

/** The mark a JSON string's lines and words give (see ../screen.ts). */
function lineMark(proseLines: i32, commonEnds: i32, words: i32, commonWords: i32): i32 {
  if (proseLines >= PROSE_LINES || (proseLines >= PROSE_LINES_COMMON_ENDS && <f64>commonEnds >= 0.25 * <f64>proseLines)) return LINES;
  if (words >= CODE_WORDS && <f64>commonWords <= 0.04 * <f64>words) return LETTERS;
  return 0;
}

/** The mark a JSON string's counts give (its words, then where they stand out its tokens' shapes). */
function stringMark(
  b: usize,
  from: i32,
  to: i32,
  letters: i32,
  digits: i32,
  marks: i32,
  repeats: i32,
  afterLetter: i32,
  shortWords: i32,
  commonWords: i32,
  ayWords: i32,
  longWords: i32,
): i32 {
  if (shortWords >= 6 && <f64>commonWords < 0.15 * <f64>shortWords) return LETTERS;
  if (longWords >= 8 && <f64>ayWords >= 0.35 * <f64>longWords) return TOKENS;
  const visible = letters + digits + marks;
  if (visible >= 16 && (<f64>(digits + marks) >= 0.3 * <f64>visible || afterLetter >= 4 || <f64>repeats >= 0.25 * <f64>letters))
    return tokenShapes(b, from, to);
  return 0;
}

/** The shapes of one string's tokens (see ../screen.ts). */
function tokenShapes(b: usize, from: i32, to: i32): i32 {
  let hexRun: i32 = 0;
  let binRun: i32 = 0;
  let numRun: i32 = 0;
  let joined: i32 = 0;
  let doubled: i32 = 0;
  let leet: i32 = 0;
  let mixed: i32 = 0;
  let words: i32 = 0;
  let tokens: i32 = 0;
  let i = from;
  while (i < to) {
    while (i < to && (at(b, i) === 0x20 || at(b, i) === 0x5c)) i += at(b, i) === 0x5c ? 2 : 1;
    let end = i;
    while (end < to && at(b, end) !== 0x20 && at(b, end) !== 0x5c) end++;
    let last = end;
    while (last > i && (at(b, last - 1) === 0x2c || at(b, last - 1) === 0x2e || at(b, last - 1) === 0x3a || at(b, last - 1) === 0x3b)) last--;
    const len = last - i;
    if (len > 0) {
      tokens++;
      let l: i32 = 0;
      let d: i32 = 0;
      let m: i32 = 0;
      let hex: i32 = 0;
      let bin: i32 = 0;
      let seps: i32 = 0;
      let high = false;
      let inside = false;
      let d2 = true;
      let d3 = true;
      let phase2 = false;
      let phase3: i32 = 0;
      for (let k = i; k < last; k++) {
        const c = at(b, k);
        const kc = cls(c);
        if (kc & HIGH) high = true;
        else if (kc & LATIN) l++;
        else if (kc & DIGIT) {
          d++;
          if (k > i && k + 1 < last && cls(at(b, k - 1)) & LATIN && cls(at(b, k + 1)) & LATIN) inside = true;
        } else {
          m++;
          if (c === 0x2d || c === 0x2e || c === 0x2c) seps++;
        }
        if (kc & HEXA) hex++;
        if (c === 0x30 || c === 0x31) bin++;
        // doubled (tripled) letters: each letter at an odd place (not at a multiple of three) repeats the one before
        if (phase2 && c !== at(b, k - 1)) d2 = false;
        if (phase3 && c !== at(b, k - 1)) d3 = false;
        phase2 = !phase2;
        phase3 = phase3 === 2 ? 0 : phase3 + 1;
      }
      if (high) hexRun = binRun = numRun = 0;
      else {
        hexRun = len === 2 && hex === 2 ? hexRun + 1 : 0;
        binRun = len === 8 && bin === 8 ? binRun + 1 : 0;
        numRun = len <= 2 && d === len ? numRun + 1 : len === 1 && m === 1 ? numRun : 0;
        if (hexRun >= 12 || binRun >= 6 || numRun >= 15) return TOKENS;
        if (d >= 3 && seps >= 2 && l === 0 && d + seps === len) joined++;
        if (l >= 3) words++;
        if (inside && l >= 2) leet++;
        if (len >= 3 && l > 0 && d > 0 && m > 0) mixed++;
        if (l >= 4 && l === len && ((d2 && len % 2 === 0) || (d3 && len % 3 === 0))) doubled++;
      }
    }
    i = end;
  }
  if (joined >= 4) return TOKENS;
  if (doubled >= 4 && <f64>doubled >= 0.5 * <f64>words) return TOKENS;
  if (leet >= 4 && <f64>leet >= 0.2 * <f64>words) return TOKENS;
  if (mixed >= 5 && <f64>mixed >= 0.3 * <f64>tokens) return TOKENS;
  return 0;
}

/** Full-width characters in a row from `from` (3 bytes each). */
function fullWidthRun(b: usize, from: i32, n: i32): i32 {
  let k: i32 = 0;
  for (let i = from; i + 2 < n && at(b, i) === 0xef && (at(b, i + 1) === 0xbc || at(b, i + 1) === 0xbd || at(b, i + 1) === 0x80); i += 3) k++;
  return k;
}

/** `200b`..`200f`, `2060`..`2064`, `fe0X`, `db40` (a tag's high surrogate) after `\u`, either case. */
function invisibleEscape(b: usize, from: i32): bool {
  const h0 = at(b, from) | 0x20;
  const h1 = at(b, from + 1) | 0x20;
  const h2 = at(b, from + 2) | 0x20;
  const h3 = at(b, from + 3) | 0x20;
  if (h0 === 0x32 && h1 === 0x30 && h2 === 0x30) return h3 >= 0x62 && h3 <= 0x66;
  if (h0 === 0x32 && h1 === 0x30 && h2 === 0x36) return h3 >= 0x30 && h3 <= 0x34;
  if (h0 === 0x66 && h1 === 0x65 && h2 === 0x30) return true;
  return h0 === 0x64 && h1 === 0x62 && h2 === 0x34 && h3 === 0x30;
}
