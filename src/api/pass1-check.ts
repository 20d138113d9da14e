// The first pass's check of a group of records read without a value (ReadOptions.deferParse): each
// is read (the approximate reading), checked against the file's dialect, its numbers noted and its
// bytes screened for a covert encoding. One pure function, run on a worker thread or in-thread
// alike, so where a group is checked changes nothing: the main thread applies the results in order.
import type { Dialect } from '../profile/dialects.js';
import type { Container, SourceRecord } from '../read/types.js';
import { approximateValue } from '../read/record-checks.js';
import { noteNumbers } from '../generate/id-max.js';
import { screenBytes } from '../encoding/screen.js';
import { recordRejection } from './record-rejection.js';

/** What the check needs of the run: the same for every group. */
export interface CheckContext {
  dialect: Dialect;
  container: Container;
  validate: boolean;
  trackNumbers: boolean;
  screen: boolean;
}

/** A record's status bit: the main thread reads it again itself (it failed a reading or a check, and its message is told from the exact reading). */
const READ_AGAIN = 1;
/** A record's status bit: the screen flags it. */
const SUSPECT = 2;

/**
 * A group's numbers: per field, the record (in the group) whose number first named the field, and
 * the largest number of the field in the group (see noteNumbers): enough to merge the group's
 * numbers with the run's in the order a single pass would have met them.
 */
export type GroupNumbers = [field: string, first: number, largest: number][];

const EMPTY = Buffer.alloc(0);
/** A group closes at this many records. */
export const GROUP_RECORDS = 8192;

/** Records checked together; their bytes back to back in `bytes`, record j ending at `ends[j]`. */
export interface CheckedGroup {
  firstIndex: number;
  count: number;
  bytes: Uint8Array;
  ends: Uint32Array;
  lines: number[];
  offsets: number[];
  /** One status a record (see pass1-check.ts), filled once the group is done. */
  status: Uint8Array;
  numbers?: GroupNumbers;
}

/**
 * Checks the `count` records held back to back in `bytes` (record j ends at `ends[j]`), writing one
 * status a record into `status` (0: usable and not flagged).
 */
export function checkGroup(bytes: Uint8Array, ends: Uint32Array, count: number, ctx: CheckContext, status: Uint8Array): GroupNumbers {
  const first = new Map<string, number>();
  const largest = new Map<string, number>();
  let start = 0;
  for (let j = 0; j < count; j++) {
    const end = ends[j]!;
    const raw = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start);
    start = end;
    const value = approximateValue(raw);
    if (
      value === undefined ||
      recordRejection({ index: j, line: 0, offset: 0, raw, sepBefore: EMPTY, value, approximate: true }, ctx.dialect, ctx.container, ctx.validate)
    ) {
      status[j] = READ_AGAIN;
      continue;
    }
    if (ctx.trackNumbers) {
      const known = largest.size;
      noteNumbers(value as Record<string, unknown>, true, largest);
      if (largest.size > known) for (const k of largest.keys()) if (!first.has(k)) first.set(k, j);
    }
    status[j] = ctx.screen && screenBytes(raw) !== undefined ? SUSPECT : 0;
  }
  return [...largest].map(([k, v]) => [k, first.get(k)!, v]);
}

/**
 * Walks a checked group in its records' order: `usable` for a record that passed (read
 * approximately, see SourceRecord.approximate), `again` for one the caller reads again itself.
 * Each field's first number enters `idMax` where a single pass would have entered it.
 */
export async function applyGroup(
  g: CheckedGroup,
  idMax: Map<string, number>,
  visit: { again: (r: SourceRecord) => Promise<void>; usable: (r: SourceRecord, suspect: boolean) => Promise<void> },
): Promise<void> {
  const numbers = g.numbers!;
  let next = 0;
  let start = 0;
  for (let j = 0; j < g.count; j++) {
    const end = g.ends[j]!;
    const raw = Buffer.from(g.bytes.buffer, g.bytes.byteOffset + start, end - start);
    start = end;
    const status = g.status[j]!;
    const r: SourceRecord = { index: g.firstIndex + j, line: g.lines[j]!, offset: g.offsets[j]!, raw, sepBefore: EMPTY, value: undefined, approximate: true };
    if (status & READ_AGAIN) {
      await visit.again(r);
      continue;
    }
    for (; next < numbers.length && numbers[next]![1] === j; next++) if (!idMax.has(numbers[next]![0])) idMax.set(numbers[next]![0], numbers[next]![2]);
    await visit.usable(r, (status & SUSPECT) !== 0);
  }
  for (const [field, , largest] of numbers) if (largest > (idMax.get(field) ?? -1)) idMax.set(field, largest);
}
