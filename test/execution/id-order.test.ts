import { expect, it } from 'vitest';
import type { Fixture } from '../support/fixture.js';
import { buildGraph } from '../../src/definitions/graph.js';
import { runProject } from '../../src/run/run-project.js';
import { changesSql } from '../../src/state/diff-sql.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { definitions, ENGINES, fixtureWarehouse, project } from '../support/harness.js';

/*
 * Ids decide ties by code point, whatever the database's collation (SPEC 2-4): custom traits take
 * the latest call, ties to the larger id; first / last order events by (timestamp, id); a group
 * call names the account's smallest user_id. By code point 'B' (0x42) < 'a' (0x61), 'E' < 'e',
 * 'U2' < 'u1'; a case-insensitive collation (ICU's root, en_US) orders them the other way.
 */
const T = '2024-01-01T00:00:00Z';
const fixture: Fixture = {
  identifies: [
    { id: 'a1', user_id: 'u1', timestamp: T, traits: { role: 'x' } },
    { id: 'B1', user_id: 'u1', timestamp: T, traits: { role: 'y' } },
  ],
  groups: [
    { id: 'a', user_id: 'u1', group_id: 'K', timestamp: T, traits: { plan: 'lower' } },
    { id: 'B', user_id: 'U2', group_id: 'K', timestamp: T, traits: { plan: 'UPPER' } },
  ],
  events: [
    { id: 'e', user_id: 'u1', event: 'Page Viewed', timestamp: '2024-01-02T00:00:00Z', props: { path: '/lower-e' } },
    { id: 'E', user_id: 'u1', event: 'Page Viewed', timestamp: '2024-01-02T00:00:00Z', props: { path: '/UPPER-E' } },
  ],
};
const trait = (key: string, type: 'first' | 'last', entity = 'user') =>
  `kind: computed_trait\nkey: ${key}\nentity: ${entity}\ntype: ${type}\nevent: Page Viewed\nproperty: path`;
const DEFS = [
  trait('first_path', 'first'), trait('last_path', 'last'), trait('account_first_path', 'first', 'account'),
  'kind: audience\nkey: role_x\nentity: user\nwhere: { trait: { key: role, op: eq, value: x } }',
  'kind: audience\nkey: plan_lower\nentity: account\nwhere: { trait: { key: plan, op: eq, value: lower } }',
];

/**
 * Gives a schema's id columns ICU's root collation (case-insensitive order), as a database created
 * with an en_US locale gives every text column (the tests' databases default to "C").
 */
async function collateIds(wh: Warehouse, schema: string): Promise<void> {
  const columns = await wh.query(`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = '${schema}' AND column_name IN ('id', 'user_id', 'group_id') AND data_type IN ('text', 'character varying')`);
  for (const c of columns) await wh.exec(`ALTER TABLE "${schema}"."${String(c.table_name)}" ALTER COLUMN "${String(c.column_name)}" TYPE TEXT COLLATE "und-x-icu"`);
}

// DuckDB's VARCHAR has no such default: there the ids are only of mixed case.
it.each(ENGINES.flatMap((engine) => (['fused', 'standalone'] as const).map((strategy) => [engine, strategy] as const)))('on %s (%s), ties are decided by code point, not by the collation', async (engine, strategy) => {
  const fx = await fixtureWarehouse(fixture, 'segment', engine);
  try {
    if (engine === 'postgres') {
      await collateIds(fx.wh, fx.schema);
      const [order] = await fx.wh.query(`SELECT min(id) AS smallest FROM "${fx.schema}"."groups"`);
      expect(order.smallest).toBe('a'); // the collation is in effect: by code point it would be 'B'
    }
    const defs = definitions(DEFS);
    const p = project(defs, 'segment', { schema: fx.schema }, fx.state);
    const run = await runProject(p, buildGraph(defs), fx.wh, { asOf: new Date('2024-01-02T12:00:00Z'), strategy });
    expect(run.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
    const values = async (key: string, id = 'user_id') =>
      Object.fromEntries((await fx.wh.query(`SELECT ${id} AS id, ${key} AS v FROM ${fx.wh.dialect.qualify(fx.state, key)}`)).map((r) => [r.id, r.v]));
    expect(await values('first_path')).toEqual({ u1: '/UPPER-E' });
    expect(await values('last_path')).toEqual({ u1: '/lower-e' });
    expect(await values('account_first_path', 'group_id')).toEqual({ K: '/UPPER-E' });
    const members = async (key: string, id: string) => (await fx.wh.query(`SELECT ${id} AS id FROM ${fx.wh.dialect.qualify(fx.state, key)}`)).map((r) => r.id);
    expect(await members('role_x', 'user_id')).toEqual(['u1']);
    expect(await members('plan_lower', 'group_id')).toEqual(['K']);
  } finally {
    await fx.dispose();
  }
});

// A database created with an en_US locale gives every text column, roster's own memberships
// included, its order: the group call must still name the smallest user by code point.
it.each(ENGINES)('on %s, a group call names the smallest user_id by code point, whatever the memberships\' collation', async (engine) => {
  const fx = await fixtureWarehouse({}, 'segment', engine);
  try {
    const d = fx.wh.dialect;
    const collated = engine === 'postgres' ? ' COLLATE "und-x-icu"' : '';
    const au = d.qualify(fx.schema, 'au');
    const current = d.qualify(fx.schema, 'cur');
    await fx.wh.exec(`CREATE TABLE ${au} (group_id VARCHAR, user_id VARCHAR${collated})`);
    await fx.wh.exec(`INSERT INTO ${au} VALUES ('K', 'u1'), ('K', 'U2')`);
    await fx.wh.exec(`CREATE TABLE ${current} (group_id VARCHAR, n BIGINT)`);
    await fx.wh.exec(`INSERT INTO ${current} VALUES ('K', 2)`);
    const sql = changesSql(d, {
      key: 'n', kind: 'computed_trait', entity: 'account', traitType: 'event_counter',
      current: { table: current, columns: await fx.wh.describe(current) }, accountUsers: au,
    }, 'full');
    const rows = await fx.wh.query(`SELECT user_id FROM (${sql}) AS c WHERE part = 'account'`);
    expect(rows.map((r) => r.user_id)).toEqual(['U2']);
  } finally {
    await fx.dispose();
  }
});
