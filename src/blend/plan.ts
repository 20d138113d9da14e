// The blend plan: how many safety records (k) go into n user records, and where. Positions are
// drawn uniformly with a seeded generator by selection sampling (Knuth's Algorithm S), so the plan
// is streamed in O(1) memory: ask `next()` at each output position whether it is an injected one.
import seedrandom from 'seedrandom';
import { SafemixError } from '../errors.js';
import { timesRoundHalfUp } from '../exact-decimal.js';

export type BlendOrder = 'interleave' | 'append' | 'shuffle';

/**
 * The most safety records a run adds per user record unless forced: a ratio or count past this is
 * almost always a typo (`--ratio 5` for 5%, `--count 1e12`) and would write without end.
 */
export const MAX_INJECTED_PER_USER = 10;

interface InjectedCountOptions {
  ratio?: number;
  count?: number;
  /** Allow more than MAX_INJECTED_PER_USER safety records per user record (`--force`). */
  force?: boolean;
  /** The input's name, for the message. */
  file?: string;
}

export function injectedCount(n: number, options: InjectedCountOptions): number {
  const position = options.file === undefined ? {} : { file: options.file };
  let k: number;
  let asked: string;
  if (options.count !== undefined) {
    if (!Number.isInteger(options.count) || options.count < 0)
      throw new SafemixError('usage', `--count must be a whole number ≥ 0 (got ${options.count})`, { position, hint: 'for example --count 50' });
    k = options.count;
    asked = `--count ${options.count}`;
  } else {
    const ratio = options.ratio ?? 0.05;
    if (!(ratio >= 0) || !Number.isFinite(ratio))
      throw new SafemixError('usage', `--ratio must be a number ≥ 0 (got ${ratio})`, {
        position,
        hint: 'for example --ratio 0.05 (one safety record per 20 user records)',
      });
    k = ratio === 0 ? 0 : Math.max(1, timesRoundHalfUp(n, ratio));
    asked = `--ratio ${ratio}`;
  }
  if (!Number.isSafeInteger(k))
    throw new SafemixError('too_many_injected', `${asked} asks for ${k} safety records, more than can be counted exactly`, {
      position,
      hint: 'lower --ratio or --count',
    });
  if (!options.force && n > 0 && k > MAX_INJECTED_PER_USER * n)
    throw new SafemixError(
      'too_many_injected',
      `${asked} asks for ${k.toLocaleString('en-US')} safety records for ${n.toLocaleString('en-US')} user records, more than ${MAX_INJECTED_PER_USER}× as many; nothing was written`,
      {
        position,
        hint: `lower it (a ratio of a few percent, e.g. --ratio 0.05, is typical); pass --force if you really want more than ${MAX_INJECTED_PER_USER} per user record`,
      },
    );
  return k;
}

/**
 * Splits k safety records across parts (shards) in proportion to their record counts, by largest
 * remainder: part i gets floor(k·n_i/N), and the records left over go one each to the parts with
 * the largest remainders (k·n_i mod N), the earlier part first on a tie. Exact integer arithmetic;
 * the shares add up to k, and a part with no records gets none. The one rule for splitting k.
 */
export function splitInjected(k: number, counts: readonly number[]): number[] {
  if (!Number.isSafeInteger(k) || k < 0) throw new RangeError(`k must be a whole number ≥ 0 (got ${k})`);
  for (const n of counts) if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`record counts must be whole numbers ≥ 0 (got ${n})`);
  const total = counts.reduce((a, b) => a + BigInt(b), 0n);
  if (total === 0n) {
    if (k > 0) throw new RangeError(`cannot split ${k} safety records across parts that hold no records`);
    return counts.map(() => 0);
  }
  const K = BigInt(k);
  const shares = counts.map((n) => (K * BigInt(n)) / total);
  const remainders = counts.map((n, i) => ({ i, r: (K * BigInt(n)) % total }));
  let left = k - shares.reduce((a, b) => a + Number(b), 0);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left <= 0) break;
    shares[i]! += 1n;
    left--;
  }
  return shares.map(Number);
}

/** Streams the output positions: `next()` is true when position t (in order) holds an injected record. */
export class BlendPlan {
  private t = 0;
  private chosen = 0;
  private readonly total: number;
  private readonly random: () => number;

  constructor(
    readonly users: number,
    readonly injected: number,
    readonly order: BlendOrder,
    seed: string,
  ) {
    this.total = users + injected;
    this.random = seedrandom(`blend:${seed}`);
  }

  next(): boolean {
    const remaining = this.total - this.t;
    const need = this.injected - this.chosen;
    let pick: boolean;
    if (this.order === 'append') pick = this.t >= this.users;
    else pick = need > 0 && this.random() * remaining < need;
    this.t++;
    if (pick) this.chosen++;
    return pick;
  }
}
