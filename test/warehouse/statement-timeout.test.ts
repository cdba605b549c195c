import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/definitions/graph.js';
import { loadProject } from '../../src/definitions/load-project.js';
import { ProjectError } from '../../src/definitions/project.js';
import { runProject } from '../../src/run/run-project.js';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb-runner.js';
import { tempProject, yml } from '../definitions/temp-project.js';
import { AS_OF, world } from '../execution/world.js';
import { fixtureStatements } from '../support/fixture.js';
import { definitions, project } from '../support/harness.js';

// roster.yml's warehouse.statement_timeout_ms was read by Postgres only: DuckDB ran a slow SQL
// trait for minutes. DuckDB has no statement timeout of its own; roster interrupts the statement.
describe('warehouse.statement_timeout_ms on DuckDB', () => {
  it('stops a statement that runs longer: the definition fails with the reason, the others commit', async () => {
    const wh = await DuckDbWarehouse.open({ path: ':memory:', statementTimeoutMs: 300 });
    try {
      for (const sql of fixtureStatements(world, 'segment')) await wh.exec(sql);
      const defs = definitions([
        // About a minute of work on these machines.
        { kind: 'sql_trait', key: 'slow', entity: 'user', sql: "SELECT 'u1' AS user_id, sum(hash(a.range * b.range)) AS slow FROM range(3000) AS a, range(1000000) AS b" },
        'kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In',
      ]);
      const started = Date.now();
      const report = await runProject(project(defs), buildGraph(defs), wh, { asOf: new Date(AS_OF) });
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(report.outcomes.map((o) => [o.key, o.status])).toEqual([['logins', 'ok'], ['slow', 'failed']]);
      expect(report.outcomes.find((o) => o.key === 'slow')?.error).toBe('canceling statement due to statement timeout (roster.yml warehouse.statement_timeout_ms: 300)');
      expect(Number((await wh.query('SELECT count(*) AS n FROM roster.logins'))[0].n)).toBeGreaterThan(0);
    } finally {
      await wh.close();
    }
  });

  it('memory_limit is refused for a Postgres warehouse, where it would be ignored', async () => {
    const dir = tempProject({ 'roster.yml': yml('warehouse:', '  dialect: postgres', '  url: postgres://x@localhost/db', '  memory_limit: 1GB') });
    const error = await loadProject(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectError);
    expect((error as Error).message).toBe('roster.yml:4:17 warehouse.memory_limit: memory_limit is for a duckdb warehouse, and this one is postgres');
  });
});
