// Standard output as the sink of `mix -o -`: hashed like a file, with backpressure and a quiet end
// when the reader goes away. There is no atomicity on a pipe: what was written is gone.
//
// Backpressure: `write` queues the bytes on the stream and notes when the stream's buffer is full;
// the writer awaits `drain()` between records (cheap when nothing is queued), so memory stays at
// about one buffer however slow the reader is. A reader that closes the pipe (`| head`) turns the
// next `write` or `drain` into a SafemixError `output_closed` (exit 141, printed by nobody).
import { createHash } from 'node:crypto';
import { SafemixError, ExitCode } from '../errors.js';

export interface StdoutLike {
  write(chunk: Buffer): boolean;
  once(event: 'drain' | 'error' | 'close', listener: (...args: unknown[]) => void): unknown;
  on(event: 'error', listener: (e: NodeJS.ErrnoException) => void): unknown;
  off(event: 'drain' | 'error' | 'close', listener: (...args: unknown[]) => void): unknown;
  readonly writableLength?: number;
}

export function outputClosed(cause?: unknown): SafemixError {
  return new SafemixError('output_closed', 'the reader of standard output closed it; the output is incomplete', {
    position: { file: '<stdout>' },
    hint: 'nothing to do if you meant to read only the start (as with head); else keep the reader open to the end',
    exitCode: ExitCode.brokenPipe,
    cause,
  });
}

export class StdoutSink {
  bytesWritten = 0;
  private readonly hash = createHash('sha256');
  private full = false;
  private failure: NodeJS.ErrnoException | undefined;

  constructor(private readonly stream: StdoutLike = process.stdout as unknown as StdoutLike) {
    // an error on the stream (EPIPE) is kept and thrown from the next write or drain, never left unhandled
    stream.on('error', (e) => {
      this.failure ??= e;
    });
  }

  write(bytes: Buffer | string): void {
    this.check();
    const b = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    this.bytesWritten += b.length;
    this.hash.update(b);
    if (!this.stream.write(b)) this.full = true;
  }

  /** Hex sha256 of everything written so far. */
  sha256(): string {
    return this.hash.copy().digest('hex');
  }

  /** Whether the stream's buffer is full: the writer should `await drain()` before writing more. */
  get needsDrain(): boolean {
    return this.full;
  }

  /** Resolves once the stream has room again (at once when it has); rejects when the reader left. */
  async drain(): Promise<void> {
    this.check();
    if (!this.full) return;
    await new Promise<void>((resolve, reject) => {
      const done = (e?: unknown) => {
        this.stream.off('drain', onDrain);
        this.stream.off('error', onError);
        this.stream.off('close', onClose);
        if (e === undefined) resolve();
        else reject(e);
      };
      const onDrain = () => done();
      const onError = (e: unknown) => done(outputClosed(e));
      const onClose = () => done(outputClosed());
      this.stream.once('drain', onDrain);
      this.stream.once('error', onError);
      this.stream.once('close', onClose);
    });
    this.full = false;
  }

  private check(): void {
    if (!this.failure) return;
    if (this.failure.code === 'EPIPE' || this.failure.code === 'ERR_STREAM_DESTROYED') throw outputClosed(this.failure);
    throw new SafemixError('output_failed', `cannot write standard output (${this.failure.code ?? this.failure.message})`, {
      position: { file: '<stdout>' },
      hint: 'check what reads safemix\'s output',
      cause: this.failure,
    });
  }
}
