// Writes a dataset back in its own framing: the user's records as their exact bytes with their own
// separators, generated records with the file's usual separator, between the original prefix and suffix.
// A user record keeps the line ending that followed it in the source even when generated records
// come after it (files with mixed CRLF and LF endings): the ending is known only when the next user
// record (its separator before) or the end arrives, so generated records wait for it, up to a bound.
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

  /**
   * Generated records written after a user record whose own ending is not known yet; they go out
   * once it is (the next user record's separator, or a line-ending suffix), or when they pass
   * PENDING_MAX bytes (a long run of generated records: the usual separator is used then).
   */
  private pending: (Buffer | string)[] = [];
  private pendingBytes = 0;
  /** Whether the last record written (or held) follows a user record whose ending is still open. */
  private userEndingOpen = false;

  constructor(
    private readonly out: ByteSink,
    private readonly layout: Pick<Layout, 'prefix' | 'separator'>,
  ) {}

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.out.write(this.layout.prefix);
  }

  /** A user record: its bytes unchanged, after the separator that preceded it in the source. */
  writeUser(record: Pick<SourceRecord, 'index' | 'raw' | 'sepBefore'>): void {
    this.start();
    const raw = record.raw;
    let sep = this.count > 0 ? (record.index > 0 ? record.sepBefore : this.layout.separator) : undefined;
    if (this.pending.length) {
      // the previous user record's own ending is this record's separator; the held records end as usual
      this.flushRun();
      this.out.write(sep ?? this.layout.separator);
      this.writePending();
      sep = this.layout.separator;
    }
    this.userEndingOpen = true;
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
    if (this.userEndingOpen) {
      // held until the user record before it has its own ending (the bytes may be a reused block: copied)
      this.pending.push(typeof bytes === 'string' ? bytes : Buffer.from(bytes));
      this.pendingBytes += bytes.length;
      this.count++;
      if (this.pendingBytes > PENDING_MAX) {
        this.flushRun();
        this.out.write(this.layout.separator);
        this.writePending();
      }
      return;
    }
    this.flushRun();
    if (this.count > 0) this.out.write(this.layout.separator);
    this.out.write(bytes);
    this.count++;
  }

  /** The held generated records, each after the usual separator but the first. */
  private writePending(): void {
    for (const [i, g] of this.pending.entries()) {
      if (i > 0) this.out.write(this.layout.separator);
      this.out.write(g);
    }
    this.pending = [];
    this.pendingBytes = 0;
    // after a forced flush, later generated records follow the last held one as usual
    this.userEndingOpen = false;
  }

  /** Writes the suffix (known only once the input has been read). */
  end(suffix: Buffer): void {
    this.start();
    this.flushRun();
    if (this.pending.length) {
      // a suffix that is a line ending was the last user record's: it keeps it, the file ends as before
      this.out.write(isLineEnding(suffix) ? suffix : this.layout.separator);
      this.writePending();
    }
    this.out.write(suffix);
  }

  get records(): number {
    return this.count;
  }
}

/** Generated bytes held for a user record's ending before they are written with the usual separator. */
const PENDING_MAX = 1 << 20;

function isLineEnding(b: Buffer): boolean {
  return (b.length === 1 && (b[0] === 0x0a || b[0] === 0x0d)) || (b.length === 2 && b[0] === 0x0d && b[1] === 0x0a);
}

/** Whether `bytes` sit in `block`'s memory right at absolute byte offset `at` of its ArrayBuffer. */
function sameBytes(block: Buffer, at: number, bytes: Buffer): boolean {
  if (at < block.byteOffset || at + bytes.length > block.buffer.byteLength) return false;
  const view = new Uint8Array(block.buffer, at, bytes.length);
  for (let i = 0; i < bytes.length; i++) if (view[i] !== bytes[i]) return false;
  return true;
}
