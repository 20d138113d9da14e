// The third-party corpus lives in the repository (test/corpus/): every file is the one its README
// describes, byte for byte (SHA256SUMS, in `sha256sum` format), and nothing unlisted sits beside it.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CORPUS, CORPUS_FILES } from './helpers.js';

const sums = readFileSync(join(CORPUS, 'SHA256SUMS'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => {
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!m) throw new Error(`SHA256SUMS: not a sha256sum line: ${line}`);
    return { sha: m[1]!, file: m[2]! };
  });

function dataFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return dataFiles(p, `${prefix}${name}/`);
    return name === 'README.md' || name === 'SHA256SUMS' ? [] : [`${prefix}${name}`];
  });
}

describe('test/corpus', () => {
  it('every file matches its sha256, and every file is listed', () => {
    for (const { sha, file } of sums)
      expect(
        createHash('sha256')
          .update(readFileSync(join(CORPUS, file)))
          .digest('hex'),
        file,
      ).toBe(sha);
    expect(dataFiles(CORPUS).sort()).toEqual(sums.map((s) => s.file).sort());
    expect(sums.length).toBe(35);
  });

  it('the README names every file with its source and licence', () => {
    const readme = readFileSync(join(CORPUS, 'README.md'), 'utf8');
    for (const { file } of sums) {
      const name = file.split('/').pop()!;
      const row = readme.split('\n').find((l) => l.startsWith('|') && l.includes(name));
      expect(row, `${name} has a row in the README`).toBeDefined();
      expect(row!.split('|').filter((c) => c.trim()).length, `${name}: source and licence columns`).toBeGreaterThanOrEqual(4);
    }
  });

  it('the files the tests describe are these files', () => {
    for (const f of CORPUS_FILES) expect(sums.find((s) => s.file === f.file)?.sha.slice(0, 16), f.file).toBe(f.sha16);
  });
});
