// Recognizers for encoded runs inside a text: base64, hex, 8-bit binary, Morse, and characters
// split by a separator (Walnut53's `h|e|l|l|o`). Byte runs must decode to English prose.
import type { Detection } from './types.js';
import { base64Decode, binaryDecode, hexDecode, morseDecode, normalizeMorseSymbol, MORSE_DECODE } from './codecs/bytes.js';
import { readableProse } from './readable.js';
import { reverseText, unsubstitute } from './codecs/letters.js';
import { ATBASH_KEY, caesarKey } from './codecs/keys.js';
import { rot47 } from './codecs/glyphs.js';
import { excerpt, isDigit, isLetter, isSpace } from './text-scan.js';

export interface RunDetection extends Detection {
  start: number;
  end: number;
}

function isBase64Char(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 43 || c === 47;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function isWordChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 95;
}

/** The detection of a byte run (hex, binary) that decodes to English prose. */
function byteRun(
  family: 'hex' | 'binary',
  baseScore: number,
  letters: number,
  bytes: number,
  run: string,
  decoded: string,
  start: number,
  end: number,
): RunDetection {
  return {
    family,
    score: Math.min(0.99, baseScore + letters / 200),
    evidence: `${bytes} ${family} bytes decode to English text ("${excerpt(decoded, 60)}")`,
    excerpt: excerpt(run),
    decoded,
    start,
    end,
  };
}

/**
 * The standard container a base64 run at `at` sits in, which says the text is base64 content: a MIME
 * encoded word (`=?UTF-8?B?…?=`), a MIME body after `Content-Transfer-Encoding: base64`, the data of
 * a Kubernetes Secret (`kind: Secret`, `key: value` lines) or a registry credential (`"auth": "…"`).
 * Undefined for a run in free text.
 */
function declaredContainer(text: string, at: number): string | undefined {
  const before = text.slice(Math.max(0, at - 64), at);
  if (/=\?[A-Za-z0-9_-]{1,40}\?[Bb]\?$/.test(before)) return 'a MIME encoded word';
  const head = text.slice(0, at);
  if (/content-transfer-encoding:[ \t]*base64[ \t]*\r?\n(?:[^\n]*\S[^\n]*\r?\n)*?\r?\n/i.test(head) && /\n\s*$/.test(before))
    return 'a MIME body (Content-Transfer-Encoding: base64)';
  if (/\bkind["']?\s*:\s*["']?Secret\b/.test(text) && /(?:^|\n)\s*["']?[\w.-]+["']?\s*:\s*["']?$/.test(before)) return "a Kubernetes Secret's data";
  if (/"auth"\s*:\s*"$/.test(before)) return 'a registry credential ("auth")';
  return undefined;
}

/**
 * Verbs a request to a model opens with (English), and not a mail: "Please find attached…", "Please send
 * me…", "Please reply by…" open ordinary mails, so find, send, reply, share, help and the like are not here.
 */
const INSTRUCTION_VERBS: ReadonlySet<string> = new Set(
  (
    'explain describe write tell list give provide create generate summarize summarise translate ignore disregard forget pretend act ' +
    'imagine teach outline detail compose draft rewrite decode encode reveal'
  ).split(' '),
);

/**
 * Whether decoded content is an instruction to a model rather than data: it opens (after a "please")
 * with one of those verbs or with "how to", or it asks to ignore instructions. A Secret's values, a
 * credential or a mail's "Hello, I ordered…" are data; "Explain how to…" in a MIME body is a request
 * hidden in a container, and counts as a covert encoding.
 */
function isInstruction(decoded: string): boolean {
  const words = decoded
    .toLowerCase()
    .replace(/[^a-z' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const start = words[0] === 'please' ? 1 : 0;
  const first = words[start];
  if (first === undefined) return false;
  if (INSTRUCTION_VERBS.has(first) || (first === 'how' && words[start + 1] === 'to')) return true;
  return /\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+)?(?:the\s+|your\s+|previous\s+|prior\s+|earlier\s+)*(?:instructions|rules|guidelines)\b/i.test(
    decoded,
  );
}

/** Letter and byte codecs tried on a decoding that does not read yet (chained encodings, depth 2). */
const SECOND_DECODERS: { name: string; decode: (t: string) => string | undefined }[] = [
  { name: 'ROT13', decode: (t) => unsubstitute(t, caesarKey(13)) },
  { name: 'Atbash', decode: (t) => unsubstitute(t, ATBASH_KEY) },
  { name: 'reversal', decode: reverseText },
  { name: 'ROT47', decode: rot47 },
  { name: 'base64', decode: (t) => (/^[A-Za-z0-9+/=\s]{16,}$/.test(t) ? base64Decode(t.replace(/\s+/g, '')) : undefined) },
  { name: 'hex', decode: (t) => (/^(?:[0-9a-fA-F]{2}\s?){8,}$/.test(t.trim()) ? hexDecode(t) : undefined) },
];

/** The second codec under which a printable first decoding reads as English prose. */
function secondDecoding(first: string): { name: string; decoded: string } | undefined {
  if (first.length < 12 || /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(first)) return undefined;
  for (const d of SECOND_DECODERS) {
    const decoded = d.decode(first);
    if (decoded !== undefined && decoded.length >= 10 && readableProse(decoded).ok) return { name: d.name, decoded };
  }
  return undefined;
}

/** The run at `at` follows a data URI's `base64,`. */
function inDataUri(text: string, at: number): boolean {
  return (
    at >= 7 &&
    text
      .slice(Math.max(0, at - 8), at)
      .toLowerCase()
      .endsWith('base64,')
  );
}

/**
 * A base64 stream wrapped into lines from `start`, whose first line ends at `firstEnd`: two full lines
 * or more of one width (40 characters or more, a multiple of 4) and a last line no wider, each line
 * base64 and nothing else after the first. Where the stream ends and where its last line starts;
 * undefined for a run of one or two lines (a line of base64 followed by a word is no stream).
 */
function wrappedStream(text: string, start: number, firstEnd: number): { end: number; lastLine: number } | undefined {
  const width = firstEnd - start;
  if (width < 40 || width % 4 !== 0) return undefined;
  const n = text.length;
  let end = firstEnd;
  let lines = 1;
  let full = 1;
  let lastLine = start;
  for (;;) {
    const next = text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? end + 2 : text.charCodeAt(end) === 10 ? end + 1 : -1;
    if (next < 0 || !base64Line(text, next)) break;
    let e = next;
    while (e < n && isBase64Char(text.charCodeAt(e))) e++;
    if (e - next > width) break;
    lines++;
    lastLine = next;
    end = e;
    if (e - next < width) break;
    full++;
  }
  return lines >= 3 && full >= 2 ? { end, lastLine } : undefined;
}

/** The line from `from` is base64 and nothing else (4 characters or more, padding at its end). */
function base64Line(text: string, from: number): boolean {
  let k = from;
  while (k < text.length && isBase64Char(text.charCodeAt(k))) k++;
  if (k - from < 4) return false;
  let pad = 0;
  while (k < text.length && text.charCodeAt(k) === 61 && pad < 2) {
    k++;
    pad++;
  }
  return k >= text.length || text.charCodeAt(k) === 10 || text.charCodeAt(k) === 13;
}

/** Base64 runs of 16+ characters that decode to English prose (as content when a container says so). */
export function findBase64(text: string): RunDetection[] {
  const out: RunDetection[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isBase64Char(text.charCodeAt(i)) || (i > 0 && (isBase64Char(text.charCodeAt(i - 1)) || text.charCodeAt(i - 1) === 61))) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && isBase64Char(text.charCodeAt(j))) j++;
    // a base64 stream wrapped into lines (PEM and MIME write 64 or 76 characters a line) is one run,
    // decoded whole: one line of a certificate can decode to a few words of its policy text, the
    // whole is binary
    const stream = wrappedStream(text, i, j);
    let lastLine = -1;
    if (stream) {
      j = stream.end;
      lastLine = stream.lastLine;
    }
    let digits = 0;
    let upper = 0;
    let lower = 0;
    let length = 0;
    for (let k = i; k < j; k++) {
      const c = text.charCodeAt(k);
      if (!isBase64Char(c)) continue;
      length++;
      if (isDigit(c)) digits++;
      else if (c >= 65 && c <= 90) upper++;
      else if (c >= 97 && c <= 122) lower++;
    }
    let end = j;
    while (end < n && end - j < 2 && text.charCodeAt(end) === 61) end++;
    // a data URI (`data:text/plain;base64,…`) says what it is: content, not a covert message
    if (length >= 16 && length % 4 !== 1 && upper > 0 && lower > 0 && (digits > 0 || upper > 2) && !inDataUri(text, i)) {
      let run = text.slice(i, end);
      let decoded = base64Decode(run);
      let r = readableProse(decoded);
      // a wrapped message followed by a line of one word (`Done`), read without that line
      if (!r.ok && lastLine > i) {
        const shorter = base64Decode(text.slice(i, lastLine));
        const rs = readableProse(shorter);
        if (rs.ok) {
          run = text.slice(i, lastLine).trimEnd();
          decoded = shorter;
          r = rs;
        }
      }
      const container = declaredContainer(text, i);
      const second = !r.ok && !container ? secondDecoding(decoded) : undefined;
      if (second) {
        out.push({
          family: 'chained',
          score: 0.95,
          evidence: `a ${length}-character base64 run decodes to text that is itself encoded: base64, then ${second.name}, reads as English ("${excerpt(second.decoded, 60)}")`,
          excerpt: excerpt(run),
          decoded: second.decoded,
          proven: true,
          start: i,
          end,
        });
      } else if (r.ok && decoded.length >= 10) {
        // content in a container is data, unless it is an instruction to the model
        const content = container !== undefined && !isInstruction(decoded);
        out.push({
          family: content ? 'encoded-data' : 'base64',
          score: content ? 0.5 : Math.min(0.99, 0.75 + r.letters / 200),
          evidence: content
            ? `a ${length}-character base64 payload of ${container} decodes to text ("${excerpt(decoded, 60)}"): content in a standard encoding, reported, not a covert message`
            : container
              ? `a ${length}-character base64 payload of ${container} decodes to an instruction ("${excerpt(decoded, 60)}"): a request hidden in a container is a covert message`
              : `a ${length}-character base64 run decodes to English text ("${excerpt(decoded, 60)}")`,
          excerpt: excerpt(run),
          decoded,
          start: i,
          end,
        });
      }
    }
    i = end;
  }
  return out;
}

interface Group {
  digits: string;
  /** Offset of the group including any `0x` or `\x` prefix. */
  start: number;
  end: number;
}

/**
 * Reads items like `68 65 6c`, `68656c`, `0x68,0x65`, `\x68\x65` from `start`: hex (or 0/1) digit
 * groups joined by one separator (space, comma, colon, semicolon, optional following space).
 */
function readGroups(text: string, start: number, isDigitOf: (c: number) => boolean, allowPrefix: boolean): { groups: Group[]; end: number } {
  const n = text.length;
  const groups: Group[] = [];
  let j = start;
  for (;;) {
    let k = j;
    if (allowPrefix && k + 2 < n) {
      const a = text.charCodeAt(k);
      const b = text.charCodeAt(k + 1) | 32;
      if ((a === 48 || a === 92) && b === 120 && isDigitOf(text.charCodeAt(k + 2))) k += 2;
    }
    let m = k;
    while (m < n && isDigitOf(text.charCodeAt(m))) m++;
    if (m === k || (m < n && isWordChar(text.charCodeAt(m)) && !(allowPrefix && text.charCodeAt(m) === 92))) break;
    groups.push({ digits: text.slice(k, m), start: j, end: m });
    j = m;
    if (allowPrefix && j < n && text.charCodeAt(j) === 92) continue;
    const s = j < n ? text.charCodeAt(j) : -1;
    if (s === 32 || s === 44 || s === 58 || s === 59) {
      j++;
      if (j < n && text.charCodeAt(j) === 32 && s !== 32) j++;
      if (j < n && (isDigitOf(text.charCodeAt(j)) || text.charCodeAt(j) === 92)) continue;
    }
    break;
  }
  return { groups, end: groups.length ? groups[groups.length - 1]!.end : start };
}

/** Maximal stretches of consecutive groups that pass `fits`. */
function stretches(groups: Group[], fits: (g: Group) => boolean): Group[][] {
  const out: Group[][] = [];
  let current: Group[] = [];
  for (const g of groups) {
    if (fits(g)) current.push(g);
    else {
      if (current.length) out.push(current);
      current = [];
    }
  }
  if (current.length) out.push(current);
  return out;
}

/** A hex group of whole bytes. */
const wholeBytes = (g: Group): boolean => g.digits.length % 2 === 0;

/** Hex byte sequences (8+ bytes) that decode to English prose. */
export function findHex(text: string): RunDetection[] {
  const out: RunDetection[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const startsItem = isHexDigit(c) || (c === 92 && i + 1 < n && text.charCodeAt(i + 1) === 120);
    if (!startsItem || (i > 0 && isWordChar(text.charCodeAt(i - 1)))) {
      i++;
      continue;
    }
    const { groups, end } = readGroups(text, i, isHexDigit, true);
    // (most items are words that merely start with a hex digit: no group)
    if (groups.length === 0) {
      i++;
      continue;
    }
    for (const stretch of stretches(groups, wholeBytes)) {
      const digits = stretch.reduce((a, g) => a + g.digits.length, 0);
      if (digits < 16 || (stretch.length === 1 && digits < 20)) continue;
      const start = stretch[0]!.start;
      const stop = stretch[stretch.length - 1]!.end;
      const run = text.slice(start, stop);
      const decoded = hexDecode(run);
      const r = readableProse(decoded);
      if (!r.ok || dumpLine(text, start, stop, decoded)) continue;
      out.push(byteRun('hex', 0.75, r.letters, digits / 2, run, decoded, start, stop));
    }
    i = Math.max(end, i + 1);
  }
  return out;
}

/**
 * A hex dump's line (`xxd`, `hexdump -C`): an offset opens the line, and the bytes are shown as
 * characters after the hex, so what they decode to stands beside them in plain sight. Compared by
 * letters and digits (a dump shows other bytes as `.`). A hex run with its plain text beside it and no
 * offset (`<hex> = the message`) is a pair that teaches the code, not a dump.
 */
function dumpLine(text: string, start: number, stop: number, decoded: string): boolean {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (!/^\s*[0-9A-Fa-f]{4,16}:?\s+$/.test(text.slice(lineStart, start))) return false;
  const alnum = (s: string) => s.replace(/[^A-Za-z0-9]/g, '').slice(0, 8);
  const want = alnum(decoded);
  if (want.length < 4) return false;
  let lineEnd = text.indexOf('\n', stop);
  if (lineEnd < 0) lineEnd = text.length;
  return alnum(text.slice(stop, lineEnd)) === want;
}

const isBit = (c: number): boolean => c === 48 || c === 49;

/** 8-bit binary (8+ bytes, in groups of eight or one long run) that decodes to English prose. */
export function findBinary(text: string): RunDetection[] {
  const out: RunDetection[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isBit(text.charCodeAt(i)) || (i > 0 && isWordChar(text.charCodeAt(i - 1)))) {
      i++;
      continue;
    }
    const { groups, end } = readGroups(text, i, isBit, false);
    const fits = (g: Group): boolean => g.digits.length === 8 || (g.digits.length % 8 === 0 && g.digits.length >= 32);
    for (const stretch of stretches(groups, fits)) {
      const bits = stretch.reduce((a, g) => a + g.digits.length, 0);
      if (bits < 64) continue;
      const start = stretch[0]!.start;
      const stop = stretch[stretch.length - 1]!.end;
      const run = text.slice(start, stop);
      const decoded = binaryDecode(run);
      const r = readableProse(decoded, 4);
      if (!r.ok) continue;
      out.push(byteRun('binary', 0.8, r.letters, bits / 8, run, decoded, start, stop));
    }
    i = Math.max(end, i + 1);
  }
  return out;
}

function isMorseSymbol(c: number): boolean {
  return c === 46 || c === 45 || c === 0xb7 || c === 0x2022 || c === 0x2219 || c === 0x2212 || c === 0x2013 || c === 0x2014 || c === 95;
}

/** The codes (runs of Morse symbols between gaps) of the stretch findMorse reads from `start`, and its last symbol. */
function countMorseCodes(text: string, start: number): { codes: number; lastSymbol: number } {
  const n = text.length;
  let codes = 0;
  let lastSymbol = start;
  let inCode = false;
  for (let j = start; j < n; j++) {
    const c = text.charCodeAt(j);
    if (isMorseSymbol(c)) {
      if (!inCode) codes++;
      inCode = true;
      lastSymbol = j;
    } else if (c === 47 || c === 124 || isSpace(c)) inCode = false;
    else break;
  }
  return { codes, lastSymbol };
}

/** Morse: a stretch of 8+ dot/dash codes (with `/` word gaps) that are nearly all valid and decode to letters. */
export function findMorse(text: string): RunDetection[] {
  const out: RunDetection[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isMorseSymbol(text.charCodeAt(i))) {
      i++;
      continue;
    }
    // most stretches (a full stop, a dash) hold too few codes to be read
    const counted = countMorseCodes(text, i);
    if (counted.codes < 8) {
      i = Math.max(counted.lastSymbol + 1, i + 1);
      continue;
    }
    let j = i;
    let lastSymbol = i;
    let codes = 0;
    let valid = 0;
    let dots = 0;
    let dashes = 0;
    let tokenLength = 0;
    let token = '';
    let broken = false;
    const flush = (): void => {
      if (tokenLength === 0) return;
      codes++;
      if (tokenLength <= 7 && MORSE_DECODE.has(token)) valid++;
      token = '';
      tokenLength = 0;
    };
    while (j < n) {
      const c = text.charCodeAt(j);
      if (isMorseSymbol(c)) {
        const s = normalizeMorseSymbol(text[j]!);
        if (s === '.') dots++;
        else dashes++;
        token += s;
        tokenLength++;
        lastSymbol = j;
      } else if (c === 47 || c === 124 || isSpace(c)) {
        flush();
      } else {
        broken = isLetter(c) || isDigit(c);
        break;
      }
      j++;
    }
    flush();
    const end = lastSymbol + 1;
    if (codes >= 8 && valid / codes >= 0.9 && dots > 0 && dashes > 0 && !(broken && codes < 12)) {
      const run = text.slice(i, end);
      const decoded = morseDecode(run);
      let letters = 0;
      for (let k = 0; k < decoded.length; k++) if (isLetter(decoded.charCodeAt(k))) letters++;
      const distinct = new Set(decoded.replace(/[^a-z]/g, '')).size;
      if (letters >= 6 && distinct >= 4) {
        out.push({
          family: 'morse',
          score: Math.min(0.99, 0.8 + letters / 300),
          evidence: `${codes} Morse codes (${Math.round((100 * valid) / codes)}% valid) decode to "${excerpt(decoded, 60)}"`,
          excerpt: excerpt(run),
          decoded,
          start: i,
          end,
        });
      }
    }
    i = Math.max(end, i + 1);
  }
  return out;
}

const SEPARATORS = '|/\\~^*+#_-.,:; ';
/** SEPARATORS by char code (all ASCII): 1 for a separator. */
const SEPARATOR_CODES = new Uint8Array(128);
for (const ch of SEPARATORS) SEPARATOR_CODES[ch.charCodeAt(0)] = 1;
const isSeparator = (c: number): boolean => c < 128 && SEPARATOR_CODES[c] === 1;
/** Looser separators also occur naturally, so they need longer runs. */
const COMMON_SEPARATORS = '-.,: ';

interface SeparatedRun {
  start: number;
  end: number;
  separator: string;
  /** The characters between the separators. */
  joined: string;
}

/** Runs where one separator sits between every pair of characters: `h|e|l|l|o| |w|o|r|l|d`. */
export function findSeparatedRuns(text: string): SeparatedRun[] {
  const out: SeparatedRun[] = [];
  const n = text.length;
  let i = 0;
  while (i + 2 < n) {
    const code = text.charCodeAt(i + 1);
    if (!isSeparator(code) || text.charCodeAt(i) === code) {
      i++;
      continue;
    }
    const sep = text[i + 1]!;
    let j = i;
    while (j + 2 < n && text.charCodeAt(j + 1) === code) j += 2;
    const count = (j - i) / 2 + 1;
    const minCount = COMMON_SEPARATORS.includes(sep) ? 20 : 12;
    if (count < minCount) {
      i++;
      continue;
    }
    let joined = '';
    for (let k = i; k <= j; k += 2) joined += text[k];
    let letters = 0;
    let nonSpace = 0;
    for (let k = 0; k < joined.length; k++) {
      const c = joined.charCodeAt(k);
      if (!isSpace(c)) nonSpace++;
      // a letter of any script, or a sign that may stand for one (emoji, Braille); the lines and
      // blocks of a drawing (U+2500-U+259F: a keyboard or a table drawn in text) are none
      if (isLetter(c) || (c > 0x7f && !(c >= 0x2500 && c <= 0x259f))) letters++;
    }
    const distinct = new Set(joined.toLowerCase()).size;
    const minLetterShare = COMMON_SEPARATORS.includes(sep) ? 0.6 : 0.3;
    if (letters >= 10 && letters / Math.max(1, nonSpace) >= minLetterShare && distinct >= 6) out.push({ start: i, end: j + 1, separator: sep, joined });
    i = j + 1;
  }
  return out;
}

/** Replaces the given ranges by spaces (same length, so offsets stay valid). */
export function maskRanges(text: string, ranges: { start: number; end: number }[]): string {
  if (ranges.length === 0) return text;
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const r of sorted) {
    if (r.start < at) {
      if (r.end > at) {
        out += ' '.repeat(r.end - at);
        at = r.end;
      }
      continue;
    }
    out += text.slice(at, r.start) + ' '.repeat(r.end - r.start);
    at = r.end;
  }
  return out + text.slice(at);
}
