// Writes a dataset back in its own framing: the user's records as their exact bytes with their own
// separators, generated records with the file's usual separator, between the original prefix and suffix.
import type { Layout } from '../read/types.js';
import type { SourceRecord } from '../read/types.js';

export interface ByteSink {
  write(bytes: Buffer | string): void;
}

export class RecordSink {
  private count = 0;
  private started = false;

  constructor(private readonly out: ByteSink, private readonly layout: Pick<Layout, 'prefix' | 'separator'>) {}

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.out.write(this.layout.prefix);
  }

  /** A user record: its bytes unchanged, after the separator that preceded it in the source. */
  writeUser(record: Pick<SourceRecord, 'index' | 'raw' | 'sepBefore'>): void {
    this.start();
    if (this.count > 0) this.out.write(record.index > 0 ? record.sepBefore : this.layout.separator);
    this.out.write(record.raw);
    this.count++;
  }

  /** A generated record, already serialized in the file's style. */
  writeGenerated(bytes: Buffer | string): void {
    this.start();
    if (this.count > 0) this.out.write(this.layout.separator);
    this.out.write(bytes);
    this.count++;
  }

  /** Writes the suffix (known only once the input has been read). */
  end(suffix: Buffer): void {
    this.start();
    this.out.write(suffix);
  }

  get records(): number {
    return this.count;
  }
}
