// A ratio as the decimal it was written as (`0.29`, not the double nearest it), and n times it rounded
// half up on those digits: the exact arithmetic of k = round-half-up(n × ratio). Pure.

/** A decimal number as an exact fraction digits / 10^scale (both whole, scale ≥ 0). */
interface ExactDecimal {
  digits: bigint;
  scale: number;
}

const DECIMAL_TEXT = /^([0-9]+)(?:\.([0-9]*))?(?:e([-+]?[0-9]+))?$/i;

/**
 * The decimal a ratio was written as, exactly: a number is read through its shortest decimal form
 * (JavaScript's `String(x)`, which gives back "0.29" for the double nearest 0.29), so k never sees
 * the binary float's error (0.29 × 50 is 14.499999999999998 in floating point, 14.5 in decimal).
 */
export function exactDecimal(value: number | string): ExactDecimal | undefined {
  const m = DECIMAL_TEXT.exec(typeof value === 'number' ? String(value) : value.trim());
  if (!m) return undefined;
  const whole = m[1]!;
  const fraction = m[2] ?? '';
  const exponent = m[3] === undefined ? 0 : Number(m[3]);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400) return undefined;
  let digits = BigInt(whole + fraction);
  let scale = fraction.length - exponent;
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits, scale };
}

/** round-half-up(n × ratio), computed on the ratio's decimal digits with integers only. */
export function timesRoundHalfUp(n: number, ratio: number | string): number {
  const d = exactDecimal(ratio);
  if (!d) throw new RangeError(`not a decimal number ≥ 0: ${String(ratio)}`);
  const den = 10n ** BigInt(d.scale);
  const k = (2n * BigInt(n) * d.digits + den) / (2n * den);
  return k > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(k);
}

/**
 * k = max(1, round-half-up(R·n)) for R > 0, computed exactly on R's decimal digits (0.29 × 50 =
 * 14.5 → 15); an explicit count wins. Refuses k > 10·n unless `force`, and
 * any k that is not a safe integer.
 */
