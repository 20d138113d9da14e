// The records a mix adds, as its manifest lists them and its result counts them: each safety record
// and balance example's entry, kept in memory or (MixOptions.keepInjected false) in a temp-file spool,
// the safety records counted by category, and the first few kept as examples for the summary.
import { Interner } from '../write/manifest-file.js';
import { InjectedSpool } from '../write/injected-spool.js';
import type { Manifest } from '../schemas/manifest.js';
import { removeStaleSpools } from './spool.js';
import type { MixResult } from './mix-types.js';

type Entry = Manifest['injected'][number];

export class AddedRecords {
  readonly injected: Manifest['injected'] = [];
  readonly balanceRecords: Manifest['injected'] = [];
  readonly categories: Record<string, number> = {};
  readonly examples: MixResult['examples'] = [];
  /** Records added so far. */
  count = 0;
  private spool: InjectedSpool | undefined;
  private balanceSpool: InjectedSpool | undefined;
  private readonly fieldMaps = new Interner<Entry['fields']>();

  /** Keeps the lists in temp files instead of memory (the balance list only when it will hold records). */
  spoolLists(balance: boolean): void {
    // a killed run's spool is swept first, as the shuffle index's is
    removeStaleSpools();
    this.spool = new InjectedSpool();
    if (balance) this.balanceSpool = new InjectedSpool();
  }

  /** Notes one record written at `index`, with its bytes as written. */
  add(entry: Entry, isBalance: boolean, index: number, bytes: string): void {
    if (!isBalance) this.categories[entry.category] = (this.categories[entry.category] ?? 0) + 1;
    this.count++;
    const listSpool = isBalance ? this.balanceSpool : this.spool;
    if (listSpool) listSpool.add(entry);
    else {
      entry.fields = this.fieldMaps.of(entry.fields);
      (isBalance ? this.balanceRecords : this.injected).push(entry);
    }
    if (this.examples.length < 3) this.examples.push({ index, text: bytes });
  }

  /** The spools writeManifest fills the lists from. */
  spools(): { injected?: InjectedSpool; balanceRecords?: InjectedSpool } {
    return { ...(this.spool ? { injected: this.spool } : {}), ...(this.balanceSpool ? { balanceRecords: this.balanceSpool } : {}) };
  }

  close(): void {
    this.spool?.close();
    this.balanceSpool?.close();
  }
}
