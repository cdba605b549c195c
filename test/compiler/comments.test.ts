import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../dialects/index.js';
import { compileDefinition, compiledFile } from '../../src/compiler/compile.js';
import { compilePlan, planFile } from '../../src/compiler/plan/plan.js';
import { ProjectConfig } from '../../src/definitions/project-config.js';
import { definitions } from '../support/harness.js';

/*
 * The compiled files are reviewed and may be run by hand: text from definitions and roster.yml
 * reaches them only in comments, and a line break of any kind (a carriage return ends a -- comment
 * on DuckDB and Postgres) would let the rest of the line run as SQL.
 */
describe('comments in compiled files', () => {
  const hostile = 'Clicks\rCREATE TABLE pwned AS SELECT 1; --\u2028x\n y';
  const defs = definitions([{ kind: 'computed_trait', key: 'clicks', entity: 'user', type: 'event_counter', event: 'Clicked', description: hostile }]);
  const config = ProjectConfig.parse({ name: 'p', source: { schema: 'ma\rin\nx', layout: 'segment' } });

  it.each(Object.keys(DIALECTS) as (keyof typeof DIALECTS)[])('hold no line break, in a definition\'s file and in the run plan (%s)', (name) => {
    const d = DIALECTS[name];
    const file = compiledFile(defs[0], compileDefinition(defs[0], { dialect: d, config, definitions: defs }), d);
    const plan = planFile(compilePlan({ dialect: d, config, definitions: defs, order: ['clicks'] }), d, 'p');
    for (const text of [file, plan]) {
      // (A quoted identifier may hold a line break: the schema's does, in the SQL itself.)
      const comments = text.split('\n').filter((line) => line.startsWith('--'));
      expect(comments.filter((line) => /[\r\u2028]/.test(line))).toEqual([]);
      const lines = text.split(/\r\n|[\r\n\u2028\u2029\v\f\u0085]/);
      expect(lines.filter((line) => line.includes('pwned') && !line.startsWith('--'))).toEqual([]);
    }
    expect(file).toContain('-- Clicks CREATE TABLE pwned AS SELECT 1; -- x y\n');
  });
});
