// A seeded reservoir sample (Algorithm R): a uniform sample of fixed size from a stream of unknown
// length, in memory bounded by the sample size. Same seed and stream, same sample.
import seedrandom from 'seedrandom';

export class Reservoir<T> {
  readonly items: T[] = [];
  seen = 0;
  private readonly random: () => number;

  constructor(readonly size: number, seed: string) {
    this.random = seedrandom(`reservoir:${seed}`);
  }

  /** Offers an item; `make` is called only if the item is kept (so unkept items cost nothing). */
  offer(make: () => T): void {
    this.seen++;
    if (this.items.length < this.size) {
      this.items.push(make());
      return;
    }
    const j = Math.floor(this.random() * this.seen);
    if (j < this.size) this.items[j] = make();
  }
}
