// Template inference for one slot's texts across records: the constant segments around a variable
// slot (`Text: {text}`, `{prompt} ->`, `{answer}\n#### {number}`, ` {label}`), clustered when a
// dataset mixes templates. Linear in the total text length: common prefix/suffix scans; no regular
// expression is ever built from data (the fixed ones here match one character or an anchored word).

export interface Template {
  /** The template with `{slot}` markers, e.g. `What describes {request} in the text?`. */
  text: string;
  /** Constant text before the slot (`{number}` markers where digits vary). */
  prefix: string;
  /** Constant text after the slot. */
  suffix: string;
  /** Share of the slot's texts that follow this template. */
  coverage: number;
  /** The whole text is the same in (almost) every record. */
  constant: boolean;
}

const DIGIT = '\u0001';
const NUMBER = '{number}';

/** Replaces every number (a digit run, with inner `,`/`.` and a leading `-`) by one marker, so `#### 18` and `#### 3` share a shape. */
function shape(s: string): string {
  let out = '';
  let last = 0;
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    const startsNumber = (c >= 48 && c <= 57) || (c === 45 && isDigitAt(s, i + 1) && (i === 0 || /\s/.test(s[i - 1]!)));
    if (!startsNumber) {
      i++;
      continue;
    }
    // flat slices, not a character-by-character concatenation (that builds a rope per text)
    out += s.slice(last, i) + DIGIT;
    i++;
    while (i < n && (isDigitAt(s, i) || ((s.charCodeAt(i) === 44 || s.charCodeAt(i) === 46) && isDigitAt(s, i + 1)))) i++;
    last = i;
  }
  return last === 0 ? s : out + s.slice(last);
}

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

function commonPrefix(texts: string[]): string {
  if (texts.length === 0) return '';
  let p = texts[0]!;
  for (const t of texts) {
    let i = 0;
    const n = Math.min(p.length, t.length);
    while (i < n && p.charCodeAt(i) === t.charCodeAt(i)) i++;
    p = p.slice(0, i);
    if (!p) break;
  }
  return p;
}

function commonSuffix(texts: string[]): string {
  if (texts.length === 0) return '';
  let s = texts[0]!;
  for (const t of texts) {
    let i = 0;
    const n = Math.min(s.length, t.length);
    while (i < n && s.charCodeAt(s.length - 1 - i) === t.charCodeAt(t.length - 1 - i)) i++;
    s = s.slice(s.length - i);
    if (!s) break;
  }
  return s;
}

/** Not part of a word (an apostrophe is: `What's` is one word, so `What` is no prefix of it). */
const isBoundary = (ch: string | undefined) => ch === undefined || !/[\p{L}\p{N}_'\u2019]/u.test(ch);

/** Cuts a common prefix back to a word boundary in every text, so `Wh` (What/Why) and `What` (What's/What time) are no template. */
function cutPrefix(p: string, texts: string[]): string {
  let i = p.length;
  while (i > 0 && !(isBoundary(p[i - 1]) || texts.every((t) => isBoundary(t[i])))) i--;
  return p.slice(0, i);
}

function cutSuffix(s: string, texts: string[]): string {
  let i = 0;
  while (i < s.length && !(isBoundary(s[i]) || texts.every((t) => isBoundary(t[t.length - s.length + i - 1])))) i++;
  return s.slice(i);
}

const meaningful = (s: string) => s.split(DIGIT).join('').length > 0;
const render = (s: string) => s.split(DIGIT).join(NUMBER);

/** Prefix/suffix template of a group of texts, or undefined when nothing constant surrounds a slot. */
function wrapOf(texts: string[], slot: string, content: boolean): Omit<Template, 'coverage'> | undefined {
  const shapes = texts.map(shape);
  const shortest = shapes.reduce((a, b) => (a.length <= b.length ? a : b));
  const sharedPrefix = commonPrefix(shapes);
  let prefix: string;
  let suffix: string;
  if (sharedPrefix.length === shortest.length && shapes.every((t) => t.length === shortest.length)) {
    // every text has the same shape: only numbers vary, and the last number is the slot. In a request
    // or an answer the number is content (`How do I reset router {number}?`, `The answer is {number}.`):
    // no text is written into its place; only a separator of blanks and symbols at either end, set off
    // by a blank, is kept (` 1`, ` 2` keep their space; `… ->` keeps ` ->`; a sentence's `?` is content)
    if (content) {
      const lead = /^[^\p{L}\p{N}\u0001]*\s|^/u.exec(shortest)![0];
      const trail = /\s[^\p{L}\p{N}\u0001]*$|$/u.exec(shortest.slice(lead.length))![0];
      return lead || trail ? { text: `${lead}{${slot}}${trail}`, prefix: lead, suffix: trail, constant: false } : undefined;
    }
    const j = shortest.lastIndexOf(DIGIT);
    if (j < 0) return undefined;
    prefix = shortest.slice(0, j);
    suffix = shortest.slice(j + 1);
  } else {
    prefix = cutPrefix(sharedPrefix, shapes);
    suffix = cutSuffix(commonSuffix(shapes), shapes);
  }
  if (prefix.length + suffix.length > shortest.length) suffix = suffix.slice(prefix.length + suffix.length - shortest.length);
  // a trailing digit marker in the prefix (or leading in the suffix) is the slot's own number
  while (prefix.endsWith(DIGIT)) prefix = prefix.slice(0, -1);
  while (suffix.startsWith(DIGIT)) suffix = suffix.slice(1);
  if (!meaningful(prefix) && !meaningful(suffix)) return undefined;
  // the slot must hold something: `safe`/`unsafe` share "safe" but that is no template
  const emptySlots = shapes.filter((t) => t.length <= prefix.length + suffix.length).length;
  if (emptySlots > 0.1 * shapes.length) return undefined;
  const p = render(prefix);
  const s = render(suffix);
  return { text: `${p}{${slot}}${s}`, prefix: p, suffix: s, constant: false };
}

function firstWord(s: string): string {
  const m = /^\s*(\S{1,24})/.exec(s);
  return m ? shape(m[1]!) : '';
}

function lastWord(s: string): string {
  let end = s.length;
  while (end > 0 && /\s/.test(s[end - 1]!)) end--;
  let start = end;
  while (start > 0 && end - start < 24 && !/\s/.test(s[start - 1]!)) start--;
  return shape(s.slice(start, end));
}

/** Templates of one slot, most covering first. */
/** `content`: the slot holds a request or an answer (not an id or a label beside them). */
export function inferTemplates(texts: string[], slot: string, content = slot === 'request' || slot === 'response'): Template[] {
  const n = texts.length;
  if (n === 0) return [];
  const freq = new Map<string, number>();
  for (const t of texts) freq.set(t, (freq.get(t) ?? 0) + 1);
  const [top, topCount] = [...freq].reduce((a, b) => (b[1] > a[1] ? b : a));
  if (n >= 2 && topCount / n >= 0.95) return [{ text: top, prefix: top, suffix: '', coverage: topCount / n, constant: true }];
  if (n >= 2) {
    const whole = wrapOf(texts, slot, content);
    if (whole) return [{ ...whole, coverage: 1 }];
  }
  // several templates: cluster by the shape of the first and last words, keep clusters with a wrapper
  const clusters = new Map<string, string[]>();
  for (const t of texts) {
    const key = `${firstWord(t)}\u0000${lastWord(t)}`;
    const list = clusters.get(key);
    if (list) list.push(t);
    else clusters.set(key, [t]);
  }
  const found: Template[] = [];
  let covered = 0;
  for (const group of clusters.values()) {
    if (group.length < Math.max(3, 0.1 * n) || new Set(group).size === 1) continue;
    const wrap = wrapOf(group, slot, content);
    if (!wrap || wrap.prefix.trim().length + wrap.suffix.trim().length < 3) continue;
    found.push({ ...wrap, coverage: group.length / n });
    covered += group.length;
  }
  found.sort((a, b) => b.coverage - a.coverage);
  if (covered < n) found.push({ text: `{${slot}}`, prefix: '', suffix: '', coverage: (n - covered) / n, constant: false });
  return found;
}
