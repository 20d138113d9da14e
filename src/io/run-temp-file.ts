// A file a run keeps beside its work (the shuffle index, the manifest's list of safety records): in
// a directory of its own under the system temp directory, named LEAD-RUNTAG-… so that the next run
// on this machine sweeps it when a SIGKILL left it (removeStaleSpools in api/mix.ts); removed on close
// and on any abort.
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onAbort } from './cleanup.js';
import { runTag } from './run-identity.js';

export class RunTempFile {
  private readonly handle: number;
  private readonly dir: string;
  private open = true;
  private readonly unregister: () => void;

  constructor(lead: string, name: string) {
    this.dir = mkdtempSync(join(tmpdir(), `${lead}${runTag()}-`));
    this.handle = openSync(join(this.dir, name), 'w+', 0o600);
    this.unregister = onAbort(() => this.close());
  }

  /** The file's descriptor, open for reading and writing; after close, an error (never a reused number). */
  get fd(): number {
    if (!this.open) throw new Error('the run temp file is closed');
    return this.handle;
  }

  /** Closes and removes the file and its directory (idempotent). */
  close(): void {
    if (this.open) {
      this.open = false;
      try {
        closeSync(this.handle);
      } catch {
        /* already closed */
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
    this.unregister();
  }
}
