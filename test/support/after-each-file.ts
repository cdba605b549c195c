import { afterAll } from 'vitest';
import { closeSharedWarehouse } from './harness.js';

// A setup file runs for every test file, also where a worker keeps its modules from one file to
// the next (vitest.config.ts, isolate: false): a hook registered by harness.ts when it is first
// imported would close only the first file's session.
afterAll(closeSharedWarehouse);
