// Parsers for numbers on the command line, the one place every command reads them. They are
// strict: `Number()` would take '' as 0, '0x10' as 16 and 'Infinity' as a number, so a value must
// be written in plain decimal digits; a decimal keeps exactly the digits typed (see exactDecimal).
import { InvalidArgumentError } from 'commander';
import { exactDecimal } from '../exact-decimal.js';
import { parseClosedAnswers, type ClosedAnswers } from '../generate/answer-policy.js';

const DIGITS = /^[0-9]+$/;
const DECIMAL = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

/** A whole number ≥ min written in digits (commander calls it with the previous value too: ignored). */
export function wholeNumber(min: number): (v: string) => number {
  return (v: string) => {
    const x = Number(v);
    if (!DIGITS.test(v) || !Number.isSafeInteger(x) || x < min)
      throw new InvalidArgumentError(
        `expected a whole number ≥ ${min} written in digits, such as ${min === 0 ? '0 or ' : ''}${Math.max(min, 50)} (got ${JSON.stringify(v)})`,
      );
    return x;
  };
}

export const positiveInt = wholeNumber(1);
export const nonNegativeInt = wholeNumber(0);

/** Whether the number read from `typed` is, as a decimal, what was typed ("0.29" yes; 20 digits no). */
function sameDecimal(typed: string, x: number): boolean {
  const a = exactDecimal(typed.startsWith('.') ? `0${typed}` : typed);
  const b = exactDecimal(x);
  if (!a || !b) return false;
  const scale = Math.max(a.scale, b.scale);
  return a.digits * 10n ** BigInt(scale - a.scale) === b.digits * 10n ** BigInt(scale - b.scale);
}

/** A decimal number ≥ 0 whose digits survive as typed (so k = round-half-up(r·n) is exact). */
export function nonNegativeNumber(v: string): number {
  const x = Number(v);
  if (!DECIMAL.test(v) || !Number.isFinite(x)) throw new InvalidArgumentError(`expected a decimal number ≥ 0, such as 0.05 (got ${JSON.stringify(v)})`);
  if (!sameDecimal(v, x)) throw new InvalidArgumentError(`${JSON.stringify(v)} has more significant digits than safemix keeps exactly (15); give fewer`);
  return x;
}

export function positiveNumber(v: string): number {
  const x = nonNegativeNumber(v);
  if (x <= 0) throw new InvalidArgumentError(`expected a decimal number > 0, such as 0.5 (got ${JSON.stringify(v)})`);
  return x;
}

export function shareOfOne(v: string): number {
  const x = nonNegativeNumber(v);
  if (x > 1) throw new InvalidArgumentError(`expected a share between 0 and 1, such as 0.2 (got ${JSON.stringify(v)})`);
  return x;
}

/** Commander's parsers are called with the previous value as a second argument: take only the first. */
export const one =
  (parse: (v: string) => number) =>
  (v: string): number =>
    parse(v);

/** `--closed-answers`: decline, refuse, skip, or label=VALUE. */
export function closedAnswersArg(v: string): ClosedAnswers {
  const parsed = parseClosedAnswers(v);
  if (!parsed) throw new InvalidArgumentError(`expected decline, refuse, skip or label=VALUE (got ${JSON.stringify(v)})`);
  return parsed;
}
