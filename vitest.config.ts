import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The test files that run longest (two to three minutes each on a 2-core machine). On a fresh clone
 * vitest knows no file's duration and starts the larger files first; these are small files that
 * import their cases, so they started last and one worker ran on alone at the end (up to about 50 s
 * of the CI's wall: its files' times summed, halved, against its wall). They start first; every other
 * file keeps vitest's order.
 */
const LONGEST = ['test/encoding/placement-chat-b.test.ts', 'test/encoding/placement-chat-a.test.ts', 'test/hostile.test.ts', 'test/format-commands.test.ts'];

class LongestFirst extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONGEST.findIndex((path) => f.moduleId.replace(/\\/g, '/').endsWith(path));
      return i < 0 ? LONGEST.length : i;
    };
    return sorted
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
      .map((x) => x.f);
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    // vitest's default on a 2-core machine is one worker; the CLI-spawning files wait on child
    // processes much of the time, so two workers halve the wall time
    maxWorkers: 2,
    hookTimeout: 60_000,
    sequence: { sequencer: LongestFirst },
  },
});
