// The surface features of a record that carry no content: for every field path, its JSON type and
// nested shape (the keys an object has, a list's length), and for text its first and last character
// class, its newlines, JSON written inside it (indented or on one line), and, for short tokens such
// as ids, their pattern (`HumanEval/9`, `a_a_9`). Arrays of turns are told apart by role
// (`messages[assistant].content`). What the form audit compares between injected and user records.
// Pure.
import { isLosslessNumber } from 'lossless-json';

/** One record's features: `path|feature` → value. */
export type Surface = Map<string, string>;

/** A path's feature key. */
export const featureKey = (path: string, feature: string) => `${path}|${feature}`;

const ROLE_KEYS = ['role', 'from', 'speaker', 'author'];

/** The class of a character: what the audit compares at the start and the end of texts. */
export function charClass(ch: string | undefined): string {
  if (ch === undefined || ch === '') return 'empty';
  if (/\p{Lu}/u.test(ch)) return 'upper';
  if (/\p{Ll}/u.test(ch)) return 'lower';
  if (/\p{L}/u.test(ch)) return 'letter';
  if (/\p{N}/u.test(ch)) return 'digit';
  if (/\s/u.test(ch)) return 'space';
  if ('?？؟'.includes(ch)) return 'question';
  if ('.。।'.includes(ch)) return 'stop';
  if ('!！'.includes(ch)) return 'exclaim';
  if ('"\'“”‘’«»「」'.includes(ch)) return 'quote';
  if (')]}>'.includes(ch)) return 'close';
  if ('([{<'.includes(ch)) return 'open';
  if (/\p{P}/u.test(ch)) return `punct:${ch}`;
  return 'symbol';
}

function lengthBucket(n: number): string {
  if (n <= 4) return String(n);
  if (n <= 7) return '5-7';
  if (n <= 15) return '8-15';
  return '16+';
}

function newlineBucket(text: string): string {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && n < 3; i = text.indexOf('\n', i + 1)) n++;
  return n >= 2 ? '2+' : String(n);
}

/** JSON written inside a string: `pretty` (indented over lines), `oneline`, or `no`. */
function jsonInside(text: string): string {
  const t = text.trim();
  if (!((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']')))) return 'no';
  try {
    JSON.parse(t);
  } catch {
    return 'no';
  }
  return /\n[ \t]+["{[\]}]/.test(t) ? 'pretty' : 'oneline';
}

/** The pattern of a short token without spaces (an id, a code): letter runs as a/A, digit runs as 9. */
function tokenPattern(text: string): string | undefined {
  // not a sentence of a script written without spaces (Chinese, Japanese, Thai): only ids and codes
  if (
    text.length === 0 ||
    text.length > 40 ||
    /\s/.test(text) ||
    /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}。，？！、]/u.test(
      text,
    )
  )
    return undefined;
  return text
    .replace(/\p{Lu}+/gu, 'A')
    .replace(/\p{Ll}+/gu, 'a')
    .replace(/\p{L}+/gu, 'a')
    .replace(/\p{N}+/gu, '9');
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (isLosslessNumber(v) || typeof v === 'number') return 'number';
  return typeof v;
}

/** The role an array element speaks in, when it is a turn of a conversation. */
function roleOf(v: unknown): string | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  for (const k of ROLE_KEYS) if (typeof o[k] === 'string' && (o[k] as string).length <= 30) return o[k] as string;
  return undefined;
}

/** The surface features of one record's value (a parsed JSON record, or a CSV row's cells). */
export function surfaceOf(value: unknown): Surface {
  const out: Surface = new Map();
  walk(value, '$', out, 0);
  return out;
}

function walk(v: unknown, path: string, out: Surface, depth: number): void {
  const type = typeOf(v);
  out.set(featureKey(path, 'type'), type);
  if (depth > 12) return;
  if (type === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    out.set(featureKey(path, 'keys'), [...keys].sort().join(','));
    for (const k of keys) walk(o[k], `${path}.${k}`, out, depth + 1);
  } else if (type === 'array') {
    const a = v as unknown[];
    out.set(featureKey(path, 'length'), lengthBucket(a.length));
    // elements: turns by role (the last of each role is the one described), others by position class
    for (let i = 0; i < a.length; i++) {
      const role = roleOf(a[i]);
      walk(a[i], role !== undefined ? `${path}[${role}]` : `${path}[]`, out, depth + 1);
    }
  } else if (type === 'string') {
    const s = v as string;
    const trimmed = s.trimEnd();
    out.set(featureKey(path, 'first'), charClass(s[0]));
    out.set(featureKey(path, 'last'), charClass(trimmed.length ? trimmed[trimmed.length - 1] : undefined));
    out.set(featureKey(path, 'newlines'), newlineBucket(s));
    out.set(featureKey(path, 'json'), jsonInside(s));
    const pattern = tokenPattern(s);
    if (pattern !== undefined) out.set(featureKey(path, 'pattern'), pattern);
  } else if (type === 'boolean') {
    out.set(featureKey(path, 'value'), String(v));
  } else if (type === 'number') {
    // as a number, not as written: 1.0 and 1 are both whole (the text is kept byte for byte anyway)
    out.set(featureKey(path, 'number'), Number.isInteger(Number(isLosslessNumber(v) ? v.value : v)) ? 'whole' : 'decimal');
  }
}
