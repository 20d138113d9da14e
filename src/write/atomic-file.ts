// Atomic output: a temp file in the target's directory, buffered writes, fsync, then rename over the
// target. An error or a signal (SIGINT, SIGTERM, SIGHUP) removes the temp file, so no partial output is ever left.
// Several files (an output and its manifest) are committed as a pair: all are complete and synced
// before the first is renamed.
import { openSync, writeSync, fsyncSync, fchmodSync, closeSync, renameSync, unlinkSync, mkdirSync, rmdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { hostname } from 'node:os';
import { randomBytes, createHash } from 'node:crypto';
import { SafemixError, ExitCode } from '../errors.js';
import { canonicalPath, checkTargets } from './targets.js';
import { onAbort } from './cleanup.js';


/** Refuses to write over any of the inputs (see checkTargets for the full rule). */
export function assertNotInput(target: string, inputs: string[]): void {
  checkTargets({ inputs: inputs.map((path) => ({ path, role: 'input' })), outputs: [{ path: target, role: 'output', flag: '-o' }] });
}

/** `.NAME.safemix-HOST-PID-RANDOM.tmp`: the host and process id let a later run find stale ones. */
export function tempName(target: string): string {
  const host = hostname().replace(/[^A-Za-z0-9_.]/g, '_');
  return join(dirname(target), `.${basename(target)}.safemix-${host}-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

export class AtomicFile {
  readonly target: string;
  readonly tempPath: string;
  private fd: number | undefined;
  private readonly bufferBytes: number;
  /** The first directory this file created, removed (with those below it) on abort. */
  private createdDir: string | undefined;
  private readonly untrack: () => void;
  private buffer: Buffer;
  private used = 0;
  bytesWritten = 0;
  private readonly hash = createHash('sha256');

  /**
   * `mode`: the permission bits of the new file (checkTargets decides them); `makeDirs`: create
   * missing directories, removed again if the file is aborted.
   */
  constructor(target: string, options: { mode?: number; bufferBytes?: number; makeDirs?: boolean } = {}) {
    this.bufferBytes = options.bufferBytes ?? 1 << 20;
    // a symlinked target is replaced where it points
    this.target = canonicalPath(target);
    this.tempPath = tempName(this.target);
    try {
      if (options.makeDirs) this.createdDir = mkdirSync(dirname(this.target), { recursive: true });
      this.fd = openSync(this.tempPath, 'wx', 0o600);
      if (options.mode !== undefined) fchmodSync(this.fd, options.mode);
      else fchmodSync(this.fd, 0o666 & ~process.umask());
    } catch (e) {
      if (this.fd !== undefined) this.abort();
      throw new SafemixError('output_failed', `cannot create the output (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, {
        position: { file: target },
        hint: 'check that the directory exists and is writable',
      });
    }
    this.buffer = Buffer.allocUnsafe(this.bufferBytes);
    this.untrack = onAbort(() => this.abort());
  }

  write(bytes: Buffer | string): void {
    const b = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    this.bytesWritten += b.length;
    this.hash.update(b);
    if (b.length >= this.bufferBytes) {
      this.flush();
      this.writeAll(b);
      return;
    }
    if (this.used + b.length > this.bufferBytes) this.flush();
    b.copy(this.buffer, this.used);
    this.used += b.length;
  }

  private flush(): void {
    if (this.used) this.writeAll(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private writeAll(b: Buffer): void {
    let off = 0;
    while (off < b.length) off += writeSync(this.fd!, b, off, b.length - off);
  }

  /** Hex sha256 of everything written so far. */
  sha256(): string {
    return this.hash.copy().digest('hex');
  }

  /** Flushes, fsyncs and renames the temp file onto the target. */
  commit(): void {
    commitTogether([this]);
  }

  /** Flushes, fsyncs and closes the temp file: it is complete but not yet in place. */
  finish(): void {
    if (this.fd === undefined) return;
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }

  /** Renames the finished temp file onto the target. */
  publish(): void {
    renameSync(this.tempPath, this.target);
    this.createdDir = undefined;
    this.untrack();
  }

  /** Removes the temp file; the target is left as it was. Safe to call twice. */
  abort(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        /* already closed */
      }
      this.fd = undefined;
    }
    try {
      unlinkSync(this.tempPath);
    } catch {
      /* already gone */
    }
    if (this.createdDir) {
      for (let d = dirname(this.target); d.length >= this.createdDir.length; d = dirname(d)) {
        try {
          rmdirSync(d);
        } catch {
          break; // not empty: another file lives there now
        }
      }
      this.createdDir = undefined;
    }
    this.untrack?.();
  }
}

/**
 * Commits files as one: every file is finished (flushed, synced) before any is renamed, so a file
 * that cannot be completed (disk full, bad directory) leaves none of them in place.
 */
export function commitTogether(files: AtomicFile[]): void {
  let current: AtomicFile | undefined;
  try {
    for (const f of files) {
      current = f;
      f.finish();
    }
    for (const f of files) {
      current = f;
      f.publish();
    }
  } catch (e) {
    for (const f of files) f.abort();
    throw writeError(e, current?.target ?? '');
  }
}

/** The SafemixError for a failed write: a full disk or too large a file is said plainly. */
export function writeError(e: unknown, file: string): SafemixError {
  if (e instanceof SafemixError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new SafemixError('disk_full', 'the disk is full; nothing was written', { position: { file }, hint: 'free some space on that disk or write elsewhere with -o', exitCode: ExitCode.usage, cause: e });
  if (code === 'EFBIG') return new SafemixError('disk_full', 'the file is too large for this file system or for the file-size limit (ulimit -f); nothing was written', { position: { file }, hint: 'raise the limit or write to another file system', exitCode: ExitCode.usage, cause: e });
  return new SafemixError('output_failed', `cannot write the output (${code ?? (e as Error).message})`, { position: { file }, hint: 'check free disk space and permissions', exitCode: ExitCode.usage, cause: e });
}
