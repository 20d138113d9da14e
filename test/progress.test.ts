// Every long step of a mix reports done of total, never going back, and ends at its total: the first
// pass (bytes), the covert-encoding check (sampled records) and the second pass (bytes), for a single
// file and for a multi-file upload. The CLI's bar shows the same events (src/cli/progress.ts).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { mixFile } from '../src/api/mix.js';
import { mixFiles } from '../src/shard/mix-files.js';
import { corpus, tempDir } from './helpers.js';

type Event = [phase: string, done: number, total: number | undefined];

function check(events: Event[], phases: string[]): void {
  const seen = [...new Set(events.map((e) => e[0]))];
  expect(seen).toEqual(phases);
  for (const phase of phases) {
    const mine = events.filter((e) => e[0] === phase);
    for (const [, done, total] of mine) {
      expect(total, `${phase} has a total`).toBeGreaterThan(0);
      expect(done).toBeLessThanOrEqual(total!);
    }
    for (let i = 1; i < mine.length; i++) expect(mine[i]![1], `${phase} never goes back`).toBeGreaterThanOrEqual(mine[i - 1]![1]);
    const last = mine.at(-1)!;
    expect(last[1], `${phase} ends at its total`).toBe(last[2]);
  }
}

describe('progress of a mix', () => {
  it('a corpus file: profile, check and write, each ending at its total', async () => {
    const dir = tempDir('safemix-progress-');
    const events: Event[] = [];
    await mixFile(corpus('qa_open_nq_open_dev.jsonl'), { output: join(dir, 'out.jsonl'), onProgress: (p, d, t) => events.push([p, d, t]) });
    check(events, ['profile', 'check', 'write']);
    expect(events.find((e) => e[0] === 'check')![2]).toBe(2000);
  });

  it('a multi-file upload: the plan step and the write steps, each ending at its total', async () => {
    const dir = tempDir('safemix-progress-');
    const lines = readFileSync(corpus('qa_open_nq_open_dev.jsonl'), 'utf8').split('\n').filter(Boolean);
    writeFileSync(join(dir, 'a.jsonl'), lines.slice(0, 1000).join('\n') + '\n');
    writeFileSync(join(dir, 'b.jsonl'), lines.slice(1000).join('\n') + '\n');
    mkdirSync(join(dir, 'out'));
    const events: Event[] = [];
    await mixFiles([join(dir, 'a.jsonl'), join(dir, 'b.jsonl')], { outputDir: join(dir, 'out'), onProgress: (p, d, t) => events.push([p, d, t]) });
    check(
      events.filter((e) => e[0] === 'profile'),
      ['profile'],
    );
    // the two files' second passes, one after the other
    const writes = events.filter((e) => e[0] === 'write');
    const ends = writes.filter((e) => e[1] === e[2]);
    expect(ends.length).toBeGreaterThanOrEqual(2);
  });
});
