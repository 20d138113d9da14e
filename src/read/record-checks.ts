// Checks every reader applies to a record's bytes and parsed value: valid UTF-8, no NUL byte,
// nesting no deeper than MAX_NESTING, no prototype-polluting keys. Pure functions returning a
// problem description or undefined.
import { isUtf8 } from 'node:buffer';

interface RecordProblem {
  code: 'invalid_utf8' | 'nul_byte' | 'forbidden_key' | 'nesting_too_deep';
  message: string;
  hint: string;
  field?: string;
}

export const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
const FORBIDDEN_NEEDLES = FORBIDDEN_KEYS.map((k) => Buffer.from(`"${k}"`));
/** A `\u` escape can spell any key (`"\u005f_proto__"`): records holding one are always walked. */
const UNICODE_ESCAPE = Buffer.from('\\u');

/**
 * Deepest nesting of arrays and objects a JSON record may have. Every later step (the checks, the
 * profiler, the renderer, the writer) may recurse into a record; the cap keeps them all far from
 * the stack limit, and is the same for validate, inspect and mix because the reader applies it.
 */
export const MAX_NESTING = 128;

/**
 * Byte-level nesting check, run before JSON.parse: counts `[`/`{` outside strings. Linear (strings
 * are skipped with indexOf), and it stops at the first level past the limit.
 */
export function checkNesting(raw: Buffer, max = MAX_NESTING): RecordProblem | undefined {
  let depth = 0;
  let i = 0;
  const n = raw.length;
  while (i < n) {
    const b = raw[i]!;
    if (b === 0x22) {
      // skip the string: find its closing quote (one not escaped by an odd run of backslashes)
      let from = i + 1;
      for (;;) {
        const q = raw.indexOf(0x22, from);
        if (q < 0) return undefined; // unterminated: JSON.parse says so
        let k = q - 1;
        while (k >= from && raw[k] === 0x5c) k--;
        from = q + 1;
        if ((q - 1 - k) % 2 === 0) break;
      }
      i = from;
      continue;
    }
    if (b === 0x5b || b === 0x7b) {
      if (++depth > max) {
        return {
          code: 'nesting_too_deep',
          message: `arrays and objects are nested more than ${max} levels deep (level ${depth} opens at byte ${i + 1} of the record)`,
          hint: `flatten the record; safemix refuses nesting deeper than ${max} so that no step can run out of stack`,
        };
      }
    } else if (b === 0x5d || b === 0x7d) depth--;
    i++;
  }
  return undefined;
}

/** Byte-level checks, run before parsing. */
export function checkRecordBytes(raw: Buffer): RecordProblem | undefined {
  const nul = raw.indexOf(0);
  if (nul >= 0) {
    return {
      code: 'nul_byte',
      message: `NUL byte (0x00) at byte ${nul + 1} of the record`,
      hint: 'remove the NUL byte; it is not valid in a text dataset and often means a binary or UTF-16 file',
    };
  }
  if (!isUtf8(raw)) {
    const at = firstInvalidUtf8Offset(raw);
    return {
      code: 'invalid_utf8',
      message: `invalid UTF-8 at byte ${at + 1} of the record (byte 0x${raw[at]?.toString(16).padStart(2, '0')})`,
      hint: 're-encode the file as UTF-8 (for example `iconv -f latin1 -t utf-8`)',
    };
  }
  return undefined;
}

/**
 * Value-level check: rejects `__proto__`, `constructor` and `prototype` keys anywhere in the record,
 * however they are spelled in the bytes (the parsed keys are checked). `raw` is a cheap pre-filter:
 * a record whose bytes hold neither a forbidden key literally nor any `\u` escape cannot have one.
 */
export function checkForbiddenKeys(raw: Buffer | undefined, value: unknown): RecordProblem | undefined {
  if (raw !== undefined && !raw.includes(UNICODE_ESCAPE) && !FORBIDDEN_NEEDLES.some((n) => raw.includes(n))) return undefined;
  const path = findForbiddenKey(value, '');
  if (path === undefined) return undefined;
  return {
    code: 'forbidden_key',
    message: `key "${path
      .split('.')
      .pop()
      ?.replace(/\[\d+\]$/, '')}" is not allowed (it can pollute object prototypes in downstream tools)`,
    hint: 'rename or remove that key',
    field: path,
  };
}

/**
 * One walk over a parsed record: whether it nests deeper than `max` or holds a forbidden key
 * (`nesting` or `key`), else undefined. It stops at the cap, so it cannot run out of stack.
 */
function walkRecord(value: unknown, max = MAX_NESTING): 'nesting' | 'key' | undefined {
  return walk(value, 1, max);
}

function walk(value: unknown, depth: number, max: number): 'nesting' | 'key' | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v !== null && typeof v === 'object') {
        if (depth + 1 > max) return 'nesting';
        const found = walk(v, depth + 1, max);
        if (found) return found;
      }
    }
    return undefined;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return 'key';
    const v = record[key];
    if (v !== null && typeof v === 'object') {
      if (depth + 1 > max) return 'nesting';
      const found = walk(v, depth + 1, max);
      if (found) return found;
    }
  }
  return undefined;
}

function findForbiddenKey(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findForbiddenKey(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const here = path ? `${path}.${key}` : key;
      if ((FORBIDDEN_KEYS as readonly string[]).includes(key)) return here;
      const found = findForbiddenKey((value as Record<string, unknown>)[key], here);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Offset of the first byte that breaks UTF-8 (only called once a record is known to be invalid). */
function firstInvalidUtf8Offset(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    if (need > 0) {
      if (i + need >= buf.length) return i;
      if (!isUtf8(buf.subarray(i, i + need + 1))) return i;
    }
    i += need + 1;
  }
  return Math.max(0, buf.length - 1);
}

/**
 * A JSON record's value read for checking: parsed from its bytes as Latin-1 (each byte one
 * character: the same JSON structure, keys and ASCII text as the UTF-8 reading, since UTF-8 puts no
 * byte under 0x80 inside a multi-byte character), then walked once for nesting and forbidden keys.
 * Undefined when any check fails: the caller then reads the record exactly, for the exact message.
 */
export function approximateValue(raw: Buffer): object | undefined {
  if (checkRecordBytes(raw)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('latin1'));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return walkRecord(value) ? undefined : value;
}
