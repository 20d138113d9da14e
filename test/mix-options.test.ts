// The choices of every way of mixing are normalized in one place (src/api/mix-options.ts): defaults
// filled in once, a value of the wrong kind refused as a usage error before anything is read.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { mixChoices, recordedRatio } from '../src/api/mix-options.js';
import { mixFile } from '../src/api/mix.js';
import { planShards } from '../src/shard/plan.js';
import { isSafemixError } from '../src/errors.js';
import { corpus, tempDir } from './helpers.js';

describe('mix choices', () => {
  it('fills in the documented defaults', () => {
    expect(mixChoices({})).toEqual({
      seed: 'safemix',
      sample: 5000,
      order: 'interleave',
      ratio: 0.05,
      balance: 0.1,
      onEncoded: 'fail',
      audit: 'strict',
      closedAnswers: 'decline',
      engine: 'render',
    });
    expect(recordedRatio(mixChoices({ count: 3 }))).toBeNull();
    expect(recordedRatio(mixChoices({ ratio: 0.2 }))).toBe(0.2);
    expect(mixChoices({ closedAnswers: { label: 'unsafe' } }).closedAnswers).toEqual({ label: 'unsafe' });
  });

  it('a value of the wrong kind is a usage error for mix and plan alike, and nothing is written', async () => {
    const dir = tempDir('safemix-options-');
    for (const run of [
      () => mixFile(corpus('instruct_alpaca_identity.json'), { output: join(dir, 'out.json'), order: 'sideways' as 'append' }),
      () => planShards([corpus('instruct_alpaca_identity.json')], { output: join(dir, 'plan.json'), order: 'sideways' as 'append' }),
    ]) {
      const err = await run().catch((e: unknown) => e);
      expect(isSafemixError(err) && err.code).toBe('usage');
      expect((err as Error).message).toContain('order');
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});
