// Standard output as the sink of `mix -o -`: hashed like a file, with backpressure and a quiet end
// when the reader goes away. There is no atomicity on a pipe: what was written is gone.
//
// Backpressure: `write` queues the bytes on the stream and notes when the stream's buffer is full;
// the writer awaits `drain()` between records (cheap when nothing is queued), so memory stays at
// about one buffer however slow the reader is. A reader that closes the pipe (`| head`) turns the
// next `write` or `drain` into a SafemixError `output_closed` (exit 141, printed by nobody).
import { Sha256 } from '../sha256.js';
import { SafemixError, ExitCode } from '../errors.js';

export interface StdoutLike {
  write(chunk: Buffer): boolean;
  once(event: 'drain' | 'error' | 'close', listener: (...args: unknown[]) => void): unknown;
  on(event: 'error', listener: (e: NodeJS.ErrnoException) => void): unknown;
  off(event: 'drain' | 'error' | 'close', listener: (...args: unknown[]) => void): unknown;
  readonly writableLength?: number;
}

function outputClosed(cause?: unknown): SafemixError {
  return new SafemixError('output_closed', 'the reader of standard output closed it; the output is incomplete', {
    position: { file: '<stdout>' },
    hint: 'nothing to do if you meant to read only the start (as with head); else keep the reader open to the end',
    exitCode: ExitCode.brokenPipe,
    cause,
  });
}

/** Bytes gathered before one write to the stream: records go out in large blocks, not one by one. */
const BLOCK_BYTES = 1 << 20;

export class StdoutSink {
  bytesWritten = 0;
  private readonly hash: Sha256;
  private full = false;
  private failure: NodeJS.ErrnoException | undefined;
  private block: Buffer;
  private used = 0;

  /** `parallelHash`: hash on the worker thread (for large outputs). */
  constructor(
    private readonly stream: StdoutLike = process.stdout as unknown as StdoutLike,
    parallelHash = false,
  ) {
    this.hash = new Sha256(parallelHash);
    this.block = this.newBlock();
    // an error on the stream (EPIPE) is kept and thrown from the next write or drain, never left unhandled
    stream.on('error', (e) => {
      this.failure ??= e;
    });
  }

  write(bytes: Buffer | string): void {
    this.check();
    const b = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    this.bytesWritten += b.length;
    if (this.used + b.length > this.block.length) this.flush();
    if (b.length >= this.block.length) {
      // copied: the stream holds what it is given until written, and the caller may reuse its bytes
      // (a read block of the input, ReadOptions.reuseBlocks)
      this.send(Buffer.from(b));
      return;
    }
    b.copy(this.block, this.used);
    this.used += b.length;
  }

  /** Sends the gathered bytes to the stream (called when the block is full, and before waiting). */
  flush(): void {
    if (!this.used) return;
    const out = this.block.subarray(0, this.used);
    // the stream holds the block until it is written: a fresh one takes its place
    this.block = this.newBlock();
    this.used = 0;
    this.send(out);
  }

  private send(b: Buffer): void {
    this.hash.update(b);
    if (!this.stream.write(b)) this.full = true;
  }

  private newBlock(): Buffer {
    return Buffer.allocUnsafe(BLOCK_BYTES);
  }

  /** Hex sha256 of everything written; sends what is gathered, and ends the hash. */
  sha256(): string {
    this.flush();
    return this.hash.digestHex();
  }

  /** Whether the stream's buffer is full: the writer should `await drain()` before writing more. */
  get needsDrain(): boolean {
    return this.full;
  }

  /** Resolves once the stream has room again (at once when it has); rejects when the reader left. */
  async drain(): Promise<void> {
    this.check();
    this.flush();
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
      hint: "check what reads safemix's output",
      cause: this.failure,
    });
  }
}
