// Atomic output: a temp file in the target's directory, buffered writes, fsync, then rename over the
// target. An error, SIGINT or SIGTERM removes the temp file, so no partial output is ever left.
import { openSync, writeSync, fsyncSync, closeSync, renameSync, unlinkSync, realpathSync, existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes, createHash } from 'node:crypto';
import { SafemixError, ExitCode } from '../errors.js';

const live = new Set<AtomicFile>();

/** While temp files are open, SIGINT/SIGTERM remove them and exit; with none open, signals act as usual. */
const signalExits = { SIGINT: 130, SIGTERM: 143 } as const;
function onSignal(signal: keyof typeof signalExits): void {
  for (const f of live) f.abort();
  process.stderr.write(`safemix: interrupted by ${signal}; no output was written\n`);
  process.exit(signalExits[signal]);
}

function track(file: AtomicFile): void {
  if (live.size === 0) for (const s of Object.keys(signalExits)) process.on(s, onSignal);
  live.add(file);
}

function untrack(file: AtomicFile): void {
  if (!live.delete(file)) return;
  if (live.size === 0) for (const s of Object.keys(signalExits)) process.off(s, onSignal);
}

/** Refuses to write over any of the inputs. */
export function assertNotInput(target: string, inputs: string[]): void {
  if (target === '-' || !existsSync(target)) return;
  const t = realpathSync(target);
  for (const input of inputs) {
    if (input !== '-' && existsSync(input) && realpathSync(input) === t)
      throw new SafemixError('input_is_output', 'the output path is the input file', { position: { file: target }, hint: 'write to another path with -o; safemix never overwrites its input' });
  }
}

export class AtomicFile {
  readonly target: string;
  readonly tempPath: string;
  private fd: number | undefined;
  private buffer: Buffer;
  private used = 0;
  bytesWritten = 0;
  private readonly hash = createHash('sha256');

  constructor(target: string, private readonly bufferBytes = 1 << 20) {
    this.target = resolve(target);
    this.tempPath = join(dirname(this.target), `.${basename(this.target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      this.fd = openSync(this.tempPath, 'wx', 0o644);
    } catch (e) {
      throw new SafemixError('output_failed', `cannot create the output (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, {
        position: { file: target },
        hint: 'check that the directory exists and is writable',
      });
    }
    this.buffer = Buffer.allocUnsafe(bufferBytes);
    track(this);
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
    try {
      this.flush();
      fsyncSync(this.fd!);
      closeSync(this.fd!);
      this.fd = undefined;
      renameSync(this.tempPath, this.target);
      untrack(this);
    } catch (e) {
      this.abort();
      throw new SafemixError('output_failed', `cannot write the output (${(e as Error).message})`, { position: { file: this.target }, hint: 'check free disk space and permissions', exitCode: ExitCode.usage });
    }
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
    untrack(this);
  }
}
