// The output of a dry run (`mix --dry-run`): every byte the output would hold is counted and hashed,
// and none is written, so the dry run's manifest says exactly what a run would write.
import { Sha256 } from '../sha256.js';

export class DiscardSink {
  bytesWritten = 0;
  private readonly hash = new Sha256(false);

  write(bytes: Buffer | string): void {
    this.bytesWritten += this.hash.update(bytes);
  }

  /** Hex sha256 of everything "written". */
  sha256(): string {
    return this.hash.digestHex();
  }
}
