// The manifest's injected list kept on disk while a run writes (MixOptions.keepInjected: false):
// each entry is serialized as the manifest holds it and appended to a temp file, so that a run's
// memory does not grow with the number of safety records; writeManifest copies the entries back,
// in order. The temp directory goes on close, on any abort, and (after a SIGKILL) with the next
// run's stale-spool sweep.
import { readSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { writeError } from '../io/io-error.js';
import { RunTempFile } from '../io/run-temp-file.js';
import type { ByteSink } from './record-sink.js';

/** The name every spool directory starts with (see removeStaleSpools in api/mix.ts). */
export const MANIFEST_SPOOL_LEAD = 'safemix-manifest-';

/** Bytes gathered before one write to the temp file. */
const BLOCK = 1 << 16;

/** One entry of the injected list as `JSON.stringify(manifest, null, 2)` prints it (indented two levels). */
export function injectedEntryText(entry: unknown): string {
  return '    ' + JSON.stringify(entry, null, 2).replace(/\n/g, '\n    ');
}

export class InjectedSpool {
  /** Entries added so far. */
  count = 0;
  private readonly file = new RunTempFile(MANIFEST_SPOOL_LEAD, 'injected');
  private readonly block = Buffer.allocUnsafe(BLOCK);
  private used = 0;
  /** Appends one entry (the manifest's separators included), encoded at once into a reused block. */
  add(entry: unknown): void {
    const text = (this.count > 0 ? ',\n' : '') + injectedEntryText(entry);
    this.count++;
    const n = Buffer.byteLength(text, 'utf8');
    if (this.used + n > this.block.length) this.flush();
    if (n > this.block.length) this.writeAll(Buffer.from(text, 'utf8'));
    else this.used += this.block.write(text, this.used, 'utf8');
  }

  private flush(): void {
    if (this.used === 0) return;
    this.writeAll(this.block.subarray(0, this.used));
    this.used = 0;
  }

  private writeAll(bytes: Buffer): void {
    try {
      for (let off = 0; off < bytes.length;) off += writeSync(this.file.fd, bytes, off, bytes.length - off);
    } catch (e) {
      this.close();
      throw writeError(e, `${tmpdir()} (the manifest's list of safety records)`);
    }
  }

  /** Writes every entry, in order, to `out`: the list's inside, without its brackets. */
  copyTo(out: ByteSink): void {
    this.flush();
    const block = this.block;
    for (let at = 0; ;) {
      const n = readSync(this.file.fd, block, 0, block.length, at);
      if (n === 0) return;
      // not copied: every ByteSink writes or copies what it is given before it returns
      out.write(block.subarray(0, n));
      at += n;
    }
  }

  /** Removes the temp file (idempotent). */
  close(): void {
    this.file.close();
  }
}
