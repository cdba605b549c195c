import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../dialects/index.js';
import { compilePlan, planFile } from '../../src/compiler/plan/plan.js';
import { ProjectConfig } from '../../src/definitions/project-config.js';
import { definitions } from '../support/harness.js';

/*
 * `compiled/<dialect>/_run.sql` is reviewed and may be run by hand as one script: a SQL trait
 * whose own SQL ends in a `--` comment must not swallow the `;` that ends its statement.
 */
describe('the run plan file', () => {
  it('runs as one DuckDB script when a SQL trait ends in a -- comment', async () => {
    const defs = definitions([
      { kind: 'sql_trait', key: 'c1', entity: 'user', sql: "SELECT 'u1' AS user_id, 1 AS c1 -- trailing; a '--' in a comment" },
      { kind: 'sql_trait', key: 'c2', entity: 'user', sql: "SELECT 'u2' AS user_id, '--' AS c2" },
      // quotes that do not pair as literals do on the last line
      { kind: 'sql_trait', key: 'c3', entity: 'user', sql: "SELECT 'u3' AS user_id, 3 AS c3 /* it's */ -- the user's count" },
    ]);
    const d = DIALECTS.duckdb;
    const file = planFile(compilePlan({ dialect: d, config: ProjectConfig.parse({ name: 'p' }), definitions: defs, order: ['c1', 'c2', 'c3'] }), d, 'p');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await connection.run(file);
      const rows = async (table: string) => (await connection.runAndReadAll(`SELECT * FROM ${table}`)).getRowObjectsJson();
      expect(await rows('_run_c1')).toEqual([{ user_id: 'u1', c1: 1 }]);
      expect(await rows('_run_c2')).toEqual([{ user_id: 'u2', c2: '--' }]);
      expect(await rows('_run_c3')).toEqual([{ user_id: 'u3', c3: 3 }]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
