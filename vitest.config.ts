import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The CLI tests run the built roster (dist/): it is built from this source first.
    globalSetup: ['test/support/build-once.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: files run in parallel processes, each test file owns its DuckDB instances.
    // Vitest's default is one worker less than the cores, which is one worker (all files in
    // turn) on these 2-core machines: much of a test's time is waiting on a child process or the
    // Postgres server, so two workers take about two thirds of the time.
    pool: 'forks',
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
