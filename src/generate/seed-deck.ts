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
