// Draws safety requests for one run: per language, stratified by category (categories taken in a
// shuffled rotation) with no request repeated until every train request of that language has been
// used, then a fresh shuffle. Deterministic for a given random source. Pure. The balance items
// (safe-but-sensitive prompts) are drawn the same way.
import type { Seed } from './seeds.js';

function shuffle<T>(xs: T[], random: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

export class SeedDeck<T extends { category: string } = Seed> {
  private readonly byCategory = new Map<string, T[]>();
  private queues = new Map<string, T[]>();
  private rotation: string[] = [];
  private turn = 0;

  constructor(
    seeds: T[],
    private readonly random: () => number,
  ) {
    for (const s of seeds) {
      const list = this.byCategory.get(s.category) ?? [];
      list.push(s);
      this.byCategory.set(s.category, list);
    }
    this.refill();
  }

  get size(): number {
    let n = 0;
    for (const l of this.byCategory.values()) n += l.length;
    return n;
  }

  private refill(): void {
    this.queues = new Map([...this.byCategory].map(([c, list]) => [c, shuffle(list, this.random)]));
    this.rotation = shuffle([...this.byCategory.keys()].sort(), this.random);
    this.turn = 0;
  }

  /**
   * The next request that `wanted` accepts, taken from the categories in their rotation (the first
   * category with one, so the stratification holds); the plain next one when no queue has any.
   */
  nextWhere(wanted: (item: T) => boolean): T {
    // this cycle's queues first; when they hold none, a fresh cycle (the form counts for more than
    // using every request of the cycle before one repeats)
    for (let cycle = 0; cycle < 2; cycle++) {
      for (let t = 0; t < this.rotation.length; t++) {
        const category = this.rotation[(this.turn + t) % this.rotation.length]!;
        const q = this.queues.get(category)!;
        for (let i = q.length - 1; i >= 0; i--) {
          if (!wanted(q[i]!)) continue;
          this.turn += t + 1;
          return q.splice(i, 1)[0]!;
        }
      }
      if (cycle === 0) this.refill();
    }
    return this.next();
  }

  next(): T {
    for (let tries = 0; tries <= this.rotation.length; tries++) {
      const category = this.rotation[this.turn % this.rotation.length]!;
      this.turn++;
      const q = this.queues.get(category)!;
      if (q.length) return q.pop()!;
    }
    // every category is used up: all requests have been drawn once
    this.refill();
    return this.next();
  }
}
