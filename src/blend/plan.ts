// The blend plan: how many safety records (k) go into n user records, and where. Positions are
// drawn uniformly with a seeded generator by selection sampling (Knuth's Algorithm S), so the plan
// is streamed in O(1) memory: ask `next()` at each output position whether it is an injected one.
import seedrandom from 'seedrandom';
import { SafemixError } from '../errors.js';

export type BlendOrder = 'interleave' | 'append' | 'shuffle';

/** k = max(1, round(R·n)) for R > 0; an explicit count wins. */
export function injectedCount(n: number, options: { ratio?: number; count?: number }): number {
  if (options.count !== undefined) {
    if (!Number.isInteger(options.count) || options.count < 0) throw new SafemixError('usage', `--count must be a whole number ≥ 0 (got ${options.count})`, { hint: 'for example --count 50' });
    return options.count;
  }
  const ratio = options.ratio ?? 0.05;
  if (!(ratio >= 0) || !Number.isFinite(ratio)) throw new SafemixError('usage', `--ratio must be a number ≥ 0 (got ${ratio})`, { hint: 'for example --ratio 0.05 (one safety record per 20 user records)' });
  return ratio === 0 ? 0 : Math.max(1, Math.round(ratio * n));
}

/** Streams the output positions: `next()` is true when position t (in order) holds an injected record. */
export class BlendPlan {
  private t = 0;
  private chosen = 0;
  private readonly total: number;
  private readonly random: () => number;

  constructor(readonly users: number, readonly injected: number, readonly order: BlendOrder, seed: string) {
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
