// The second pass of `--order shuffle`, shared by mix and mix-shard: the usable records' positions
// (noted in the first pass) in a seeded permutation, each record read back by position (a gzip input
// through its decompressed copy, a Parquet input from its row spool) and written in that order, with
// the planned records placed between them as the blend plan says.
import { openReadBack } from '../read/read-back.js';
import type { RecordIndex } from '../read/record-index.js';

interface ShuffledPass {
  /** The input's path and its name in messages. */
  path: string;
  file: string;
  index: RecordIndex;
  permutation: Uint32Array;
  /** A Parquet input's spooled rows: read from there instead of the input. */
  rowSpool?: { fd: number };
  /** Writes one user record's bytes. */
  write: (bytes: Buffer) => void;
  /** Writes the planned records due before the next user record. */
  placeDue: () => void;
  /** After each record (backpressure, signals); `p` is its place in the permutation. */
  after?: (p: number) => Promise<void>;
}

/** Writes every record in the permutation's order; returns how many. */
export async function writeShuffled(o: ShuffledPass): Promise<number> {
  const back = o.rowSpool ? { fd: o.rowSpool.fd, close: () => {} } : await openReadBack(o.path, o.file);
  try {
    for (let p = 0; p < o.permutation.length; p++) {
      o.placeDue();
      o.write(o.index.read(back.fd, o.permutation[p]!));
      if (o.after) await o.after(p);
      // the read-back is synchronous: let signals in now and then
      else if ((p & 0x3ff) === 0x3ff) await new Promise((r) => setImmediate(r));
    }
  } finally {
    back.close();
  }
  return o.permutation.length;
}
