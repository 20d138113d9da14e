// Hidden-channel codecs: invisible characters (Unicode tags, zero-width bits, variation-selector
// bytes), last word of each line (EndSpeak) and first letter of each line (acrostic). Pure.
import type { InvisibleVariant } from '../types.js';
import { isLetter, linesOf } from '../text-scan.js';

const TAG_BASE = 0xe0000;
const ZERO = 0x200b;
const ONE = 0x200c;

/**
 * The text as invisible characters only (append them to a visible cover text). `tags` carries ASCII
 * (other characters become `?`); `zero-width` writes each UTF-8 bit as U+200B/U+200C; `variation-selectors`
 * writes each byte as one selector (U+FE00-FE0F, U+E0100-E01EF).
 */
export function invisibleEncode(text: string, variant: InvisibleVariant = 'tags'): string {
  if (variant === 'tags') {
    let out = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      out += String.fromCodePoint(TAG_BASE + (cp < 0x80 ? cp : 0x3f));
    }
    return out;
  }
  const bytes = Buffer.from(text, 'utf8');
  let out = '';
  for (const b of bytes) {
    if (variant === 'zero-width') {
      for (let bit = 7; bit >= 0; bit--) out += String.fromCharCode((b >> bit) & 1 ? ONE : ZERO);
    } else out += String.fromCodePoint(b < 16 ? 0xfe00 + b : 0xe0100 + b - 16);
  }
  return out;
}

interface InvisiblePayloads {
  tags: string;
  zeroWidth: string;
  variationSelectors: string;
}

/** Reads every invisible channel of a text (visible characters are ignored). */
export function invisiblePayloads(text: string): InvisiblePayloads {
  let tags = '';
  const zwBytes: number[] = [];
  let zwValue = 0;
  let zwBits = 0;
  const vsBytes: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if ((cp >= 0xe0020 && cp <= 0xe007e) || cp === 0xe0009 || cp === 0xe000a || cp === 0xe000d) tags += String.fromCharCode(cp - TAG_BASE);
    else if (cp === ZERO || cp === ONE) {
      zwValue = zwValue * 2 + (cp === ONE ? 1 : 0);
      if (++zwBits === 8) {
        zwBytes.push(zwValue);
        zwValue = 0;
        zwBits = 0;
      }
    } else if (cp >= 0xfe00 && cp <= 0xfe0f) vsBytes.push(cp - 0xfe00);
    else if (cp >= 0xe0100 && cp <= 0xe01ef) vsBytes.push(cp - 0xe0100 + 16);
  }
  return { tags, zeroWidth: Buffer.from(zwBytes).toString('utf8'), variationSelectors: Buffer.from(vsBytes).toString('utf8') };
}

/** The hidden text for one variant, or the longest channel when no variant is given. */
export function invisibleDecode(text: string, variant?: InvisibleVariant): string {
  const p = invisiblePayloads(text);
  if (variant === 'tags') return p.tags;
  if (variant === 'zero-width') return p.zeroWidth;
  if (variant === 'variation-selectors') return p.variationSelectors;
  return [p.tags, p.zeroWidth, p.variationSelectors].sort((a, b) => b.length - a.length)[0]!;
}

/** Innocent line openings; the carried word is appended to one of them. */
const LINE_OPENINGS = [
  'The morning light falls softly on the',
  'Across the quiet hills we wander',
  'A gentle breeze is drifting slowly',
  'Beneath the silver moon the rivers',
  'Old stories linger in the evening',
  'Bright leaves are dancing in the',
  'We listen to the distant ocean',
  'Soft rain is tapping on the window',
  'Through fields of gold the travelers',
  'The garden wakes with birds that',
  'Warm bread is cooling on the table',
  'Little boats are resting by the shore',
  'The lanterns glow along the harbor',
  'Snow settles gently on the rooftops',
  'A calm lake mirrors all the clouds',
  'Children laugh beside the garden wall',
  'Tall pines are whispering to the',
  'The old clock ticks in the hallway',
  'Wild flowers open to the sunlight',
  'A small bird sings above the meadow',
  'Evening shadows stretch across the valley',
  'The kettle hums a quiet song',
  'Stars appear above the sleeping village',
  'Green hills roll on toward the sea',
];

/** One word per line, each after an innocent opening chosen by position (deterministic). */
export function lastWordEncode(text: string): string {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  return words.map((w, i) => `${LINE_OPENINGS[(i * 7 + 3) % LINE_OPENINGS.length]} ${w}`).join('\n');
}

/** The last whitespace-separated token of each non-empty line, joined by spaces. */
export function lastWordDecode(text: string): string {
  const out: string[] = [];
  for (const { start, end } of linesOf(text)) {
    const tokens = text.slice(start, end).trim().split(/\s+/);
    const last = tokens[tokens.length - 1];
    if (last) out.push(last);
  }
  return out.join(' ');
}

const OPENING_WORDS: Record<string, string[]> = {
  a: ['Autumn', 'Across'],
  b: ['Bright', 'Beneath'],
  c: ['Calm', 'Clouds'],
  d: ['Distant', 'Dawn'],
  e: ['Every', 'Evening'],
  f: ['Fields', 'Falling'],
  g: ['Gentle', 'Golden'],
  h: ['Hills', 'Hidden'],
  i: ['In', 'Ivy'],
  j: ['Just', 'Joyful'],
  k: ['Kind', 'Kites'],
  l: ['Leaves', 'Light'],
  m: ['Morning', 'Mountains'],
  n: ['Night', 'Nearby'],
  o: ['Over', 'Old'],
  p: ['Past', 'Pale'],
  q: ['Quiet', 'Quickly'],
  r: ['Rivers', 'Rain'],
  s: ['Soft', 'Silver'],
  t: ['The', 'Tall'],
  u: ['Under', 'Until'],
  v: ['Velvet', 'Valleys'],
  w: ['Winds', 'Warm'],
  x: ['Xylophones', 'Xenon'],
  y: ['Yellow', 'Yesterday'],
  z: ['Zephyrs', 'Zigzag'],
};

const LINE_ENDINGS = [
  'drift over the sleeping town.',
  'carry the scent of fresh rain.',
  'shine on the water at noon.',
  'wait by the old stone bridge.',
  'fill the valley with soft light.',
  'rest beside the quiet road.',
  'turn golden in the late sun.',
  'sway gently in the breeze.',
  'remind us of summer days.',
  'call the birds back home.',
  'glow warmly through the night.',
];

/** One line per letter of the message (other characters are dropped), each opening with that letter. */
export function acrosticEncode(text: string): string {
  const lines: string[] = [];
  let i = 0;
  for (const ch of text.toLowerCase()) {
    const options = OPENING_WORDS[ch];
    if (!options) continue;
    lines.push(`${options[i % 2]} ${LINE_ENDINGS[(i * 5 + 2) % LINE_ENDINGS.length]}`);
    i++;
  }
  return lines.join('\n');
}

/** First letter of each non-empty line (after leading non-letters), lower case. */
export function acrosticDecode(text: string): string {
  let out = '';
  for (const { start, end } of linesOf(text)) {
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (isLetter(c)) {
        out += String.fromCharCode(c | 32);
        break;
      }
    }
  }
  return out;
}

const FIRST_WORD_TAILS = [
  'is what the morning brought along the river.',
  'came up again while we walked by the lake.',
  'was written on the old sign near the bakery.',
  'appeared in the note my neighbour left today.',
  'stayed on my mind during the quiet evening.',
  'was the word on the postcard from the coast.',
  'sounded lovely in the song on the radio.',
  'was painted on the side of the blue boat.',
];

/** One word per line, first, each followed by an innocent continuation (deterministic). */
export function firstWordEncode(text: string): string {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  return words.map((w, i) => `${w} ${FIRST_WORD_TAILS[(i * 3 + 1) % FIRST_WORD_TAILS.length]}`).join('\n');
}

/** The first whitespace-separated token of each non-empty line, joined by spaces. */
export function firstWordDecode(text: string): string {
  const out: string[] = [];
  for (const { start, end } of linesOf(text)) {
    const first = text.slice(start, end).trim().split(/\s+/)[0];
    if (first) out.push(first);
  }
  return out.join(' ');
}
