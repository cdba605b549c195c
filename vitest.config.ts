import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The CLI tests run the built roster (dist/): it is built from this source first.
    globalSetup: ['test/support/build-once.ts'],
    setupFiles: ['test/support/after-each-file.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: files run in parallel processes, each test file owns its DuckDB instances.
    // Vitest's default is one worker less than the cores, which is one worker (all files in
    // turn) on these 2-core machines: much of a test's time is waiting on a child process or the
    // Postgres server, so two workers take about two thirds of the time.
    pool: 'forks',
    // A worker keeps its imported modules from one test file to the next rather than importing
    // roster afresh for each (53 s of the suite's 540 s of test time went to imports). Nothing in
    // roster keeps state between calls, tests that change process.env put it back, and what a
    // test file opens for all its tests is closed after it by a setup file (after-each-file.ts).
    isolate: false,
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
