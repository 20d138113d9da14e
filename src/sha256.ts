// SHA-256 of large byte streams (the input as read, the output as written), computed on a worker
// thread beside the main thread so that hashing a gigabyte costs the main thread only a copy.
// The API is synchronous, like node:crypto's Hash: `update` copies the bytes into one of SLOTS
// shared blocks, and a full block is handed to the worker; `digestHex` waits for the worker's answer.
// The blocks are allocated once per stream and reused, so memory is fixed (SLOTS × SLOT_BYTES):
// when every block is still being hashed, `update` waits. Small streams (under PARALLEL_MIN_BYTES)
// are hashed in-thread: a worker is not worth starting. With `crc32`, the stream also keeps a
// CRC-32 of the same bytes: the cheap check a later pass compares against (see DatasetReader.crc32).
import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { Worker } from 'node:worker_threads';

/** Streams at least this large are hashed on the worker thread. */
export const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;
const SLOTS = 4;
const SLOT_BYTES = 1 << 20;
/** A worker that answers nothing for this long is broken: a bug, never an input problem. */
const STALL_MS = 120_000;
/** Bytes the worker writes between two flushes to disk (see the worker's source). */
const SYNC_BYTES = 32 * 1024 * 1024;

// plain JavaScript, evaluated as the worker's script: runs the same under tsx, vitest and the build.
// ctrl[0]: blocks done so far, in order (written when there is a file, and hashed); ctrl[1]: 1 once
// the digest is written to `out`; ctrl[2]: 1 once a write failed (its error code is in `error`, and
// later blocks are hashed but not written); ctrl[3]: flushes to disk in flight (0 or 1).
// The worker writes each block itself, one positional write after another: writes handed to the
// thread pool ran several at once on the same file, and cost more kernel time (2.3–3.0 s of CPU for
// a 1 GB output, against 1.8 s written in order, in the runs compared; the kernel's time for the
// same writes varies from run to run).
// Every SYNC_BYTES written, the worker starts a flush (fdatasync, on the thread pool) and goes on
// writing: the disk writes while the run goes on, and the output's final fsync waits only for the
// last blocks (it waited 0.5 s for a whole 1 GB output, which the kernel had not begun to write
// back). A failed flush fails the stream like a failed write: its error is never lost to the final
// fsync (Linux reports a writeback error once per open file).
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { writeSync, fdatasync } = require('node:fs');
const { crc32 } = require('node:zlib');
const SYNC_BYTES = ${SYNC_BYTES};
const streams = new Map();
function flush(s) {
  Atomics.store(s.ctrl, 3, 1);
  fdatasync(s.fd, (e) => {
    if (e) fail(s, e);
    Atomics.store(s.ctrl, 3, 0);
    Atomics.notify(s.ctrl, 3);
  });
}
function fail(s, e) {
  if (Atomics.load(s.ctrl, 2) !== 0) return;
  s.error.set(Buffer.from(String(e.code || e.message).slice(0, 60)));
  Atomics.store(s.ctrl, 2, 1);
}
function writeAt(s, block, at) {
  if (Atomics.load(s.ctrl, 2) !== 0) return;
  try {
    for (let off = 0; off < block.length; ) off += writeSync(s.fd, block, off, block.length - off, at + off);
  } catch (e) {
    fail(s, e);
  }
}
parentPort.on('message', (m) => {
  if (m.op === 'open') { streams.set(m.id, { hash: createHash('sha256'), ctrl: new Int32Array(m.ctrl), error: new Uint8Array(m.error), fd: m.fd, slots: m.slots.map((b) => new Uint8Array(b)), position: 0, unsynced: 0, crc: m.crc ? 0 : undefined }); return; }
  const s = streams.get(m.id);
  if (!s) return;
  if (m.op === 'update') {
    const block = s.slots[m.slot].subarray(0, m.len);
    if (s.fd !== undefined) {
      writeAt(s, block, s.position);
      s.position += block.length;
      s.unsynced += block.length;
      if (s.unsynced >= SYNC_BYTES && Atomics.load(s.ctrl, 3) === 0) {
        s.unsynced = 0;
        flush(s);
      }
    }
    s.hash.update(block);
    if (s.crc !== undefined) s.crc = crc32(block, s.crc);
    Atomics.add(s.ctrl, 0, 1);
    Atomics.notify(s.ctrl, 0);
  } else if (m.op === 'digest') {
    new Uint8Array(m.out).set(s.hash.digest());
    if (s.crc !== undefined) new DataView(m.out).setUint32(32, s.crc);
    streams.delete(m.id);
    Atomics.store(s.ctrl, 1, 1);
    Atomics.notify(s.ctrl, 1);
  } else if (m.op === 'close') streams.delete(m.id);
});
`;

let worker: Worker | undefined;
let nextId = 0;

function sharedWorker(): Worker {
  if (!worker) {
    worker = new Worker(WORKER_SOURCE, { eval: true });
    // the worker never keeps the process alive, and a crashed worker is replaced by the next stream
    worker.unref();
    worker.on('error', () => (worker = undefined));
    worker.on('exit', () => (worker = undefined));
  }
  return worker;
}

/** A failed write of the worker (`code` as node:fs gives it, e.g. ENOSPC). */
export class BlockWriteError extends Error {
  constructor(readonly code: string) {
    super(`write failed (${code})`);
  }
}

/**
 * Incremental SHA-256; `parallel` puts the work on the worker thread. With `writeFd`, the worker
 * also writes every block to that file descriptor before hashing it: the main thread then only
 * copies bytes, and write errors come back as a BlockWriteError from `update`, `settle` or `digestHex`.
 */
export class Sha256 {
  private readonly local?: Hash;
  private readonly id = nextId++;
  private readonly ctrl?: Int32Array;
  private readonly port?: Worker;
  private readonly slots: Buffer[] = [];
  /** Blocks handed to the worker so far; the block being filled is slots[sent % SLOTS]. */
  private sent = 0;
  private used = 0;
  private digest?: string;
  private readonly error?: Uint8Array;
  /** The CRC-32 so far (in-thread), or once digested (worker); undefined without `crc32`. */
  private crc?: number;

  constructor(parallel: boolean, options: { writeFd?: number; crc32?: boolean } = {}) {
    if (options.crc32) this.crc = 0;
    if (!parallel) {
      if (options.writeFd !== undefined) throw new Error('Sha256: writeFd needs parallel');
      this.local = createHash('sha256');
      return;
    }
    this.ctrl = new Int32Array(new SharedArrayBuffer(16));
    this.error = new Uint8Array(new SharedArrayBuffer(64));
    const shared = Array.from({ length: SLOTS }, () => new SharedArrayBuffer(SLOT_BYTES));
    for (const b of shared) this.slots.push(Buffer.from(b));
    this.port = sharedWorker();
    this.port.postMessage({
      op: 'open',
      id: this.id,
      ctrl: this.ctrl.buffer,
      error: this.error.buffer,
      fd: options.writeFd,
      crc: options.crc32 === true,
      slots: shared,
    });
  }

  /** Waits until every block handed over is written and hashed, and no flush is in flight; throws a failed write or flush. */
  settle(): void {
    if (this.local || this.digest !== undefined) return;
    if (this.used) this.send();
    this.waitFor(0, () => Atomics.load(this.ctrl!, 0) === this.sent);
    this.waitFor(3, () => Atomics.load(this.ctrl!, 3) === 0);
  }

  private checkWrite(): void {
    if (Atomics.load(this.ctrl!, 2) === 0) return;
    const code = Buffer.from(this.error!).toString('utf8').replace(/\0+$/, '');
    throw new BlockWriteError(code);
  }

  /**
   * Adds bytes (copied: the caller may reuse its buffer at once), or a string as UTF-8, encoded
   * straight into the block when it fits (a generated record then allocates nothing); returns the
   * number of bytes added.
   */
  update(bytes: Uint8Array | string): number {
    if (this.digest !== undefined) throw new Error('Sha256.update after digest');
    if (typeof bytes === 'string') {
      const n = Buffer.byteLength(bytes, 'utf8');
      if (this.local || n > SLOT_BYTES - this.used) return this.update(Buffer.from(bytes, 'utf8'));
      this.slots[this.sent % SLOTS]!.write(bytes, this.used, n, 'utf8');
      this.used += n;
      if (this.used === SLOT_BYTES) this.send();
      return n;
    }
    if (this.local) {
      this.local.update(bytes);
      if (this.crc !== undefined) this.crc = crc32(bytes, this.crc);
      return bytes.length;
    }
    let from = 0;
    while (from < bytes.length) {
      const slot = this.slots[this.sent % SLOTS]!;
      const n = Math.min(bytes.length - from, SLOT_BYTES - this.used);
      slot.set(bytes.subarray(from, from + n), this.used);
      this.used += n;
      from += n;
      if (this.used === SLOT_BYTES) this.send();
    }
    return bytes.length;
  }

  /** Hands the block being filled to the worker, and waits until the next block is free. */
  private send(): void {
    this.port!.postMessage({ op: 'update', id: this.id, slot: this.sent % SLOTS, len: this.used });
    this.sent++;
    this.used = 0;
    // the next block was handed over SLOTS blocks ago: it is free once that many minus one remain
    this.waitFor(0, () => this.sent - Atomics.load(this.ctrl!, 0) < SLOTS);
  }

  /** Hex digest of everything added; the stream ends (later calls return the same digest). */
  digestHex(): string {
    if (this.digest !== undefined) return this.digest;
    if (this.local) return (this.digest = this.local.digest('hex'));
    if (this.used) this.send();
    const out = new SharedArrayBuffer(36);
    this.port!.postMessage({ op: 'digest', id: this.id, out });
    this.waitFor(1, () => Atomics.load(this.ctrl!, 1) === 1);
    // a flush still in flight could take a writeback error away from the file's final fsync
    this.waitFor(3, () => Atomics.load(this.ctrl!, 3) === 0);
    // the worker has dropped its views of the blocks: they go with the next collection
    this.slots.length = 0;
    if (this.crc !== undefined) this.crc = new DataView(out).getUint32(32);
    return (this.digest = Buffer.from(new Uint8Array(out, 0, 32)).toString('hex'));
  }

  /** CRC-32 of everything added (the stream ends, as with `digestHex`). Needs `crc32: true`. */
  crc32(): number {
    if (this.crc === undefined) throw new Error('Sha256 opened without crc32: true');
    this.digestHex();
    return this.crc;
  }

  /** Drops the stream without a digest (an aborted run); waits for blocks still being written. */
  close(): void {
    if (this.port && this.digest === undefined) {
      // the caller closes the file next: no block may still be on its way to that descriptor
      try {
        this.waitFor(0, () => Atomics.load(this.ctrl!, 0) === this.sent, false);
        this.waitFor(3, () => Atomics.load(this.ctrl!, 3) === 0, false);
      } catch {
        /* a broken worker writes nothing more */
      }
      this.port.postMessage({ op: 'close', id: this.id });
    }
    this.digest ??= '';
  }

  private waitFor(slot: 0 | 1 | 3, ready: () => boolean, check = true): void {
    const started = Date.now();
    while (!ready()) {
      Atomics.wait(this.ctrl!, slot, Atomics.load(this.ctrl!, slot), 1000);
      if (Date.now() - started > STALL_MS) throw new Error('the sha256 worker stopped answering');
    }
    if (check) this.checkWrite();
  }
}
