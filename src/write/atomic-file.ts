// Atomic output: a temp file in the target's directory, buffered writes, fsync, then rename over the
// target. An error or a signal (SIGINT, SIGTERM, SIGHUP) removes the temp file, so no partial output is ever left.
// Several files (an output and its manifest) are committed as a pair: all are complete and synced
// before the first is renamed. Temp files left by a killed run (SIGKILL, a power cut) are removed by
// the next run that writes the same target on the same machine (see run-identity.ts). A target ending in `.gz` is written
// gzip-compressed. Every failure is a SafemixError (a full disk says so), and leaves no temp file.
import { writeError } from '../io/io-error.js';
import {
  openSync,
  writeSync,
  fsyncSync,
  fchmodSync,
  closeSync,
  renameSync,
  unlinkSync,
  mkdirSync,
  rmdirSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { currentRunIdentity, parseRunTag, runIsOver, runTag, type RunIdentity } from '../io/run-identity.js';
import { BlockWriteError, Sha256 } from '../sha256.js';
import { gzipSync } from 'node:zlib';
import { SafemixError } from '../errors.js';
import { canonicalPath, recheckTarget, stdoutRefused, type ProtectedFile } from './targets.js';
import { onAbort, pauseHere } from '../io/cleanup.js';

const EMPTY = Buffer.alloc(0);

/** Bytes a temp name may give to the target's name: NAME_MAX (255) less the rest of the temp name. */
const NAME_BYTES = 255 - '..safemix--.tmp'.length - 65 - 8;

/**
 * The target's name as it stands in its temp files' names: whole when it fits, else cut (on a
 * character) and marked with `~` and 8 hex digits of its sha256, so that a 250-byte name still gets
 * a temp name within the file system's 255 bytes, and two long names still get different ones.
 */
function tempNameField(name: string): string {
  if (Buffer.byteLength(name) <= NAME_BYTES) return name;
  let cut = '';
  for (const ch of name) {
    if (Buffer.byteLength(cut + ch) > NAME_BYTES - 9) break;
    cut += ch;
  }
  return `${cut}~${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/** `.NAME.safemix-RUNTAG-RANDOM.tmp`: the run tag (see run-identity.ts) lets a later run find stale ones. */
function tempName(target: string): string {
  return join(dirname(target), `.${tempNameField(basename(target))}.safemix-${runTag()}-${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Removes the temp files a killed run left beside `target`: `.NAME.safemix-RUNTAG-RAND.tmp` whose
 * run is over (see runIsOver: only runs of this boot and PID namespace are judged). Temp files of
 * live runs, of other machines or containers, and of other targets are left alone. Returns the
 * names removed. `self` and `startOf` are injectable, for tests.
 */
export function removeStaleTemps(target: string, self: RunIdentity = currentRunIdentity(), startOf?: (pid: number) => string | undefined): string[] {
  const removed: string[] = [];
  for (const name of finishedRunTemps(target, self, startOf)) {
    try {
      unlinkSync(join(dirname(target), name));
      removed.push(name);
    } catch {
      /* gone already, or not ours to remove */
    }
  }
  return removed;
}

/** The names of the temp files beside `target` (`.NAME.safemix-RUNTAG-RAND.tmp`) whose run is over. */
function finishedRunTemps(target: string, self?: RunIdentity, startOf?: (pid: number) => string | undefined): string[] {
  const lead = `.${tempNameField(basename(target))}.safemix-`;
  let names: string[];
  try {
    names = readdirSync(dirname(target));
  } catch {
    return []; // the directory does not exist yet
  }
  return names.filter((name) => {
    if (!name.startsWith(lead) || !name.endsWith('.tmp')) return false;
    const tag = parseRunTag(name.slice(lead.length, -'.tmp'.length));
    return tag !== undefined && /^[0-9a-f]{8}$/.test(tag.rest) && runIsOver(tag.id, self, startOf);
  });
}

/** The sha256 of a file, read in blocks. */
function fileSha256(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const block = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = readSync(fd, block, 0, block.length, null)) > 0;) hash.update(block.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * Finishes a commit that a killed run left half done. An output is renamed after its manifest
 * (commitTogether), so a crash between the two renames leaves the new manifest beside the old output
 * (or none), and the new output complete and synced in its temp file. When the manifest at
 * `manifestPath` names an output (sha256 and size) that `target` is not, and a temp file of a run
 * that is over holds exactly those bytes, that temp file is renamed onto the target, and the pair
 * agrees again. Returns the temp file's name when it did so. The next run that writes the same
 * output calls this before anything else.
 */
export function completeInterruptedCommit(target: string, manifestPath: string): string | undefined {
  let named: { sha256?: unknown; bytes?: unknown } | undefined;
  try {
    named = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { output?: { sha256?: unknown; bytes?: unknown } }).output;
  } catch {
    return undefined; // no manifest, or not one of ours
  }
  if (typeof named?.sha256 !== 'string' || typeof named.bytes !== 'number') return undefined;
  const canonical = canonicalPath(target);
  try {
    if (statSync(canonical).size === named.bytes && fileSha256(canonical) === named.sha256) return undefined; // the pair agrees
  } catch {
    /* no output yet */
  }
  const dir = dirname(canonical);
  for (const name of finishedRunTemps(canonical)) {
    const path = join(dir, name);
    try {
      if (statSync(path).size !== named.bytes || fileSha256(path) !== named.sha256) continue;
      renameSync(path, canonical);
      return name;
    } catch {
      continue;
    }
  }
  return undefined;
}

/** Whether a path names a gzip file (written compressed). */
function isGzipPath(path: string): boolean {
  return /\.gz$/i.test(path);
}

/** Uncompressed bytes per gzip member: each flush of the buffer is one member of the output. */
const GZIP_BLOCK = 4 << 20;

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
  /** Bytes stored in the file (after compression) and their hash. */
  private stored = 0;
  private hash: Sha256;
  /** Blocks are written and hashed by the worker thread (large, uncompressed outputs). */
  private behind = false;

  /** Whether the file is written gzip-compressed. */
  readonly gzip: boolean;
  /** The path as given, for messages. */
  private readonly displayName: string;
  /** Files the rename must not replace, and whether a shared directory is allowed (checkTargets). */
  private readonly protect: readonly ProtectedFile[];
  private readonly allowSharedDir: boolean;

  /**
   * `mode`: the permission bits of the new file (checkTargets decides them); `makeDirs`: create
   * missing directories, removed again if the file is aborted; `gzip`: compress (default: when the
   * target ends in `.gz`).
   */
  constructor(
    target: string,
    options: {
      mode?: number;
      bufferBytes?: number;
      makeDirs?: boolean;
      gzip?: boolean;
      parallelHash?: boolean;
      protect?: readonly ProtectedFile[];
      allowSharedDir?: boolean;
    } = {},
  ) {
    if (target === '-') throw stdoutRefused('-', 'file');
    this.displayName = target;
    this.protect = options.protect ?? [];
    this.allowSharedDir = options.allowSharedDir ?? true;
    this.hash = new Sha256(false);
    this.gzip = options.gzip ?? isGzipPath(target);
    this.bufferBytes = options.bufferBytes ?? (this.gzip ? GZIP_BLOCK : 1 << 20);
    // a symlinked target is replaced where it points
    this.target = canonicalPath(target);
    // a target that leads to a file the run reads is refused before anything is created
    if (this.protect.length) recheckTarget(target, this.target, this.protect, true);
    this.tempPath = tempName(this.target);
    removeStaleTemps(this.target);
    try {
      if (options.makeDirs) this.createdDir = mkdirSync(dirname(this.target), { recursive: true });
      this.fd = openSync(this.tempPath, 'wx', 0o600);
      if (options.mode !== undefined) fchmodSync(this.fd, options.mode);
      else fchmodSync(this.fd, 0o666 & ~process.umask());
    } catch (e) {
      this.abort();
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') throw writeError(e, target);
      throw new SafemixError('output_failed', `cannot create the output (${code ?? (e as Error).message})`, {
        position: { file: target },
        hint: 'check that the directory exists and is writable',
        cause: e,
      });
    }
    if (options.parallelHash && !this.gzip) {
      this.hash = new Sha256(true, { writeFd: this.fd });
      this.behind = true;
    }
    // the worker's blocks are the buffer of a file it writes
    this.buffer = this.behind ? EMPTY : Buffer.allocUnsafe(this.bufferBytes);
    this.untrack = onAbort(() => this.abort());
  }

  write(bytes: Buffer | string): void {
    if (this.behind) {
      // the worker writes: the bytes are copied (a string encoded) into its blocks
      try {
        this.stored += this.hash.update(bytes);
      } catch (e) {
        throw this.failed(e);
      }
      return;
    }
    const b = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    if (b.length >= this.bufferBytes) {
      this.flush();
      this.emit(b);
      return;
    }
    if (this.used + b.length > this.bufferBytes) this.flush();
    b.copy(this.buffer, this.used);
    this.used += b.length;
  }

  private flush(): void {
    if (!this.used) return;
    this.emit(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  /** Writes a block to the temp file (as one gzip member, when compressing), and hashes it as stored. */
  private emit(block: Buffer): void {
    const out = this.gzip ? gzipSync(block) : block;
    this.writeAll(out);
    this.stored += out.length;
    this.hash.update(out);
  }

  /** A write that failed on the worker thread: the temp file goes now, and the error says why. */
  private failed(e: unknown): unknown {
    if (!(e instanceof BlockWriteError)) return e;
    this.abort();
    return writeError(Object.assign(new Error(e.message), { code: e.code }), this.displayName);
  }

  private writeAll(b: Buffer): void {
    let off = 0;
    try {
      while (off < b.length) off += writeSync(this.fd!, b, off, b.length - off);
    } catch (e) {
      // a full disk frees its space at once: the temp file goes now, not at exit
      this.abort();
      throw writeError(e, this.displayName);
    }
  }

  /** A gzip file's pending bytes are compressed now, so that its size and hash are final. */
  private seal(): void {
    if (!this.gzip || this.fd === undefined) return;
    this.flush();
    // an empty output is still a valid gzip file
    if (this.stored === 0) this.emit(Buffer.alloc(0));
  }

  /** Bytes in the file as stored (compressed, for gzip): what `wc -c` will say. */
  get bytesWritten(): number {
    this.seal();
    this.flush();
    return this.stored;
  }

  /** Hex sha256 of the file as stored (compressed, for gzip): what `sha256sum` will say. */
  sha256(): string {
    this.seal();
    this.flush();
    try {
      return this.hash.digestHex();
    } catch (e) {
      throw this.failed(e);
    }
  }

  /** Flushes, fsyncs and renames the temp file onto the target. */
  commit(): void {
    commitTogether([this]);
  }

  /** Flushes, fsyncs and closes the temp file: it is complete but not yet in place. */
  finish(): void {
    if (this.fd === undefined) return;
    this.seal();
    this.flush();
    try {
      this.hash.settle();
    } catch (e) {
      throw this.failed(e);
    }
    try {
      fsyncSync(this.fd);
      closeSync(this.fd);
    } catch (e) {
      this.abort();
      throw writeError(e, this.displayName);
    }
    this.fd = undefined;
  }

  /**
   * Renames the finished temp file onto the target, once the path given is found to lead to the
   * same place as when the file was created and to none of the protected files (recheckTarget).
   */
  publish(): void {
    try {
      this.recheck();
      renameSync(this.tempPath, this.target);
    } catch (e) {
      this.abort();
      throw writeError(e, this.displayName);
    }
    this.createdDir = undefined;
    this.untrack();
  }

  /** Refuses the rename when the target no longer is what it was (see recheckTarget). */
  recheck(): void {
    recheckTarget(this.displayName, this.target, this.protect, this.allowSharedDir);
  }

  /** The path as given by the caller. */
  get displayPath(): string {
    return this.displayName;
  }

  /** Removes the temp file; the target is left as it was. Safe to call twice. */
  abort(): void {
    this.hash.close();
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
 * that cannot be completed (disk full, bad directory) leaves none of them in place. They are renamed
 * in the order given: an output goes last, after its manifest, so that an output in place always
 * has its manifest beside it (docs/guarantees.md says what a crash between the renames leaves, and how the next run repairs it).
 */
export function commitTogether(files: AtomicFile[]): void {
  let current: AtomicFile | undefined;
  try {
    for (const f of files) {
      current = f;
      f.finish();
    }
    // every target is checked before the first rename, so a refused one leaves none in place
    for (const f of files) {
      current = f;
      f.recheck();
    }
    for (const [i, f] of files.entries()) {
      current = f;
      if (i > 0) pauseHere('between-renames');
      f.publish();
    }
  } catch (e) {
    for (const f of files) f.abort();
    throw writeError(e, current?.displayPath ?? '');
  }
}
