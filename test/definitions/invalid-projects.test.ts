import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/definitions/load-project.js';
import { ProjectError } from '../../src/definitions/project.js';

/**
 * Each folder of test/fixtures/invalid is a broken project; its expected.txt holds the exact
 * problem lines `roster validate` prints (file:line:column path: message).
 */
const corpus = join(import.meta.dirname, '../fixtures/invalid');
const cases = readdirSync(corpus, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

describe('invalid projects are rejected with located, readable problems', () => {
  it('has a corpus worth the name', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('%s', async (name) => {
    const expected = readFileSync(join(corpus, name, 'expected.txt'), 'utf8').trimEnd();
    const error = await loadProject(join(corpus, name), { env: {} }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProjectError);
    expect((error as ProjectError).message).toBe(expected);
  });
});
