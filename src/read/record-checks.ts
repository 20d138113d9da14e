// Checks every reader applies to a record's bytes and parsed value: valid UTF-8, no NUL byte,
// no prototype-polluting keys. Pure functions returning a problem description or undefined.
import { isUtf8 } from 'node:buffer';

export interface RecordProblem {
  code: 'invalid_utf8' | 'nul_byte' | 'forbidden_key';
  message: string;
  hint: string;
  field?: string;
}

const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
const FORBIDDEN_NEEDLES = FORBIDDEN_KEYS.map((k) => Buffer.from(`"${k}"`));

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
 * Value-level check: rejects `__proto__`, `constructor` and `prototype` keys anywhere in the record.
 * `raw` is used as a cheap pre-filter so that ordinary records are never walked.
 */
export function checkForbiddenKeys(raw: Buffer | undefined, value: unknown): RecordProblem | undefined {
  if (raw !== undefined && !FORBIDDEN_NEEDLES.some((n) => raw.includes(n))) return undefined;
  const path = findForbiddenKey(value, '');
  if (path === undefined) return undefined;
  return {
    code: 'forbidden_key',
    message: `key "${path.split('.').pop()?.replace(/\[\d+\]$/, '')}" is not allowed (it can pollute object prototypes in downstream tools)`,
    hint: 'rename or remove that key',
    field: path,
  };
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
export function firstInvalidUtf8Offset(buf: Buffer): number {
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
