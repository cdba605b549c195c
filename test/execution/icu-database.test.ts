import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/definitions/graph.js';
import { runProject } from '../../src/run/run-project.js';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb-runner.js';
import { PostgresWarehouse } from '../../src/warehouse/postgres-runner.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { fixtureStatements, JsonNumber, type Fixture, type Layout } from '../support/fixture.js';
import { definitions, project } from '../support/harness.js';

/*
 * A Postgres database created with an en_US locale (here ICU's) gives every text column and
 * every text expression its order: 'a' before 'B', 'ä' between 'a' and 'b'. SPEC 2-4 order and
 * compare by code point, so such a database must give what DuckDB gives. Needs a server to
 * create the database on (ROSTER_TEST_PG_URL; CI has one); PGlite has a single "C" database.
 */
const server = process.env.ROSTER_TEST_PG_URL;
const T = (day: number) => `2024-05-0${day}T00:00:00Z`;

const fixture: Fixture = {
  events: [
    { id: 'e', user_id: 'u1', event: 'Clicked', timestamp: T(2), props: { v: 'Pro', n: 1e23 } },
    { id: 'E', user_id: 'u1', event: 'Clicked', timestamp: T(2), props: { v: 'B', n: 2.5 } },
    { id: 'x', user_id: 'U2', event: 'Clicked', timestamp: T(3), props: { v: 'ä', n: 1.5 } },
    { id: 'y', user_id: 'é', event: 'Clicked', timestamp: T(3), props: { v: 'a', n: 0.1 } },
  ],
  identifies: [
    { id: 'a1', user_id: 'u1', timestamp: T(1), traits: { role: 'x', p: new JsonNumber('1e3') } },
    { id: 'B1', user_id: 'u1', timestamp: T(1), traits: { role: 'y', p: new JsonNumber('1.50') } },
  ],
  groups: [
    { id: 'a', user_id: 'u1', group_id: 'K', timestamp: T(1), traits: { plan: 'lower' } },
    { id: 'B', user_id: 'U2', group_id: 'K', timestamp: T(1), traits: { plan: 'UPPER' } },
    { id: 'c', user_id: 'é', group_id: 'k', timestamp: T(1), traits: { plan: 'Zed' } },
  ],
};
const trait = (key: string, entity: string, body: string) => `kind: computed_trait\nkey: ${key}\nentity: ${entity}\nevent: Clicked\n${body}`;
const audience = (key: string, entity: string, where: string) => `kind: audience\nkey: ${key}\nentity: ${entity}\nwhere: ${where}`;
const DEFS = [
  trait('first_v', 'user', 'type: first\nproperty: v'), trait('last_v', 'user', 'type: last\nproperty: v'),
  trait('account_first_v', 'account', 'type: first\nproperty: v'), trait('mf_n', 'user', 'type: most_frequent\nproperty: n\nmin_frequency: 1'),
  trait('mf_v', 'user', 'type: most_frequent\nproperty: v\nmin_frequency: 1'), trait('vs', 'user', 'type: unique_list\nproperty: v'),
  audience('v_gt_a_umlaut', 'user', '{ event: { name: Clicked, where: [{ property: v, op: gt, value: "ä" }] } }'),
  audience('v_lt_a', 'user', '{ event: { name: Clicked, where: [{ property: v, op: lt, value: "a" }] } }'),
  audience('first_gt_b', 'user', '{ trait: { key: first_v, op: gt, value: "B" } }'),
  audience('role_x', 'user', '{ trait: { key: role, op: eq, value: x } }'),
  audience('plan_gt_a', 'account', '{ trait: { key: plan, op: gt, value: "a" } }'),
];
const KEYS = definitions(DEFS).map((d) => d.key);

/** Every definition's stored rows, as JSON lines sorted by code point. */
async function results(wh: Warehouse, layout: Layout, schema: string, state: string): Promise<Record<string, string[]>> {
  for (const sql of fixtureStatements(fixture, layout, schema, wh.dialect.name === 'duckdb' ? 'duckdb' : 'postgres')) await wh.exec(sql);
  const defs = definitions(DEFS);
  const report = await runProject(project(defs, layout, { schema }, state), buildGraph(defs), wh, { asOf: new Date('2024-06-01T00:00:00Z') });
  expect(report.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
  const out: Record<string, string[]> = {};
  for (const key of KEYS) {
    const table = wh.dialect.qualify(state, key);
    // DuckDB hands a JSON column back as its text, Postgres parses jsonb: read both as values.
    const json = new Set((await wh.describe(table)).filter((c) => c.type === 'JSON').map((c) => c.name));
    const rows = await wh.query(`SELECT * FROM ${table}`);
    out[key] = rows.map((r) => JSON.stringify(r, (k, v) => (typeof v === 'bigint' ? Number(v) : json.has(k) && typeof v === 'string' ? JSON.parse(v) : v)))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  return out;
}

describe.skipIf(!server)('a Postgres database with an ICU en-US collation gives what DuckDB gives', () => {
  const database = `roster_icu_${process.pid}`;
  let admin: PostgresWarehouse;
  let icu: PostgresWarehouse;
  beforeAll(async () => {
    admin = await PostgresWarehouse.connect(server!);
    await admin.exec(`DROP DATABASE IF EXISTS ${database}`);
    await admin.exec(`CREATE DATABASE ${database} LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8' TEMPLATE template0`);
    const url = new URL(server!);
    url.pathname = `/${database}`;
    icu = await PostgresWarehouse.connect(url.toString());
    const [order] = await icu.query(`SELECT 'a' < 'B' AS icu`);
    expect(order.icu).toBe(true); // by code point 'B' (0x42) comes first
  });
  afterAll(async () => {
    await icu?.close();
    await admin?.exec(`DROP DATABASE IF EXISTS ${database}`);
    await admin?.close();
  });

  it.each(['segment', 'events_json'] as const)('%s layout: every definition stores the same rows', async (layout) => {
    const duck = await DuckDbWarehouse.open({ path: ':memory:' });
    try {
      const expected = await results(duck, layout, 'main', 'roster');
      expect(expected.role_x).toEqual(['{"user_id":"u1"}']); // a1 > B1 by code point: the latest role is x
      expect(await results(icu, layout, `src_${layout}`, `state_${layout}`)).toEqual(expected);
    } finally {
      await duck.close();
    }
  });
});
