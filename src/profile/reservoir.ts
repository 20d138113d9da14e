// A seeded reservoir sample (Algorithm R): a uniform sample of fixed size from a stream of unknown
// length, in memory bounded by the sample size. Same seed and stream, same sample.
// With a byte bound as well, the sample also never holds more than `maxBytes` (by the caller's
// measure): past it, kept items are dropped at random and the capacity shrinks with them, which
// keeps the sample uniform (a uniform k-subset less a random member is a uniform (k-1)-subset).
// A stream that never reaches the bound gets exactly the sample it would get without one.
import seedrandom from 'seedrandom';

export class Reservoir<T> {
  readonly items: T[] = [];
  seen = 0;
  /** Whether the byte bound ever shrank the sample. */
  capped = false;
  private capacity: number;
  private bytes = 0;
  private readonly sizes: number[] = [];
  private readonly random: () => number;
  private readonly evict: () => number;

  constructor(
    readonly size: number,
    seed: string,
    private readonly bound?: { maxBytes: number; bytesOf: (item: T) => number },
  ) {
    this.capacity = size;
    this.random = seedrandom(`reservoir:${seed}`);
    this.evict = seedrandom(`reservoir-evict:${seed}`);
  }

  /** Offers an item; `make` is called only if the item is kept (so unkept items cost nothing). */
  offer(make: () => T): void {
    this.seen++;
    if (this.items.length < this.capacity) {
      this.keep(this.items.length, make());
      return;
    }
    const j = Math.floor(this.random() * this.seen);
    if (j < this.capacity) this.keep(j, make());
  }

  private keep(at: number, item: T): void {
    if (this.bound) {
      const size = this.bound.bytesOf(item);
      this.bytes += size - (at < this.sizes.length ? this.sizes[at]! : 0);
      this.sizes[at] = size;
    }
    this.items[at] = item;
    if (!this.bound) return;
    while (this.bytes > this.bound.maxBytes && this.items.length > 1) {
      const k = Math.floor(this.evict() * this.items.length);
      this.bytes -= this.sizes[k]!;
      const last = this.items.length - 1;
      this.items[k] = this.items[last]!;
      this.sizes[k] = this.sizes[last]!;
      this.items.pop();
      this.sizes.pop();
      this.capacity = this.items.length;
      this.capped = true;
    }
  }
}
