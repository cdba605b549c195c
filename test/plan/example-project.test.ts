import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePlan } from '../../src/compiler/plan/plan.js';
import { buildGraph } from '../../src/definitions/graph.js';
import { copyTables } from '../../src/demo/copy-tables.js';
import { demoStatements } from '../../src/demo/generate.js';
import { DEMO_EVENTS } from '../../src/demo/world.js';
import { loadProject } from '../../src/definitions/load-project.js';
import type { Project } from '../../src/definitions/project.js';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb-runner.js';
import { fixtureWarehouse, PG_KIND } from '../support/harness.js';
import { expectSameResults } from './compare.js';
import { EXAMPLE_SCANS, eventTableScans } from './scans.js';

const EXAMPLE = path.resolve(import.meta.dirname, '../../examples/b2b-saas');
const TABLES = ['tracks', 'identifies', 'groups', ...DEMO_EVENTS.map((e) => e.slug)];
const AS_OFS = ['2024-05-20T00:00:00Z', '2024-06-02T12:00:00Z'];

async function example(schema: string, state: string): Promise<Project> {
  const p = await loadProject(EXAMPLE);
  return { ...p, config: { ...p.config, source: { ...p.config.source, schema }, state: { schema: state } } };
}

describe('fused plan and standalone queries give identical tables for every definition of the example project on demo data', () => {
  it('on DuckDB, at two as_of instants', async () => {
    const wh = await DuckDbWarehouse.open({ path: ':memory:' });
    try {
      for (const sql of demoStatements({ users: 600, accounts: 60, days: 60, seed: 11, schema: 'main' })) await wh.exec(sql);
      const project = await example('main', 'roster');
      for (const asOf of AS_OFS) {
        const fused = await expectSameResults(project, wh, asOf);
        expect(Object.keys(fused.tables)).toHaveLength(project.definitions.length);
        // Not vacuous: most definitions have rows.
        expect(Object.values(fused.tables).filter((t) => t.rows.length > 0).length).toBeGreaterThan(15);
      }
      // With the warehouse's column types (a run's plan), the text of a unique_list and the value of
      // a most_frequent of one text property are one expression, so they still share one pass.
      const catalog = await wh.catalog('main');
      const plan = compilePlan({ dialect: wh.dialect, config: project.config, definitions: project.definitions, catalog, order: buildGraph(project.definitions).order });
      expect(eventTableScans(plan)).toEqual(EXAMPLE_SCANS);
    } finally {
      await wh.close();
    }
  });

  it(`on Postgres (${PG_KIND})`, async () => {
    const duck = await DuckDbWarehouse.open({ path: ':memory:' });
    const pg = await fixtureWarehouse({}, 'segment', 'postgres');
    try {
      for (const sql of demoStatements({ users: 300, accounts: 40, days: 40, seed: 7, schema: 'main' })) await duck.exec(sql);
      await copyTables(duck, pg.wh, 'main', TABLES, pg.schema);
      const project = await example(pg.schema, pg.state);
      const fused = await expectSameResults(project, pg.wh, AS_OFS[1]);
      expect(Object.keys(fused.tables)).toHaveLength(project.definitions.length);
    } finally {
      await duck.close();
      await pg.dispose();
    }
  });
});
