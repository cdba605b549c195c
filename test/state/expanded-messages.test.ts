import pkg from 'node-sql-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { snowflake } from '../../dialects/snowflake.js';
import type { CallType } from '../../src/definitions/project-config.js';
import {
  CALL_CODES, CHANGE_KIND_CODES, createDeliveryChangesSql, deliveryChangesSql, expandedMessagesSql, freezeStateDeliveriesSql, messagesAfterSql, refsText, valuesByRefSql,
} from '../../src/state/outbox-sql.js';
import { createStateTables, stateNames } from '../../src/state/state-tables.js';
import { ENGINES, fixtureWarehouse, type FixtureWarehouse } from '../support/harness.js';

let fx: FixtureWarehouse | undefined;
afterEach(async () => {
  await fx?.dispose();
  fx = undefined;
});

// The numbering is the delivery cursor's meaning: for every set of calls a destination takes,
// messages must come 1..n in SPEC 4 order (group calls by group_id, then identify, then track,
// each by user_id and then group_id). The orders below are worked out by hand.
describe.each(ENGINES)('expandedMessagesSql on %s', (engine) => {
  // Run 2 of an account trait: three accounts changed, one user newly associated.
  // Memberships at run 2: acct_b has u2 and u1, acct_a has u3 and u1 (u1 is in both), acct_c
  // has none; u0 left acct_a at run 2 and u8 joins only at run 3, so neither is reached.
  const CHANGES = [
    ['account', 'changed', 'acct_b', 'u1', '{"n":2}'],
    ['account', 'changed', 'acct_c', null, '{"n":0}'],
    ['account', 'changed', 'acct_a', 'u1', '{"n":1}'],
    ['user', 'changed', 'acct_a', 'u9', '{"n":1}'],
  ] as const;
  const MEMBERSHIPS = [
    ['acct_b', 'u2', 1, null], ['acct_b', 'u1', 2, null], ['acct_a', 'u3', 1, null], ['acct_a', 'u1', 1, null],
    ['acct_a', 'u0', 1, 2], ['acct_a', 'u8', 3, null],
  ] as const;
  const GROUP = ['group acct_a', 'group acct_b', 'group acct_c'];
  const USERS = ['u1 acct_a', 'u1 acct_b', 'u2 acct_b', 'u3 acct_a', 'u9 acct_a'];

  async function expand(calls: readonly CallType[]): Promise<string[]> {
    fx ??= await fixtureWarehouse({}, 'segment', engine);
    const { wh, state } = fx;
    const s = stateNames(wh.dialect, state);
    const lit = (v: string | number | null) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : wh.dialect.stringLiteral(v));
    if (!(await wh.catalog(state)).has('_changes')) {
      for (const sql of createStateTables(wh.dialect, s)) await wh.exec(sql);
      const changes = CHANGES.map((r) => `(2, 'ct', 'full', ${r.map(lit).join(', ')})`);
      // Another definition's and another run's rows, which the expansion must leave out.
      changes.push("(2, 'other', 'full', 'account', 'changed', 'acct_a', 'u1', '{}')", "(1, 'ct', 'full', 'account', 'changed', 'acct_a', 'u1', '{}')");
      await wh.exec(`INSERT INTO ${s.changes} (run_id, definition_key, mode, part, change_kind, group_id, user_id, values_json) VALUES ${changes.join(', ')}`);
      await wh.exec(`INSERT INTO ${s.accountUsers} (group_id, user_id, from_run, to_run) VALUES ${MEMBERSHIPS.map((r) => `(${r.map(lit).join(', ')})`).join(', ')}`);
    }
    const x = { runId: 2, definition: { key: 'ct', kind: 'computed_trait', entity: 'account' }, mode: 'full', calls } as const;
    for (const sql of createDeliveryChangesSql(wh.dialect, s, x)) await wh.exec(sql);
    const rows = await wh.query(`SELECT * FROM (\n${expandedMessagesSql(wh.dialect, s, x)}\n) AS e ORDER BY e.position`);
    rows.forEach((r, i) => expect(Number(r.position)).toBe(i + 1));
    return rows.map((r) => (r.call_type === 'group' ? `group ${String(r.group_id)}` : `${String(r.call_type)} ${String(r.user_id)} ${String(r.group_id)}`));
  }

  it('messagesAfterSql reads the messages after the cursor, in order, call type and change kind as codes', async () => {
    const all = await expand(['group', 'identify', 'track']); // fills the state tables
    const { wh, state } = fx!;
    const s = stateNames(wh.dialect, state);
    const x = { runId: 2, definition: { key: 'ct', kind: 'computed_trait', entity: 'account' }, mode: 'full', calls: ['group', 'identify', 'track'] } as const;
    const rows = await wh.query(messagesAfterSql(wh.dialect, s, x, 2));
    expect(rows.map((r) => Number(r.position))).toEqual(all.map((_, i) => i + 1).slice(2));
    const read = rows.map((r) => {
      const call = CALL_CODES[Number(r.call_code)];
      return call === 'group' ? `group ${String(r.group_id)}` : `${call} ${String(r.user_id)} ${String(r.group_id)}`;
    });
    expect(read).toEqual(all.slice(2));
    expect(rows.map((r) => CHANGE_KIND_CODES[Number(r.kind_code)])).toEqual(all.slice(2).map(() => 'changed'));
    // Each message's values come by the ref of its change row: acct_c's group call, then u1's
    // identify calls through acct_a and acct_b, which send those accounts' values.
    const refs = rows.slice(0, 3).map((r) => Number(r.ref));
    const values = new Map((await wh.query(valuesByRefSql(wh.dialect), refsText(refs), ['refs'])).map((v) => [Number(v.ref), v.values_json]));
    expect(refs.map((ref) => values.get(ref))).toEqual(['{"n":0}', '{"n":1}', '{"n":2}']);
    expect(await wh.query(messagesAfterSql(wh.dialect, s, x, all.length))).toEqual([]);
  });

  it('numbers group, identify and track calls 1..n, each section in its order', async () => {
    expect(await expand(['group', 'identify', 'track'])).toEqual([
      ...GROUP, ...USERS.map((u) => `identify ${u}`), ...USERS.map((u) => `track ${u}`),
    ]);
  });

  it('orders by code point whatever the collation of the state tables (a database created with an en_US locale gives them its own)', async () => {
    fx = await fixtureWarehouse({}, 'segment', engine);
    const { wh, state } = fx;
    const s = stateNames(wh.dialect, state);
    for (const sql of createStateTables(wh.dialect, s)) await wh.exec(sql);
    if (engine === 'postgres') {
      // ICU's root collation orders 'a' before 'B' and 'u1' before 'U2'; code point, the other way.
      for (const [table, column] of [['_changes', 'group_id'], ['_changes', 'user_id'], ['_account_users', 'group_id'], ['_account_users', 'user_id']]) {
        await wh.exec(`ALTER TABLE ${wh.dialect.qualify(state, table)} ALTER COLUMN ${column} TYPE TEXT COLLATE "und-x-icu"`);
      }
    }
    await wh.exec(`INSERT INTO ${s.changes} (run_id, definition_key, mode, part, change_kind, group_id, user_id, values_json) VALUES
      (2, 'ct', 'diff', 'account', 'changed', 'a', 'u1', '{}'), (2, 'ct', 'diff', 'account', 'changed', 'B', 'U2', '{}')`);
    await wh.exec(`INSERT INTO ${s.accountUsers} (group_id, user_id, from_run, to_run) VALUES ('a', 'u1', 1, NULL), ('B', 'U2', 1, NULL)`);
    const x = { runId: 2, definition: { key: 'ct', kind: 'computed_trait', entity: 'account' }, mode: 'diff', calls: ['group', 'identify'] } as const;
    for (const sql of createDeliveryChangesSql(wh.dialect, s, x)) await wh.exec(sql);
    const rows = await wh.query(`SELECT * FROM (\n${expandedMessagesSql(wh.dialect, s, x)}\n) AS e ORDER BY e.position`);
    expect(rows.map((r) => `${String(r.call_type)} ${String(r.group_id)} ${String(r.user_id)}`)).toEqual(['group B U2', 'group a u1', 'identify B U2', 'identify a u1']);
  });

  it('numbers any subset of the calls 1..n in the same order', async () => {
    expect(await expand(['identify'])).toEqual(USERS.map((u) => `identify ${u}`));
    expect(await expand(['track'])).toEqual(USERS.map((u) => `track ${u}`));
    expect(await expand(['group'])).toEqual(GROUP);
    expect(await expand(['group', 'track'])).toEqual([...GROUP, ...USERS.map((u) => `track ${u}`)]);
    expect(await expand(['identify', 'track'])).toEqual([...USERS.map((u) => `identify ${u}`), ...USERS.map((u) => `track ${u}`)]);
  });
});

// No Snowflake can be reached here: a SQL parser is the rough syntax guard (as for golden/snowflake).
const parsesAsSnowflake = (sql: string, what: string) => expect(() => new pkg.Parser().astify(sql, { database: 'snowflake' }), `${what}: ${sql}`).not.toThrow();

it('a delivery\'s scratch table, its numbered messages and their values parse as Snowflake SQL', () => {
  const s = stateNames(snowflake, 'roster');
  const x = { runId: 2, definition: { key: 'ct', kind: 'computed_trait', entity: 'account' }, mode: 'full', calls: ['group', 'identify', 'track'] } as const;
  for (const sql of createDeliveryChangesSql(snowflake, s, x)) parsesAsSnowflake(sql, 'scratch table');
  parsesAsSnowflake(expandedMessagesSql(snowflake, s, x), 'numbering');
  parsesAsSnowflake(messagesAfterSql(snowflake, s, x, 40000), 'messages after');
  parsesAsSnowflake(valuesByRefSql(snowflake), 'values by ref');
});

it('a state delivery (rows made from the committed result) and its freeze parse as Snowflake SQL', () => {
  const s = stateNames(snowflake, 'roster');
  const columns = [{ name: 'group_id', type: 'VARCHAR' }, { name: 'ct', type: 'NUMBER(38,0)' }];
  for (const [kind, entity] of [['computed_trait', 'account'], ['audience', 'account'], ['audience', 'user'], ['sql_trait', 'account']]) {
    const definition = { key: 'ct', kind, entity };
    const x = { runId: 2, definition, mode: 'state', calls: ['group', 'identify', 'track'], resultColumns: columns } as const;
    // Made from the committed result, not from the outbox's change rows.
    expect(deliveryChangesSql(snowflake, s, x)).toContain(s.result('ct'));
    for (const sql of createDeliveryChangesSql(snowflake, s, x)) parsesAsSnowflake(sql, `${kind} ${entity}`);
    for (const sql of freezeStateDeliveriesSql(snowflake, s, { runId: 2, definition }, columns)) parsesAsSnowflake(sql, `${kind} ${entity}`);
  }
});

it('values are looked up by whole-number refs only, listed in one parameter', () => {
  expect(refsText([3, 17, 5])).toEqual({ refs: '3,17,5' });
  expect(() => refsText([1, 2.5])).toThrow(/whole numbers, got 2.5/);
  expect(() => refsText([])).toThrow(/whole numbers/);
});
