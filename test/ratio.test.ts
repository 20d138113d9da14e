// The documented rule for k: k = max(1, round-half-up(n × ratio)) for a ratio > 0, computed on the
// decimal the user wrote, not on its binary float (0.29 × 50 = 14.5 → 15, where floating point
// gives 14.499999999999998 → 14). Expected values come from integer arithmetic written here.
import { describe, expect, it } from 'vitest';
import { injectedCount } from '../src/blend/plan.js';
import { nonNegativeNumber } from '../src/cli/args.js';
import { runCli, tempDir } from './helpers.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** k for a ratio of `hundredths`/100, by the rule, in integers: floor((2·n·h + 100) / 200), at least 1. */
function expectedK(n: number, hundredths: number): number {
  return Math.max(1, Math.floor((2 * n * hundredths + 100) / 200));
}

/** The ratio as a user types it, e.g. 29 → "0.29", 1000 → "10.00". */
function typed(hundredths: number): string {
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

describe('k = max(1, round-half-up(n × ratio)), exact in decimal', () => {
  it('every ratio 0.01 … 10.00 (step 0.01) × every n 1 … 2,000, through the library and the CLI parser', () => {
    const wrong: string[] = [];
    let halves = 0;
    for (let h = 1; h <= 1000; h++) {
      const ratio = nonNegativeNumber(typed(h));
      for (let n = 1; n <= 2000; n++) {
        const k = injectedCount(n, { ratio });
        const want = expectedK(n, h);
        if ((n * h) % 100 === 50) halves++;
        if (k !== want && wrong.length < 10) wrong.push(`n=${n} ratio=${typed(h)}: ${k}, want ${want}`);
      }
    }
    expect(wrong).toEqual([]);
    // the grid holds many exact halves, where round-half-up and float rounding part ways
    expect(halves).toBeGreaterThan(10_000);
  });

  it('the cases binary floats get wrong', () => {
    expect(injectedCount(50, { ratio: 0.29 })).toBe(15);
    expect(injectedCount(50, { ratio: 0.29 })).not.toBe(Math.max(1, Math.round(0.29 * 50)));
    expect(injectedCount(100, { ratio: 0.145 })).toBe(15); // 14.5 → 15
    expect(injectedCount(1, { ratio: 0.5 })).toBe(1);
    expect(injectedCount(3, { ratio: 0.5 })).toBe(2); // 1.5 → 2
    expect(injectedCount(1000, { ratio: 1e-7 })).toBe(1); // at least 1
    expect(injectedCount(1000, { ratio: 0 })).toBe(0);
  });

  it('the CLI refuses a ratio with more digits than it can keep exactly, and takes one it can', () => {
    expect(() => nonNegativeNumber('0.12345678901234567891')).toThrow(/more significant digits/);
    expect(nonNegativeNumber('.29')).toBe(0.29);
    expect(nonNegativeNumber('2.9e-1')).toBe(0.29);
  });

  it('mix --ratio 0.29 on 50 records writes 15 safety records (the float rule wrote 14)', async () => {
    const dir = tempDir();
    const input = join(dir, 'in.jsonl');
    const lines = Array.from({ length: 50 }, (_, i) =>
      JSON.stringify({
        messages: [
          { role: 'user', content: `What is the capital of country number ${i + 1} on my list?` },
          { role: 'assistant', content: `It is city ${i + 1}.` },
        ],
      }),
    );
    writeFileSync(input, lines.join('\n') + '\n');
    const r = await runCli(['mix', input, '-o', join(dir, 'out.jsonl'), '--ratio', '0.29', '--balance', '0']);
    expect(r.code, r.stderr).toBe(0);
    const out = readFileSync(join(dir, 'out.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(out.length).toBe(65);
    expect(out.filter((l) => lines.includes(l)).length).toBe(50);
  });
});
