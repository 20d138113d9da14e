// Byte positions of a file's usable records, for --order shuffle: written to a temp file as they are
// found (12 bytes a record: offset and length), so that memory does not grow with the file; then read
// back one entry per record in the shuffled order, and the record itself by its position. The temp
// directory goes on close, on any abort, and (after a SIGKILL) with the next run's stale-spool sweep.
import { readSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SafemixError } from '../errors.js';
import { writeError } from '../io/io-error.js';
import { RunTempFile } from '../io/run-temp-file.js';

const ENTRY = 12;
const BUFFERED = 1 << 16;
const SCRATCH = 1 << 20;

/** The name every index directory starts with (see removeStaleSpools in api/mix.ts). */
export const INDEX_DIR_LEAD = 'safemix-shuffle-';

export class RecordIndex {
  size = 0;
  private readonly file = new RunTempFile(INDEX_DIR_LEAD, 'index');
  private buffer = Buffer.allocUnsafe(BUFFERED * ENTRY);
  private used = 0;
  private readonly entry = Buffer.allocUnsafe(ENTRY);
  /** Reused for records under SCRATCH bytes: a gigabyte read back record by record leaves no garbage. */
  private readonly scratch = Buffer.allocUnsafe(SCRATCH);

  add(offset: number, length: number): void {
    this.buffer.writeDoubleLE(offset, this.used);
    this.buffer.writeUInt32LE(length, this.used + 8);
    this.used += ENTRY;
    this.size++;
    if (this.used === this.buffer.length) this.flush();
  }

  private flush(): void {
    try {
      let off = 0;
      while (off < this.used) off += writeSync(this.file.fd, this.buffer, off, this.used - off, this.size * ENTRY - this.used + off);
    } catch (e) {
      this.close();
      throw writeError(e, `${tmpdir()} (the shuffle index)`);
    }
    this.used = 0;
  }

  /** A seeded Fisher-Yates permutation of 0..size-1. */
  permutation(random: () => number): Uint32Array {
    if (this.used) this.flush();
    const p = new Uint32Array(this.size);
    for (let i = 0; i < p.length; i++) p[i] = i;
    for (let i = p.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  /**
   * Record `i`'s bytes, read from the input file `fd` at the position the index holds. A record under
   * 1 MiB comes in a buffer reused by the next call: write it (the sinks copy it) before reading on.
   */
  read(fd: number, i: number): Buffer {
    if (this.used) this.flush();
    if (readSync(this.file.fd, this.entry, 0, ENTRY, i * ENTRY) !== ENTRY) throw new Error(`the shuffle index has no entry ${i}`);
    const offset = this.entry.readDoubleLE(0);
    const length = this.entry.readUInt32LE(8);
    const buf = length < SCRATCH ? this.scratch.subarray(0, length) : Buffer.allocUnsafe(length);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, offset + got);
      if (n === 0)
        throw new SafemixError('input_changed', 'the input ended before a record it held in the first pass; nothing was written', {
          hint: 'let the file settle (finish the upload or copy), then run again',
        });
      got += n;
    }
    return buf;
  }

  /** Removes the temp file (idempotent). */
  close(): void {
    this.file.close();
  }
}
