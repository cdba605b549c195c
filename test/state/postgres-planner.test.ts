import { afterEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../support/fixture.js';
import { Scenario } from '../run/support.js';
import { WarehouseError } from '../../src/warehouse/warehouse.js';

/*
 * Postgres plans a query from its statistics, and runs a correlated subquery of a select list
 * once per row. At 2,000 accounts either mistake cost seconds per definition (a scan of every
 * membership per account; a nested loop over a fresh outbox estimated at one row); at 100,000
 * accounts, hours. These tests pin the plans' shape, not their speed.
 */
const world: Fixture = {
  events: [
    { id: 'l1', user_id: 'u1', event: 'Logged In', timestamp: '2024-05-30T12:00:00Z' },
    { id: 'l2', user_id: 'u2', event: 'Logged In', timestamp: '2024-05-31T12:00:00Z' },
    { id: 'l3', user_id: 'u3', event: 'Logged In', timestamp: '2024-05-31T13:00:00Z' },
    { id: 'l4', user_id: 'u3', event: 'Logged In', timestamp: '2024-06-01T13:00:00Z' },
  ],
  groups: [
    { id: 'g1', user_id: 'u1', group_id: 'a1', timestamp: '2024-05-01T00:00:00Z', traits: { industry: 'Software' } },
    { id: 'g2', user_id: 'u2', group_id: 'a1', timestamp: '2024-05-02T00:00:00Z', traits: {} },
    { id: 'g3', user_id: 'u3', group_id: 'a2', timestamp: '2024-05-03T00:00:00Z', traits: { industry: 'Finance' } },
    { id: 'g4', user_id: null, group_id: 'a3', timestamp: '2024-05-04T00:00:00Z', traits: { industry: 'Software' } },
    { id: 'g5', user_id: 'u3', group_id: 'a2', timestamp: '2024-06-01T12:00:00Z', traits: { industry: 'Software' } },
  ],
};
const DEFINITIONS = [
  'kind: computed_trait\nkey: logins\nentity: account\ntype: event_counter\nevent: Logged In',
  'kind: audience\nkey: software\nentity: account\nwhere:\n  trait: { key: industry, op: eq, value: Software }',
];

let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.close();
  scenario = undefined;
});

describe('Postgres plans of a run', () => {
  it('change rows are built, counted, written and expanded without a correlated subquery run per row (no SubPlan)', async () => {
    scenario = await Scenario.create(world, undefined, 'postgres');
    const made = { diffTables: [] as string[], fullCounts: [] as string[], inserts: [] as string[], expansions: [] as string[] };
    // A delivery's numbering reads its scratch table, which is gone after it: planned while it is there.
    const numberings: string[] = [];
    const { wh, state } = scenario;
    const { exec, query, stream } = wh;
    const planOf = async (statement: string) => (await query.call(wh, `EXPLAIN ${statement}`)).map((r) => String(r['QUERY PLAN'])).join('\n');
    // The Postgres session is shared by the tests of this file: the spies are taken off after the runs.
    wh.exec = async (sql, params) => {
      const built = /^CREATE TEMPORARY TABLE pg_temp\."_diff_\w+" AS\n/.exec(sql);
      if (built) made.diffTables.push(sql.slice(built[0].length));
      if (sql.startsWith(`INSERT INTO "${state}"."_changes"`)) made.inserts.push(sql);
      // A full state's change rows, made from the committed result at delivery.
      const scratch = /^CREATE TEMPORARY TABLE pg_temp\."_delivery_changes" AS\n/.exec(sql);
      if (scratch && !sql.includes(`FROM "${state}"."_changes"`)) made.expansions.push(sql.slice(scratch[0].length));
      return exec.call(wh, sql, params);
    };
    wh.query = async (sql, params) => {
      // Counts of a full state's rows, and of an account trait's fan-out over the account sizes.
      if (/^SELECT ('\w+' AS part, |coalesce\(sum\(s\.n\), 0\) AS n FROM \(\n)/.test(sql)) made.fullCounts.push(sql);
      return query.call(wh, sql, params);
    };
    wh.stream = async function* (sql, batch) {
      // Not the values of a delivery read whole, which come before its numbering.
      if (sql.includes('AS call_code')) numberings.push(await planOf(sql));
      yield* stream.call(wh, sql, batch);
    };
    try {
      // The first run's full states stay pending while the second changes both results (a2 logs
      // in again and turns Software): they are frozen (copied out) before.
      await scenario.run(DEFINITIONS, '2024-06-01T00:00:00Z', { deliver: false });
      await scenario.run(DEFINITIONS, '2024-06-02T00:00:00Z', { deliver: false });
      // A new destination gets both full states, made from the results at delivery.
      scenario.destinations = [...scenario.destinations, { name: 'crm2', type: 'jsonl', path: 'out/crm2.jsonl' }];
      await scenario.run(DEFINITIONS, '2024-06-02T00:00:00Z');
    } finally {
      Object.assign(wh, { exec, query, stream });
    }
    // Counted on the first and third runs: both full states (and logins' fan-out); diffed and
    // written on the second: both frozen full states and both diffs (the third run's diffs are
    // identical results: no table); expanded at delivery: crm2's two full states.
    expect(made.fullCounts).toHaveLength(6);
    expect(made.diffTables).toHaveLength(2);
    expect(made.inserts).toHaveLength(4);
    expect(made.expansions).toHaveLength(2);
    // Delivered on the third run: crm's four deliveries of the first two runs and crm2's two.
    expect(numberings).toHaveLength(6);
    for (const statement of Object.values(made).flat()) expect(await planOf(statement)).not.toMatch(/SubPlan/);
    for (const plan of numberings) expect(plan).not.toMatch(/SubPlan/);
  });

  it('a run refreshes the statistics of the outbox and the membership snapshot it wrote', async () => {
    scenario = await Scenario.create(world, undefined, 'postgres');
    await scenario.run(DEFINITIONS, '2024-06-01T00:00:00Z');
    // A first run writes no change rows (its full states are made from its results): the second writes logins' diff.
    await scenario.run(DEFINITIONS, '2024-06-02T00:00:00Z');
    for (const table of ['_changes', '_account_users']) {
      const [{ n }] = await scenario.query(`SELECT count(*) AS n FROM ${scenario.state}.${table}`);
      const [{ estimate }] = await scenario.query(`SELECT reltuples AS estimate FROM pg_class WHERE oid = to_regclass('${scenario.state}.${table}')`);
      expect(Number(n)).toBeGreaterThan(0);
      expect(Number(estimate)).toBe(Number(n));
    }
  });

  it('a failure to refresh them after the commit says the run is committed', async () => {
    scenario = await Scenario.create(world, undefined, 'postgres');
    await scenario.run(DEFINITIONS, '2024-06-01T00:00:00Z');
    const { wh, state } = scenario;
    const { exec } = wh;
    wh.exec = async (sql, params) => {
      // Only the refresh after the commit: temporary tables are analyzed during the run too.
      if (sql.startsWith(`ANALYZE "${state}".`)) throw new WarehouseError('canceling statement due to user request');
      return exec.call(wh, sql, params);
    };
    try {
      await expect(scenario.run(DEFINITIONS, '2024-06-02T00:00:00Z')).rejects.toThrow(
        `run 2 is committed; then refreshing the planner statistics of "${state}"."_changes": canceling statement due to user request`,
      );
    } finally {
      wh.exec = exec;
    }
    const runs = await scenario.query(`SELECT run_id, status FROM "${state}"."_runs" ORDER BY run_id`);
    expect(runs.map((r) => [Number(r.run_id), r.status])).toEqual([[1, 'committed'], [2, 'committed']]);
  });
});
