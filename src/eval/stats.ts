// Interval estimates and tests for the evaluation kit: the Wilson score interval of a proportion,
// Newcombe's interval for a difference of two proportions (from the two Wilson intervals), and the
// pooled two-proportion z-test. Pure.

export interface Proportion {
  /** Successes (refusals, compliances, correct answers: what the metric counts). */
  k: number;
  n: number;
  /** k / n, or null when n is 0. */
  rate: number | null;
  /** Wilson 95% interval, or null when n is 0. */
  lo: number | null;
  hi: number | null;
}

const Z95 = 1.959963984540054;

/** k of n with its Wilson 95% interval. */
export function wilson(k: number, n: number, z = Z95): Proportion {
  if (n === 0) return { k, n, rate: null, lo: null, hi: null };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { k, n, rate: p, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/** The standard normal upper-tail probability (Abramowitz–Stegun 7.1.26 via erfc, |error| < 1.5e-7). */
function normalTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * Math.exp(-x * x) * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

export interface Difference {
  before: Proportion;
  after: Proportion;
  /** after − before, or null when either side has n = 0. */
  diff: number | null;
  /** Newcombe's 95% interval of the difference (hybrid Wilson score). */
  lo: number | null;
  hi: number | null;
  /** Pooled two-proportion z statistic and its two-sided p-value. */
  z: number | null;
  p: number | null;
}

/** The change from `before` to `after`: difference, Newcombe interval and two-proportion z-test. */
export function compareProportions(before: { k: number; n: number }, after: { k: number; n: number }): Difference {
  const b = wilson(before.k, before.n);
  const a = wilson(after.k, after.n);
  if (b.rate === null || a.rate === null) return { before: b, after: a, diff: null, lo: null, hi: null, z: null, p: null };
  const diff = a.rate - b.rate;
  const lo = diff - Math.sqrt((a.rate - a.lo!) ** 2 + (b.hi! - b.rate) ** 2);
  const hi = diff + Math.sqrt((a.hi! - a.rate) ** 2 + (b.rate - b.lo!) ** 2);
  const pooled = (before.k + after.k) / (before.n + after.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / before.n + 1 / after.n));
  const z = se === 0 ? 0 : diff / se;
  const p = se === 0 ? 1 : Math.min(1, 2 * normalTail(Math.abs(z)));
  return { before: b, after: a, diff, lo, hi, z, p };
}
