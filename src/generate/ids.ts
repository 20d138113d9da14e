// New ids for safety records, in the pattern of the user's ids and above the largest one seen in
// pass 1: numbers count up (raw text kept, so big integers stay exact), `HumanEval/{n}` and
// `sum-0041` get a new number at the same width, ids without digits get fresh characters of the
// same kinds. Pure given its random source.
import { LosslessNumber, isLosslessNumber } from 'lossless-json';

/** Number at the end of an id value (`HumanEval/163` → 163), for the largest id seen. */
export function trailingNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (isLosslessNumber(v)) return trailingNumber(Number((v as LosslessNumber).value));
  if (typeof v !== 'string') return undefined;
  let end = v.length;
  while (end > 0 && !(v[end - 1]! >= '0' && v[end - 1]! <= '9')) end--;
  let start = end;
  while (start > 0 && end - start < 15 && v[start - 1]! >= '0' && v[start - 1]! <= '9') start--;
  return start < end ? Number(v.slice(start, end)) : undefined;
}

/** An integer strictly above every integer that parses to `seen` (JSON.parse rounds past 2^53). */
function above(seen: number): bigint {
  if (!Number.isFinite(seen)) return 0n;
  const floor = BigInt(Math.floor(seen));
  if (Math.abs(seen) <= Number.MAX_SAFE_INTEGER) return floor + 1n;
  const ulp = 2n ** BigInt(Math.max(0, Math.floor(Math.log2(Math.abs(seen))) - 52));
  return floor + ulp + 1n;
}

/** The id of the `ordinal`-th safety record for a field whose largest seen number is `max`. */
export function newId(donorId: unknown, max: number | undefined, ordinal: number, random: () => number): unknown {
  const next = above(max ?? 0) + BigInt(ordinal);
  if (typeof donorId === 'number' || isLosslessNumber(donorId)) return new LosslessNumber(String(next));
  const s = String(donorId ?? '');
  // the last digit run takes the new number, at least as wide as the donor's (zero padding kept)
  let end = s.length;
  while (end > 0 && !(s[end - 1]! >= '0' && s[end - 1]! <= '9')) end--;
  let start = end;
  while (start > 0 && s[start - 1]! >= '0' && s[start - 1]! <= '9') start--;
  if (start < end) {
    const digits = String(next);
    return s.slice(0, start) + digits.padStart(end - start, '0') + s.slice(end);
  }
  // no digits: fresh characters of the same kinds (letters stay letters, in their case)
  let out = '';
  for (const ch of s) {
    if (ch >= 'a' && ch <= 'z') out += String.fromCharCode(97 + Math.floor(random() * 26));
    else if (ch >= 'A' && ch <= 'Z') out += String.fromCharCode(65 + Math.floor(random() * 26));
    else out += ch;
  }
  return out || `safety-${ordinal + 1}`;
}
