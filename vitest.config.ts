import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    // vitest's default on a 2-core machine is one worker; the CLI-spawning files wait on child
    // processes much of the time, so two workers halve the wall time
    maxWorkers: 2,
    hookTimeout: 60_000,
  },
});
