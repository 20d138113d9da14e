// A failed system call while writing (a full disk, a file too large, no permission) as the error a
// user can act on; anything else, a bug, is passed on unchanged (the CLI says it is one, exit 70).
import { SafemixError, ExitCode } from '../errors.js';

/** The SafemixError for a failed write: a full disk or too large a file is said plainly. */
export function writeError(e: unknown, file: string): unknown {
  if (e instanceof SafemixError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  // only a failed system call is about the disk: anything else (a TypeError) is a bug, said as one (exit 70)
  if (typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return e;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new SafemixError('disk_full', 'the disk is full; nothing was written', {
      position: { file },
      hint: 'free some space on that disk or write elsewhere with -o',
      exitCode: ExitCode.usage,
      cause: e,
    });
  if (code === 'EFBIG')
    return new SafemixError('disk_full', 'the file is too large for this file system or for the file-size limit (ulimit -f); nothing was written', {
      position: { file },
      hint: 'raise the limit or write to another file system',
      exitCode: ExitCode.usage,
      cause: e,
    });
  return new SafemixError('output_failed', `cannot write the output (${code ?? (e as Error).message})`, {
    position: { file },
    hint: 'check free disk space and permissions',
    exitCode: ExitCode.usage,
    cause: e,
  });
}
