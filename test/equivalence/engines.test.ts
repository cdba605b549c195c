import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyTables } from '../../src/demo/copy-tables.js';
import { demoStatements, demoTables } from '../../src/demo/generate.js';
import { buildGraph } from '../../src/definitions/graph.js';
import { loadProject } from '../../src/definitions/load-project.js';
import type { SourceLayout } from '../../src/definitions/project-config.js';
import type { Project } from '../../src/definitions/project.js';
import { deliverOutbox } from '../../src/run/deliver-outbox.js';
import { runProject } from '../../src/run/run-project.js';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb-runner.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { fixtureWarehouse, PG_KIND } from '../support/harness.js';

const EXAMPLE = path.resolve(import.meta.dirname, '../../examples/b2b-saas');
const RUNS = ['2024-05-20T00:00:00Z', '2024-06-01T00:00:00Z', '2024-06-02T12:00:00Z'];

/**
 * The example project, pointed at a schema pair of a warehouse, delivering to a jsonl file of its
 * own. In the events_json layout its SQL trait reads `events` where it reads `tracks`.
 */
async function exampleOn(schema: string, state: string, layout: SourceLayout): Promise<Project> {
  const p = await loadProject(EXAMPLE);
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-equiv-'));
  const definitions = layout === 'segment' ? p.definitions : p.definitions.map((def) =>
    def.kind === 'sql_trait' ? { ...def, template: def.template.replaceAll('{{source "tracks"}}', '{{source "events"}}') } : def);
  return {
    ...p,
    dir,
    definitions,
    config: { ...p.config, source: { ...p.config.source, schema, layout }, state: { schema: state }, destinations: [{ ...p.config.destinations[0], path: 'out/crm.jsonl' }] },
  };
}

async function runAll(project: Project, wh: Warehouse) {
  const graph = buildGraph(project.definitions);
  const results: Record<string, unknown[]> = {};
  for (const asOf of RUNS) {
    const report = await runProject(project, graph, wh, { asOf: new Date(asOf) });
    expect(report.outcomes.filter((o) => o.status !== 'ok').map((o) => `${o.key}: ${o.error}`)).toEqual([]);
    expect((await deliverOutbox(project, wh)).pending).toBe(0);
  }
  const d = wh.dialect;
  for (const def of project.definitions) {
    const table = d.qualify(project.config.state.schema, def.key);
    // A JSON column (events_json values) comes back as its text from DuckDB, parsed from Postgres: compare texts.
    const columns = (await wh.describe(table)).map((c) => (/^jsonb?$/i.test(c.type) ? `CAST(${d.quoteIdent(c.name)} AS TEXT) AS ${d.quoteIdent(c.name)}` : d.quoteIdent(c.name)));
    const rows = await wh.query(`SELECT ${columns.join(', ')} FROM ${table}`);
    results[def.key] = rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).sort()))).sort();
  }
  const messages = readFileSync(path.join(project.dir, 'out/crm.jsonl'), 'utf8').split('\n').filter(Boolean);
  return { results, messages };
}

describe(`the example project gives the same results and emissions on DuckDB and Postgres (${PG_KIND})`, () => {
  it.each(['segment', 'events_json'] as const)('%s layout: three scheduled runs over the same demo data: identical stored results and identical messages, messageIds included', async (layout) => {
    const duck = await DuckDbWarehouse.open({ path: ':memory:' });
    const pg = await fixtureWarehouse({}, 'segment', 'postgres');
    try {
      for (const sql of demoStatements({ users: 300, accounts: 40, days: 40, seed: 7, schema: 'main' }, layout)) await duck.exec(sql);
      await copyTables(duck, pg.wh, 'main', demoTables(layout), pg.schema);
      const onDuck = await runAll(await exampleOn('main', 'roster', layout), duck);
      const onPg = await runAll(await exampleOn(pg.schema, pg.state, layout), pg.wh);
      expect(onDuck.messages.length).toBeGreaterThan(1000);
      for (const key of Object.keys(onDuck.results)) expect({ key, rows: onPg.results[key] }).toEqual({ key, rows: onDuck.results[key] });
      expect(onPg.messages).toEqual(onDuck.messages);
    } finally {
      await duck.close();
      await pg.dispose();
    }
  });
});
