// mixRecords: records from memory or an async iterable are mixed as the same records in a file are.
// Values are written with JSON.stringify, text and bytes pass through as they are; the temp spool is
// removed; a text record with a line break is refused with its index.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mixFile, mixRecords } from '../src/api/mix.js';
import { isSafemixError } from '../src/errors.js';
import { corpus, tempDir } from './helpers.js';

const lines = readFileSync(corpus('chat_openai_travel_finetune_hotel.jsonl'), 'utf8').split('\n').filter(Boolean);

describe('mixRecords', () => {
  it('an async iterable of record texts gives the output mixFile gives for the same lines', async () => {
    const dir = tempDir('safemix-records-');
    writeFileSync(join(dir, 'in.jsonl'), lines.join('\n') + '\n');
    const fromFile = await mixFile(join(dir, 'in.jsonl'), { output: join(dir, 'a.jsonl'), seed: '3', count: 4 });
    async function* stream() {
      for (const l of lines) yield l;
    }
    const fromRecords = await mixRecords(stream(), { output: join(dir, 'b.jsonl'), seed: '3', count: 4 });
    expect(readFileSync(join(dir, 'b.jsonl'))).toEqual(readFileSync(join(dir, 'a.jsonl')));
    expect(fromRecords.manifest.input.path).toBe('<records>');
    expect(fromRecords.manifest.output.sha256).toBe(fromFile.manifest.output.sha256);
    expect(fromRecords.manifest.injected.map((e) => e.index)).toEqual(fromFile.manifest.injected.map((e) => e.index));
  });

  it('values are written with JSON.stringify, and the spool is gone afterwards', async () => {
    const dir = tempDir('safemix-records-');
    const tmp = tempDir('safemix-records-tmp-');
    const values = lines.map((l) => JSON.parse(l) as object);
    const before = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const r = await mixRecords(values, { output: join(dir, 'out.jsonl'), seed: '1', count: 2, displayName: 'cursor' });
      expect(r.manifest.input.path).toBe('cursor');
      expect(r.manifest.input.records).toBe(values.length);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
    const out = readFileSync(join(dir, 'out.jsonl'), 'utf8').split('\n').filter(Boolean);
    // the user records are the values as JSON.stringify writes them, in order
    const user = out.filter((l) => values.some((v) => JSON.stringify(v) === l));
    expect(user).toEqual(values.map((v) => JSON.stringify(v)));
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('a text record holding a line break is refused with its index, and nothing is written', async () => {
    const dir = tempDir('safemix-records-');
    const bad = [lines[0]!, `${lines[1]!}\n${lines[2]!}`];
    const err = await mixRecords(bad, { output: join(dir, 'out.jsonl'), count: 1 }).catch((e: unknown) => e);
    expect(isSafemixError(err)).toBe(true);
    expect((err as Error).message).toContain('record 1 holds a line break');
    expect(readdirSync(dir)).toEqual([]);
  });
});
