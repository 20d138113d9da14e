// The second pass of every mix (mix, a multi-file mix's shards, mix-shard, queue jobs): the user
// records streamed through in file order, or (`--order shuffle`) their positions noted and read back
// in a seeded permutation, with the planned records placed between them where the blend plan says,
// and any planned records left over written at the end.
import seedrandom from 'seedrandom';
import { pausePoint } from '../io/cleanup.js';
import { RecordIndex } from '../read/record-index.js';
import type { SourceRecord } from '../read/types.js';
import { ParquetRowSpool, ParquetSink } from './parquet-sink.js';
import type { RecordSink } from './record-sink.js';
import type { BlendPlan, BlendOrder } from '../blend/plan.js';
import { writeShuffled } from '../blend/shuffled-pass.js';

interface BlendedPass {
  /** The input's path and its name in messages. */
  path: string;
  file: string;
  /** The input's records a read block at a time (bytes only: pass 1 parsed and checked them). */
  batches: AsyncIterable<SourceRecord[]>;
  sink: RecordSink | ParquetSink;
  plan: BlendPlan;
  order: BlendOrder;
  /** Names the shuffle's permutation (`shuffle:STREAM`). */
  stream: string;
  /** Records pass 1 rejected (left out, listed in the manifest). */
  rejectedAt: ReadonlySet<number>;
  /** Planned records in all; `written()` tells how many are written. */
  planned: number;
  written: () => number;
  /** Writes the next planned record (and counts its output index). */
  writeInjected: () => void;
  /** Counts a user record's output index. */
  userWritten: () => void;
  /** The pause point test runs stop at (after the second record read). */
  pause: string;
  /** After each read block: records read so far. */
  progress?: (seen: number) => void;
  /** After each block or shuffled record: waits while the output is full (standard output). */
  drained?: () => Promise<void>;
  /** Shuffle: after the input was read through, before anything is read back (checks of what was read). */
  afterScan?: (seen: number) => void;
}

/** Runs the pass; returns the number of input records read. */
export async function writeBlended(o: BlendedPass): Promise<number> {
  let seen = 0;
  const due = () => {
    while (o.plan.next()) o.writeInjected();
  };
  if (o.order === 'shuffle') {
    // user records move too: their positions go to a temp file (12 bytes a record), then they are read back by position
    const index = new RecordIndex();
    // a Parquet row has no bytes in the file to read back by position: the decoded rows are spooled
    const rowSpool = o.sink instanceof ParquetSink ? new ParquetRowSpool() : undefined;
    try {
      for await (const batch of o.batches) {
        for (const record of batch) {
          seen++;
          if (seen === 2) await pausePoint(o.pause);
          if (o.rejectedAt.has(record.index)) continue;
          if (rowSpool) index.add(...rowSpool.add(record.native!));
          else index.add(record.offset, record.raw.length);
        }
        o.progress?.(seen);
      }
      o.afterScan?.(seen);
      const sink = o.sink;
      await writeShuffled({
        path: o.path,
        file: o.file,
        index,
        permutation: index.permutation(seedrandom(`shuffle:${o.stream}`)),
        rowSpool,
        placeDue: due,
        write: (bytes) => {
          if (sink instanceof ParquetSink) sink.writeSpooled(bytes);
          else sink.writeGenerated(bytes);
          o.userWritten();
        },
        after: async (p) => {
          await o.drained?.();
          // the read-back is synchronous: let signals in now and then
          if ((p & 0x3ff) === 0x3ff || p === 1) {
            if (p === 1) await pausePoint('shuffle-write');
            await new Promise((r) => setImmediate(r));
          }
        },
      });
    } finally {
      index.close();
      rowSpool?.close();
    }
  } else {
    const skips = o.rejectedAt.size > 0;
    for await (const batch of o.batches) {
      for (const record of batch) {
        seen++;
        if (seen === 2) await pausePoint(o.pause);
        if (skips && o.rejectedAt.has(record.index)) continue; // listed by pass 1
        due();
        o.sink.writeUser(record);
        o.userWritten();
      }
      o.progress?.(seen);
      await o.drained?.();
    }
  }
  while (o.written() < o.planned) {
    o.plan.next();
    o.writeInjected();
  }
  return seen;
}
