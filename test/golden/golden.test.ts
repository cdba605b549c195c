import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../dialects/index.js';
import { compiledFile, compileDefinition } from '../../src/compiler/compile.js';
import { loadProject } from '../../src/definitions/load-project.js';

/*
 * Compiled SQL per definition and dialect, byte for byte: golden/<dialect>/<key>.sql.
 * A difference fails with a diff; `npm run golden:update` rewrites the files, and the change
 * is read in review like code.
 */
const root = path.resolve(import.meta.dirname, '../..');
const projects = ['test/golden/corpus', 'test/golden/corpus-json', 'examples/b2b-saas'];

for (const [name, dialect] of Object.entries(DIALECTS)) {
  describe(`golden SQL for ${name}`, async () => {
    for (const dir of projects) {
      const project = await loadProject(path.join(root, dir));
      for (const def of project.definitions) {
        it(`${dir}: ${def.key}`, async () => {
          const q = compileDefinition(def, { dialect: dialect!, config: project.config, definitions: project.definitions });
          await expect(compiledFile(def, q, dialect!)).toMatchFileSnapshot(path.join(root, 'golden', name, `${def.key}.sql`));
        });
      }
    }
  });
}

describe('golden files', () => {
  it('keys are unique across the golden projects, so no file is written twice', async () => {
    const keys = (await Promise.all(projects.map((p) => loadProject(path.join(root, p))))).flatMap((p) => p.definitions.map((d) => d.key));
    expect(new Set(keys).size).toBe(keys.length);
  });
});
