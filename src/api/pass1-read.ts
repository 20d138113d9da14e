// The first pass's reading with its checks on worker threads: every record in order, those read
// with their value handled here, the others (ReadOptions.deferParse) checked in groups on the
// workers (pass1-pool.ts) and applied here in the records' order.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { SourceRecord } from '../read/types.js';
import { applyGroup, type CheckContext, type CheckedGroup } from './pass1-check.js';
import { Pass1Checks } from './pass1-pool.js';

/** Inputs at least this large are checked on worker threads by default. */
const THREADS_MIN_BYTES = 16 * 1024 * 1024;
/** At most this many worker threads by default (the main thread works too). */
const MAX_DEFAULT_THREADS = 3;

/** Worker threads a pass over the file uses by default: none for a small file, standard input or one core. */
export function defaultThreads(path: string): number {
  const bytes = path === '-' ? undefined : statSync(path, { throwIfNoEntry: false })?.size;
  if ((bytes ?? 0) < THREADS_MIN_BYTES) return 0;
  return Math.max(0, Math.min(MAX_DEFAULT_THREADS, availableParallelism() - 1));
}

/**
 * Reads every record of `batches` in order: `handle` for a record read with its value, `again` for
 * one whose check failed (read it again, for the exact message), `usable` for a checked record that passed (its numbers entered in
 * `idMax`); `after` after each batch. Says how many groups were checked on the workers.
 */
export async function readChecked(
  batches: AsyncIterable<SourceRecord[]>,
  threads: number,
  idMax: Map<string, number>,
  context: () => CheckContext,
  on: {
    handle: (r: SourceRecord) => Promise<void>;
    again: (r: SourceRecord) => Promise<void>;
    usable: (r: SourceRecord, suspect: boolean) => Promise<void>;
    after: () => void;
  },
): Promise<{ groupsOnWorkers: number }> {
  let checks: Pass1Checks | undefined;
  const visit = { again: on.again, usable: on.usable };
  const apply = async (groups: CheckedGroup[]) => {
    for (const g of groups) {
      await applyGroup(g, idMax, visit);
      checks!.release(g);
    }
  };
  try {
    for await (const batch of batches) {
      for (const r of batch) {
        if (r.deferred) {
          // the context is known once the dialect is, before the first record
          checks ??= new Pass1Checks(threads, context());
          checks.add(r);
          continue;
        }
        // a record read here comes after every record held for checking
        if (checks) await apply(await checks.take(true));
        await on.handle(r);
      }
      if (checks) await apply(await checks.take(false));
      on.after();
    }
    if (checks) await apply(await checks.take(true));
  } finally {
    await checks?.close();
  }
  return { groupsOnWorkers: checks?.sentToWorkers ?? 0 };
}
