import { describe } from 'vitest';
import { ENGINES } from '../support/harness.js';
import { audiencesOn } from './audience-cases.js';

// The audience cases on the events_json layout, apart from audiences.test.ts so that the two halves run in parallel.
describe.each(ENGINES.map((engine) => [engine, 'events_json'] as const))('audiences on %s, %s layout', audiencesOn);
