// Random access to a dataset's text by the byte offsets the reader reports (SourceRecord.offset),
// for `mix --order shuffle`. A plain file is read in place; a gzip file's offsets are those of its
// decompressed text, so it is decompressed once to a temp file (removed on close, on any error and
// on SIGINT/SIGTERM/SIGHUP).
import { closeSync, createReadStream, createWriteStream, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { SafemixError } from '../errors.js';
import { onAbort } from '../io/cleanup.js';
import { writeError } from '../io/io-error.js';

export interface ReadBack {
  /** A descriptor of the text (the file itself, or its decompressed copy). */
  readonly fd: number;
  /** The text's bytes [offset, offset + length). */
  read(offset: number, length: number): Buffer;
  /** Closes the descriptor and removes any decompressed copy. Safe to call twice. */
  close(): void;
}

function isGzipFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

function readAt(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, offset + got);
    if (n === 0)
      throw new SafemixError('input_changed', 'the input ended before a record it held in the first pass', { hint: 'let the file settle, then run again' });
    got += n;
  }
  return buf;
}

export async function openReadBack(path: string, displayName = path): Promise<ReadBack> {
  if (!isGzipFile(path)) {
    const fd = openSync(path, 'r');
    let open = true;
    return {
      fd,
      read: (offset, length) => readAt(fd, offset, length),
      close: () => {
        if (open) closeSync(fd);
        open = false;
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'safemix-gunzip-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const unregister = onAbort(remove);
  const copy = join(dir, 'text');
  try {
    await pipeline(createReadStream(path), createGunzip(), createWriteStream(copy));
  } catch (e) {
    unregister();
    remove();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') throw writeError(e, copy);
    throw new SafemixError('input_unreadable', `cannot decompress the input for --order shuffle (${code ?? (e as Error).message})`, {
      position: { file: displayName },
      hint: 'check the file with gzip -t, or free space in $TMPDIR',
      cause: e,
    });
  }
  const fd = openSync(copy, 'r');
  let open = true;
  return {
    fd,
    read: (offset, length) => readAt(fd, offset, length),
    close: () => {
      if (!open) return;
      open = false;
      closeSync(fd);
      unregister();
      remove();
    },
  };
}
