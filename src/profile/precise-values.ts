// Parsed values that keep what JSON.parse loses: integers past 2^53 (ids such as
// 12345678901234567890 would all parse to one number and look constant) stay exact as
// LosslessNumber; every other number is a plain number. Used for the profiled sample. Pure.
import { parse, isSafeNumber, LosslessNumber } from 'lossless-json';

/** Whether a record's bytes hold a digit run long enough to be past 2^53. */
export function mayHoldUnsafeNumber(raw: Buffer): boolean {
  let run = 0;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    run = b >= 0x30 && b <= 0x39 ? run + 1 : 0;
    if (run >= 16) return true;
  }
  return false;
}

export function preciseValue(raw: Buffer): unknown {
  return parse(raw.toString('utf8'), undefined, (s) => (isSafeNumber(s) ? Number(s) : new LosslessNumber(s)));
}
