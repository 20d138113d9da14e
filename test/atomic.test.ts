// Atomic output: nothing appears at the target until commit; abort and SIGINT/SIGTERM leave no file.
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AtomicFile } from '../src/write/atomic-file.js';
import { ROOT, tempDir } from './helpers.js';

describe('atomic output', () => {
  it('writes only on commit, replacing the target whole', () => {
    const dir = tempDir();
    const target = join(dir, 'out.jsonl');
    writeFileSync(target, 'old\n');
    const f = new AtomicFile(target, { bufferBytes: 16 });
    f.write('new line that is longer than the buffer\n');
    expect(readFileSync(target, 'utf8')).toBe('old\n');
    f.commit();
    expect(readFileSync(target, 'utf8')).toBe('new line that is longer than the buffer\n');
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
  });

  it('abort leaves the target untouched and no temp file', () => {
    const dir = tempDir();
    const f = new AtomicFile(join(dir, 'out.jsonl'));
    f.write('partial');
    f.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`${signal} during a write removes the temp file and exits ${code}`, async () => {
      const dir = tempDir();
      const target = join(dir, 'out.jsonl');
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/fixtures/hold-open-writer.ts'), target], { cwd: ROOT });
      await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
      expect(readdirSync(dir)).toHaveLength(1); // the temp file
      const exit = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      child.kill(signal);
      expect(await exit).toBe(code);
      expect(existsSync(target)).toBe(false);
      expect(readdirSync(dir)).toEqual([]);
    });
  }
});
