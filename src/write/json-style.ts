// The JSON writing style of a user's records (separator spacing, indentation, \uXXXX escaping)
// inferred from their raw bytes, and a serializer that writes new records in that same style,
// so that a generated record cannot be told apart from the user's by its formatting.
import { isLosslessNumber, type LosslessNumber } from 'lossless-json';

export interface JsonStyle {
  /** Between a key and its value: `": "` (Python, pretty) or `":"` (compact). */
  keySep: string;
  /** Between items on one line: `", "` (Python json.dumps) or `","`. Ignored when indented. */
  itemSep: string;
  /** Indentation unit when records span lines (pretty-printed), else null. */
  indent: string | null;
  /** Non-ASCII written as \uXXXX escapes (Python ensure_ascii) rather than raw UTF-8. */
  asciiOnly: boolean;
  /** Line ending inside pretty-printed records. */
  eol: string;
}

/** Reads the style off sample records' bytes; `elementIndent` is a JSON array element's own indentation. */
export function inferJsonStyle(raws: Buffer[], elementIndent = ''): JsonStyle {
  let keySpaced = 0;
  let keyTight = 0;
  let itemSpaced = 0;
  let itemTight = 0;
  let escaped = 0;
  let rawUtf8 = 0;
  let indent: string | null = null;
  let crlf = false;
  for (const raw of raws) {
    const text = raw.toString('utf8');
    const marks = separatorsOutsideStrings(text);
    if (marks.keySpaced) keySpaced++;
    else if (marks.keyTight) keyTight++;
    if (marks.itemSpaced) itemSpaced++;
    else if (marks.itemTight) itemTight++;
    if (/\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})/.test(text)) escaped++;
    if (raw.some((b) => b >= 0x80)) rawUtf8++;
    if (indent === null) {
      const nl = text.indexOf('\n');
      if (nl >= 0) {
        crlf = nl > 0 && text[nl - 1] === '\r';
        let j = nl + 1;
        while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
        const lead = text.slice(nl + 1, j);
        indent = lead.startsWith(elementIndent) ? lead.slice(elementIndent.length) || '  ' : lead || '  ';
      }
    }
  }
  const keySep = keyTight > keySpaced ? ':' : ': ';
  const itemSep = itemTight > itemSpaced ? ',' : ', ';
  const pythonDefault = indent === null && keySep === ': ' && itemSep === ', ';
  const asciiOnly = escaped > rawUtf8 ? true : rawUtf8 > escaped ? false : pythonDefault;
  return { keySep, itemSep, indent, asciiOnly, eol: crlf ? '\r\n' : '\n' };
}

function separatorsOutsideStrings(text: string): { keySpaced: boolean; keyTight: boolean; itemSpaced: boolean; itemTight: boolean } {
  const out = { keySpaced: false, keyTight: false, itemSpaced: false, itemTight: false };
  let inString = false;
  let seenKey = false;
  let seenItem = false;
  for (let i = 0; i < text.length && !(seenKey && seenItem); i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x3a && !seenKey) {
      seenKey = true;
      if (text[i + 1] === ' ') out.keySpaced = true;
      else out.keyTight = true;
    } else if (c === 0x2c && !seenItem) {
      seenItem = true;
      const next = text[i + 1];
      if (next === ' ') out.itemSpaced = true;
      else if (next !== '\n' && next !== '\r') out.itemTight = true;
    }
  }
  return out;
}

/** JSON.stringify in a given style. `base` is the indentation of the line the value starts on. */
export function stringifyStyled(value: unknown, style: JsonStyle, base = ''): string {
  // compact raw-UTF-8 style is JSON.stringify's own, for a tree of plain values (no kept number text)
  if (style.indent === null && style.keySep === ':' && style.itemSep === ',' && !style.asciiOnly && isPlainTree(value)) return JSON.stringify(value) ?? 'null';
  return write(value, style, base);
}

/** A parsed tree JSON.stringify writes as `write` does: plain objects, arrays, strings, finite or not numbers, booleans, null. */
function isPlainTree(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return true;
    case 'object': {
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isPlainTree(value[i])) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const k in value) if (!isPlainTree((value as Record<string, unknown>)[k])) return false;
      return true;
    }
    default:
      return false;
  }
}

function write(value: unknown, style: JsonStyle, indent: string): string {
  // a number kept as the donor wrote it (`1e400`, `1.0`, a big integer)
  if (isLosslessNumber(value)) return (value as LosslessNumber).value;
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string') return quote(value, style.asciiOnly);
    const s = JSON.stringify(value);
    return s === undefined ? 'null' : s;
  }
  const isArray = Array.isArray(value);
  const entries: [string | null, unknown][] = isArray
    ? (value as unknown[]).map((v) => [null, v])
    : Object.entries(value as object).filter(([, v]) => v !== undefined);
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return open + close;
  if (style.indent === null) {
    return open + entries.map(([k, v]) => (k === null ? '' : quote(k, style.asciiOnly) + style.keySep) + write(v, style, indent)).join(style.itemSep) + close;
  }
  const inner = indent + style.indent;
  const lines = entries.map(([k, v]) => inner + (k === null ? '' : quote(k, style.asciiOnly) + style.keySep) + write(v, style, inner));
  return open + style.eol + lines.join(',' + style.eol) + style.eol + indent + close;
}

/** A JSON string literal; with asciiOnly, every character outside space..tilde escaped as Python does. */
export function quote(s: string, asciiOnly: boolean): string {
  const json = JSON.stringify(s);
  if (!asciiOnly) return json;
  let out = '';
  let last = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c > 0x7e) {
      out += json.slice(last, i) + '\\u' + c.toString(16).padStart(4, '0');
      last = i + 1;
    }
  }
  return last === 0 ? json : out + json.slice(last);
}
