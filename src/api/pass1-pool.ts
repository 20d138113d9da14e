// The first pass's checks on worker threads. Records read without a value (ReadOptions.deferParse)
// are copied into groups of about GROUP_BYTES; each group is checked (pass1-check.ts) on a worker,
// or in-thread when every worker already has PER_WORKER groups, so the main thread and the workers
// all keep working. Groups are handed back in the records' order, and applying them in that order
// gives the sample, rejections, numbers and suspects of a single-threaded pass, byte for byte.
// Memory is bounded: a bounded number of groups is held at once, each in a block of shared memory
// that is reused once the group is applied.
import type { Worker } from 'node:worker_threads';
import type { SourceRecord } from '../read/types.js';
import { checkGroup, GROUP_RECORDS, type CheckContext, type CheckedGroup, type GroupNumbers } from './pass1-check.js';
import { startModuleWorker } from './worker-script.js';

/** A group closes at this many bytes of records (a larger record is a group by itself). */
const GROUP_BYTES = 1 << 20;
/** Groups a worker is given before the main thread checks the next one itself. */
const PER_WORKER = 4;

interface HeldGroup extends CheckedGroup {
  used: number;
  done: boolean;
  wait?: Promise<void>;
  finish?: () => void;
}

export class Pass1Checks {
  private readonly workers: { worker: Worker; busy: number }[] = [];
  private readonly held: HeldGroup[] = [];
  private readonly sent = new Map<number, { group: HeldGroup; slot: { busy: number } }>();
  private open?: HeldGroup;
  private failure?: Error;
  private nextId = 0;
  /** Groups checked on the workers so far. */
  sentToWorkers = 0;
  private readonly maxHeld: number;
  /** Shared memory of groups already applied, reused: allocating it anew for every group let dead blocks pile up faster than they were collected. */
  private readonly spare: Pick<CheckedGroup, 'bytes' | 'ends' | 'status'>[] = [];

  constructor(
    threads: number,
    private readonly ctx: CheckContext,
  ) {
    for (let i = 0; i < threads; i++) {
      const worker = startModuleWorker('pass1-worker', ctx);
      const slot = { worker, busy: 0 };
      worker.on('message', (m: { id: number; numbers: GroupNumbers }) => this.answered(m));
      worker.on('error', (e) => this.fail(e));
      worker.on('exit', (code) => {
        if (this.sent.size) this.fail(new Error(`a check worker stopped (exit code ${code}) with groups in hand`));
      });
      this.workers.push(slot);
    }
    this.maxHeld = (PER_WORKER + 1) * (threads + 1);
  }

  /** Copies a deferred record into the open group (the record's bytes may be reused afterwards). */
  add(r: SourceRecord): void {
    let g = this.open;
    if (g && (g.count === GROUP_RECORDS || g.used + r.raw.length > g.bytes.length)) {
      this.dispatch();
      g = undefined;
    }
    g ??= this.open = this.newGroup(r.index, r.raw.length);
    g.bytes.set(r.raw, g.used);
    g.used += r.raw.length;
    g.ends[g.count] = g.used;
    g.lines.push(r.line);
    g.offsets.push(r.offset);
    g.count++;
  }

  /**
   * The checked groups at the head, in order. With `all`, every record added so far is checked and
   * handed back; else this waits only while more than the bound of groups are held.
   */
  async take(all: boolean): Promise<CheckedGroup[]> {
    if (all && this.open) this.dispatch();
    const out: CheckedGroup[] = [];
    for (;;) {
      if (this.failure) throw this.failure;
      const head = this.held[0];
      if (!head) return out;
      if (!head.done) {
        if (!all && this.held.length <= this.maxHeld) return out;
        await head.wait;
        continue;
      }
      out.push(this.held.shift()!);
    }
  }

  /** Gives a group's memory back once its results are applied: the next groups reuse it. */
  release(g: CheckedGroup): void {
    if (g.bytes.length === GROUP_BYTES && this.spare.length <= this.maxHeld) this.spare.push({ bytes: g.bytes, ends: g.ends, status: g.status });
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.sent.clear();
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  /** A group with memory for records of `need` bytes: a spare block, or a new one (a larger record gets its own). */
  private newGroup(firstIndex: number, need: number): HeldGroup {
    const memory = (need <= GROUP_BYTES ? this.spare.pop() : undefined) ?? {
      bytes: new Uint8Array(new SharedArrayBuffer(Math.max(GROUP_BYTES, need))),
      ends: new Uint32Array(new SharedArrayBuffer(4 * GROUP_RECORDS)),
      status: new Uint8Array(new SharedArrayBuffer(GROUP_RECORDS)),
    };
    return { firstIndex, count: 0, used: 0, ...memory, lines: [], offsets: [], done: false };
  }

  private dispatch(): void {
    const g = this.open!;
    this.open = undefined;
    this.held.push(g);
    const slot = this.workers.reduce<(typeof this.workers)[number] | undefined>(
      (best, w) => (w.busy < PER_WORKER && (!best || w.busy < best.busy) ? w : best),
      undefined,
    );
    if (!slot) {
      g.numbers = checkGroup(g.bytes, g.ends, g.count, this.ctx, g.status);
      g.done = true;
      return;
    }
    const id = this.nextId++;
    this.sentToWorkers++;
    slot.busy++;
    g.wait = new Promise<void>((resolve) => (g.finish = resolve));
    this.sent.set(id, { group: g, slot });
    slot.worker.postMessage({ id, bytes: g.bytes, ends: g.ends, count: g.count, status: g.status });
  }

  private answered(m: { id: number; numbers: GroupNumbers }): void {
    const s = this.sent.get(m.id);
    if (!s) return;
    this.sent.delete(m.id);
    s.slot.busy--;
    s.group.numbers = m.numbers;
    s.group.done = true;
    s.group.finish!();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const { group } of this.sent.values()) group.finish!();
    this.sent.clear();
  }
}
