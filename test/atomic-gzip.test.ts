// AtomicFile's gzip output and its failures (issue 10, items 12 and 15): a `.gz` target is written
// compressed, its size and sha256 are those of the stored bytes, and a failed write is a
// SafemixError that leaves no temp file.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AtomicFile } from '../src/write/atomic-file.js';
import { writeError } from '../src/io/io-error.js';
import { sha256, tempDir } from './helpers.js';

describe('AtomicFile with gzip', () => {
  it('a .gz target is compressed (several members when large), and decompresses to exactly what was written', () => {
    const dir = tempDir();
    const target = join(dir, 'out.jsonl.gz');
    const f = new AtomicFile(target, { bufferBytes: 1000 });
    expect(f.gzip).toBe(true);
    let text = '';
    for (let i = 0; i < 500; i++) {
      const line = `{"i": ${i}, "text": "record number ${i}"}\n`;
      f.write(i % 2 ? line : Buffer.from(line));
      text += line;
    }
    f.write('x'.repeat(5000)); // larger than the buffer
    text += 'x'.repeat(5000);
    const size = f.bytesWritten;
    const hash = f.sha256();
    f.commit();
    const stored = readFileSync(target);
    expect(gunzipSync(stored).toString()).toBe(text);
    expect(size).toBe(stored.length);
    expect(hash).toBe(sha256(target));
    expect(readdirSync(dir)).toEqual(['out.jsonl.gz']);
  });

  it('is deterministic, and an empty output is still a valid gzip file', () => {
    const dir = tempDir();
    const write = (name: string) => {
      const f = new AtomicFile(join(dir, name));
      f.write('same bytes\n'.repeat(1000));
      f.commit();
      return readFileSync(join(dir, name));
    };
    expect(write('a.gz')).toEqual(write('b.gz'));
    const empty = new AtomicFile(join(dir, 'empty.gz'));
    empty.commit();
    expect(gunzipSync(readFileSync(join(dir, 'empty.gz'))).length).toBe(0);
  });

  it('gzip: false writes a .gz name as given, and gzip: true compresses any name', () => {
    const dir = tempDir();
    const plain = new AtomicFile(join(dir, 'plain.gz'), { gzip: false });
    plain.write('text\n');
    plain.commit();
    expect(readFileSync(join(dir, 'plain.gz'), 'utf8')).toBe('text\n');
    const packed = new AtomicFile(join(dir, 'packed.bin'), { gzip: true });
    packed.write('text\n');
    packed.commit();
    expect(gunzipSync(readFileSync(join(dir, 'packed.bin'))).toString()).toBe('text\n');
  });
});

describe('writeError', () => {
  it('says "disk full" for ENOSPC and EDQUOT, "too large" for EFBIG, and keeps the file', () => {
    const err = (code: string) => Object.assign(new Error(code), { code });
    expect(writeError(err('ENOSPC'), 'out.jsonl')).toMatchObject({
      code: 'disk_full',
      exitCode: 2,
      position: { file: 'out.jsonl' },
      message: expect.stringContaining('the disk is full'),
    });
    expect(writeError(err('EDQUOT'), 'out.jsonl')).toMatchObject({ code: 'disk_full' });
    expect(writeError(err('EFBIG'), 'out.jsonl')).toMatchObject({ code: 'disk_full', message: expect.stringContaining('too large') });
    expect(writeError(err('EIO'), 'out.jsonl')).toMatchObject({ code: 'output_failed', exitCode: 2 });
  });

  it('a directory that cannot be created is an output_failed SafemixError, with nothing left', () => {
    const dir = tempDir();
    expect(() => new AtomicFile(join(dir, 'missing', 'out.jsonl'))).toThrow(expect.objectContaining({ code: 'output_failed' }));
    expect(readdirSync(dir)).toEqual([]);
  });
});
