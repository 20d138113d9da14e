// Writes a dataset back in its own framing: the user's records as their exact bytes with their own
// separators, generated records with the file's usual separator, between the original prefix and suffix.
import type { Layout } from '../read/types.js';
import type { SourceRecord } from '../read/types.js';

export interface ByteSink {
  /** Writes or copies the bytes before it returns: the caller may reuse them at once. */
  write(bytes: Buffer | string): void;
}

export class RecordSink {
  private count = 0;
  private started = false;
  /**
   * User bytes not yet passed on: a run of records that lie next to each other in one read block is
   * passed on as one slice of that block (one copy, one hash update) instead of record by record.
   * It is passed on when the next record (user or generated) or the end is written, never later: a
   * reader that reuses its blocks relies on it.
   */
  private run: Buffer | undefined;
  private runEnd = 0;

  constructor(private readonly out: ByteSink, private readonly layout: Pick<Layout, 'prefix' | 'separator'>) {}

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.out.write(this.layout.prefix);
  }

  /** A user record: its bytes unchanged, after the separator that preceded it in the source. */
  writeUser(record: Pick<SourceRecord, 'index' | 'raw' | 'sepBefore'>): void {
    this.start();
    const raw = record.raw;
    const sep = this.count > 0 ? (record.index > 0 ? record.sepBefore : this.layout.separator) : undefined;
    this.count++;
    const run = this.run;
    // the record follows the run in the same block, its separator being the very bytes between them
    if (run && raw.buffer === run.buffer && sep && raw.byteOffset === this.runEnd + sep.length && sameBytes(run, this.runEnd, sep)) {
      this.runEnd = raw.byteOffset + raw.length;
      return;
    }
    this.flushRun();
    if (sep) this.out.write(sep);
    this.run = raw;
    this.runEnd = raw.byteOffset + raw.length;
  }

  /** Passes the pending run of user bytes on. */
  private flushRun(): void {
    const run = this.run;
    if (!run) return;
    this.out.write(Buffer.from(run.buffer, run.byteOffset, this.runEnd - run.byteOffset));
    this.run = undefined;
  }

  /** A generated record, already serialized in the file's style. */
  writeGenerated(bytes: Buffer | string): void {
    this.start();
    this.flushRun();
    if (this.count > 0) this.out.write(this.layout.separator);
    this.out.write(bytes);
    this.count++;
  }

  /** Writes the suffix (known only once the input has been read). */
  end(suffix: Buffer): void {
    this.start();
    this.flushRun();
    this.out.write(suffix);
  }

  get records(): number {
    return this.count;
  }
}

/** Whether `bytes` sit in `block`'s memory right at absolute byte offset `at` of its ArrayBuffer. */
function sameBytes(block: Buffer, at: number, bytes: Buffer): boolean {
  if (at < block.byteOffset || at + bytes.length > block.buffer.byteLength) return false;
  const view = new Uint8Array(block.buffer, at, bytes.length);
  for (let i = 0; i < bytes.length; i++) if (view[i] !== bytes[i]) return false;
  return true;
}
