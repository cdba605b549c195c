import { describe, expect, it } from 'vitest';
import { copyTables } from '../../src/demo/copy-tables.js';
import { demoStatements, demoTables } from '../../src/demo/generate.js';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb-runner.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { fixtureWarehouse, PG_KIND } from '../support/harness.js';

function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sortedKeys(x)]));
}

/** Every row of a table as text, in id order: instants as ISO text, JSON as the document's text. */
async function rowsAsText(wh: Warehouse, schema: string, table: string): Promise<string[]> {
  const d = wh.dialect;
  const qualified = d.qualify(schema, table);
  const columns = await wh.describe(qualified);
  const rows = await wh.query(`SELECT * FROM ${qualified} ORDER BY id`);
  return rows.map((r) => JSON.stringify(columns.map((c) => {
    const v = r[c.name];
    if (v instanceof Date) return v.toISOString();
    // DuckDB hands JSON back as its text, Postgres as parsed (jsonb orders keys its own way):
    // one text for both, keys sorted.
    return d.isJsonType(c.type) ? JSON.stringify(sortedKeys(typeof v === 'string' ? JSON.parse(v) : v)) : v;
  })));
}

/*
 * `demo` fills a Postgres project by copying what it generated in DuckDB: each table's rows go
 * over as one JSON document per batch (a VALUES list with a parameter per value took 322 s at
 * 50k users). Every row arrives as it was, in both layouts.
 */
describe(`demo's copy into Postgres (${PG_KIND})`, () => {
  it.each(['segment', 'events_json'] as const)('%s layout: every row of every table, as generated', async (layout) => {
    const duck = await DuckDbWarehouse.open({ path: ':memory:' });
    const pg = await fixtureWarehouse({}, 'segment', 'postgres');
    try {
      for (const sql of demoStatements({ users: 60, accounts: 8, days: 20, seed: 3, schema: 'main' }, layout)) await duck.exec(sql);
      if (layout === 'events_json') {
        await duck.exec(`INSERT INTO main.events (id, user_id, event, timestamp, properties) VALUES ('zz_order', 'user_00001', 'Order Completed', TIMESTAMP '2024-05-01 00:00:00', '{"total": 10.0, "currency": "EUR"}')`);
      }
      const copied = await copyTables(duck, pg.wh, 'main', demoTables(layout), pg.schema);
      let total = 0;
      for (const table of demoTables(layout)) {
        const generated = await rowsAsText(duck, 'main', table);
        total += generated.length;
        expect({ table, rows: await rowsAsText(pg.wh, pg.schema, table) }).toEqual({ table, rows: generated });
      }
      expect(copied).toBe(total);
      expect(total).toBeGreaterThan(500);
      if (layout === 'events_json') {
        // A JSON number keeps its text: 10.0 is not written again as 10.
        const d = pg.wh.dialect;
        const [order] = await pg.wh.query(`SELECT CAST(properties AS TEXT) AS p FROM ${d.qualify(pg.schema, 'events')} WHERE id = 'zz_order'`);
        expect(order.p).toBe('{"total": 10.0, "currency": "EUR"}');
      }
    } finally {
      await duck.close();
      await pg.dispose();
    }
  });
});
