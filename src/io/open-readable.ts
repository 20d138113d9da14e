// Opens an input file for reading, or says why it cannot be read (a positioned SafemixError).
import { openSync } from 'node:fs';
import { SafemixError } from '../errors.js';

/** A read-only file descriptor of `path`; `name` is the file as messages show it. */
export function openReadable(path: string, name: string): number {
  try {
    return openSync(path, 'r');
  } catch (e) {
    throw new SafemixError('input_unreadable', `cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, {
      position: { file: name },
      hint: 'check the permissions',
    });
  }
}
