// mix reads its input twice. The second pass must read the bytes the first one checked, counted and
// sampled: besides the file's size and times (which catch an ordinary change), it compares a CRC-32 of
// each pass's bytes. These tests hold that CRC to the file's bytes (in-thread for a small file, on the
// hash worker beside the sha256 for a large one) and show that mix refuses an input whose bytes change
// between the passes while its size and times stay the same (as on a file system with coarse
// timestamps), which only the CRC can see.
import { describe, it, expect, vi } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { join } from 'node:path';
import { corpus, tempDir } from './helpers.js';
import { DatasetReader } from '../src/read/reader.js';
import { PARALLEL_MIN_BYTES } from '../src/sha256.js';

/** What runs between mix's two passes (set by a test). */
const between: { change?: (path: string) => void } = {};

// the file's fingerprint (size, times) is left out, so that only the bytes can tell
vi.mock('../src/write/targets.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/write/targets.js')>();
  return { ...real, assertUnchanged: () => {} };
});
vi.mock('../src/api/sample.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/api/sample.js')>();
  return {
    ...real,
    sampleDataset: async (...args: Parameters<typeof real.sampleDataset>) => {
      const r = await real.sampleDataset(...args);
      between.change?.(args[0]);
      return r;
    },
  };
});
const { mixFile } = await import('../src/api/mix.js');

/** Real chat records (the travel corpus) repeated to at least `bytes`. */
function chatFile(dir: string, bytes: number): string {
  const lines = readFileSync(corpus('chat_openai_travel_finetune_hotel.jsonl'), 'utf8').split('\n').filter(Boolean);
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const l = lines[i % lines.length]!;
    out.push(l);
    size += Buffer.byteLength(l) + 1;
  }
  const path = join(dir, 'chat.jsonl');
  writeFileSync(path, out.join('\n') + '\n');
  return path;
}

async function readAll(path: string, options: { hash?: boolean; checksum?: boolean }): Promise<DatasetReader> {
  const reader = await DatasetReader.open(path, { ...options, parse: false, reuseBlocks: true });
  for await (const batch of reader.batches()) void batch;
  return reader;
}

describe('the CRC-32 a pass keeps of its bytes', () => {
  it('is the CRC-32 of the whole file, kept in-thread (small file) and on the hash worker (large file)', async () => {
    const dir = tempDir();
    const small = chatFile(dir, 200_000);
    const bytes = readFileSync(small);
    expect((await readAll(small, { checksum: true })).crc32()).toBe(crc32(bytes));
    const hashed = await readAll(small, { hash: true, checksum: true });
    expect(hashed.crc32()).toBe(crc32(bytes));
    expect(hashed.sha256()).toBe(createHash('sha256').update(bytes).digest('hex'));

    const large = chatFile(dir, PARALLEL_MIN_BYTES + 3_000_000);
    const big = readFileSync(large);
    const worker = await readAll(large, { hash: true, checksum: true });
    expect(worker.sha256()).toBe(createHash('sha256').update(big).digest('hex'));
    expect(worker.crc32()).toBe(crc32(big));
    expect((await readAll(large, { checksum: true })).crc32()).toBe(crc32(big));
  });

  it('is asked for: a reader opened without checksum has none', async () => {
    const dir = tempDir();
    const reader = await readAll(chatFile(dir, 10_000), { hash: true });
    expect(() => reader.crc32()).toThrow(/crc32/);
  });
});

describe('mix: bytes that change between the passes, size and times unchanged', () => {
  for (const [what, bytes] of [
    ['small file', 300_000],
    ['large file (hashed on the worker)', PARALLEL_MIN_BYTES + 1_000_000],
  ] as const) {
    it(`${what}: refused with input_changed, nothing written`, async () => {
      const dir = tempDir();
      const input = chatFile(dir, bytes);
      const output = join(dir, 'out.jsonl');
      // unchanged, the same run goes through: the refusal below is the change's doing
      between.change = undefined;
      await mixFile(input, { output, count: 5 });
      expect(existsSync(output)).toBe(true);

      const again = join(dir, 'again.jsonl');
      between.change = (path) => {
        // one letter in the middle of the file, same length
        const b = readFileSync(path);
        const at = b.indexOf('"content"', b.length >> 1) + 12;
        b[at] = b[at] === 0x61 ? 0x62 : 0x61;
        writeFileSync(path, b);
      };
      const error = await mixFile(input, { output: again, count: 5 }).catch((e: unknown) => e);
      between.change = undefined;
      expect(error).toMatchObject({ code: 'input_changed' });
      expect(String((error as Error).message)).toContain("the input's bytes differ between the two passes");
      expect(existsSync(again)).toBe(false);
      expect(existsSync(`${again}.manifest.json`)).toBe(false);
    }, 60_000);
  }
});
