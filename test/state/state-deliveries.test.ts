import { afterEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../support/fixture.js';
import { ENGINES } from '../support/harness.js';
import { audienceTrack, brief, Scenario, traitTrack } from '../run/support.js';

/*
 * A full state (first run, new route) is not copied into the outbox: delivery makes its rows from
 * the committed result. These runs leave it pending while a later run changes that result, so
 * the commit must first copy the pending rows out (a freeze), and what arrives must be exactly
 * what an immediate delivery would have sent.
 *
 * At T1: a1 = {u1, u2} (Software), a2 = {u3} (Finance), a3 = {} (Software); logins a1 2, a2 1.
 * Before T2: u3 logs in again, u4 joins a1, a2 becomes Software.
 */
const T1 = '2024-06-01T00:00:00Z';
const T2 = '2024-06-02T00:00:00Z';
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
    { id: 'g5', user_id: 'u4', group_id: 'a1', timestamp: '2024-06-01T12:00:00Z', traits: {} },
    { id: 'g6', user_id: 'u3', group_id: 'a2', timestamp: '2024-06-01T14:00:00Z', traits: { industry: 'Software' } },
  ],
};
const LOGINS = 'kind: computed_trait\nkey: logins\nentity: account\ntype: event_counter\nevent: Logged In';
const SOFTWARE = 'kind: audience\nkey: software\nentity: account\nwhere:\n  trait: { key: industry, op: eq, value: Software }';
// Logged in by T1 and still at T2: its result does not change, so its state stays unfrozen.
const ACTIVE = 'kind: audience\nkey: active\nentity: user\nwhere:\n  event: { name: Logged In }';
const DEFINITIONS = [LOGINS, SOFTWARE, ACTIVE];

const group = (account: string, user: string, values: Record<string, unknown>) => `group ${account} ${user} ${JSON.stringify(values)}`;
const identify = (user: string, values: Record<string, unknown>) => `identify ${user} ${JSON.stringify(values)}`;

// Full states of T1, in delivery order (depth, then key: active, logins, software).
const FULL_T1 = [
  identify('u1', { active: true }), identify('u2', { active: true }), identify('u3', { active: true }),
  audienceTrack('u1', 'active', true), audienceTrack('u2', 'active', true), audienceTrack('u3', 'active', true),
  group('a1', 'u1', { logins: 2 }), group('a2', 'u3', { logins: 1 }),
  identify('u1', { logins: 2 }), identify('u2', { logins: 2 }), identify('u3', { logins: 1 }),
  traitTrack('u1', 'logins', { logins: 2 }), traitTrack('u2', 'logins', { logins: 2 }), traitTrack('u3', 'logins', { logins: 1 }),
  group('a1', 'u1', { software: true }), group('a3', 'group:a3', { software: true }),
  identify('u1', { software: true }), identify('u2', { software: true }),
  audienceTrack('u1', 'software', true), audienceTrack('u2', 'software', true),
];
// Diffs of T2: a2's logins 1 -> 2 (its user u3), u4 newly in a1; a2 enters software, with u3, and u4 through a1.
const DIFF_T2 = [
  group('a2', 'u3', { logins: 2 }),
  identify('u3', { logins: 2 }), identify('u4', { logins: 2 }),
  traitTrack('u3', 'logins', { logins: 2 }), traitTrack('u4', 'logins', { logins: 2 }),
  group('a2', 'u3', { software: true }),
  identify('u3', { software: true }), identify('u4', { software: true }),
  audienceTrack('u3', 'software', true), audienceTrack('u4', 'software', true),
];

let scenarios: Scenario[] = [];
afterEach(async () => {
  for (const s of scenarios) await s.close();
  scenarios = [];
});
const scenario = async (engine: (typeof ENGINES)[number]) => {
  const s = await Scenario.create(world, undefined, engine);
  scenarios.push(s);
  return s;
};
const modes = (s: Scenario) => s.query(
  `SELECT run_id, definition_key AS key, mode FROM ${s.state}._deliveries ORDER BY run_id, definition_key`,
);
const changeRows = (s: Scenario) => s.query(
  `SELECT run_id, definition_key AS key, mode, CAST(count(*) AS INTEGER) AS n FROM ${s.state}._changes GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
);

// One of each kind and entity. The account SQL trait returns a row per (account, member), so one
// value per account holds several rows; it associates u4 with a3 and gives a3 no value.
const EVERY_KIND = [
  ...DEFINITIONS,
  'kind: computed_trait\nkey: last_login\nentity: user\ntype: last\nevent: Logged In\nproperty: id',
  { kind: 'sql_trait', key: 'label', entity: 'user', traits: ['label', 'rank'], sql: `SELECT user_id, 'u' AS label, NULL AS rank FROM {{source "groups"}} WHERE user_id <> 'u2'` },
  {
    kind: 'sql_trait', key: 'tier', entity: 'account',
    sql: `SELECT group_id, coalesce(user_id, 'u4') AS user_id, CASE WHEN group_id = 'a3' THEN NULL ELSE 'gold' END AS tier FROM {{source "groups"}}`,
  },
];

describe.each(ENGINES)('full states made from the committed result, on %s', (engine) => {
  it('the messages counted at commit are the messages delivery makes, for every kind', async () => {
    const s = await scenario(engine);
    await s.run(EVERY_KIND, T2, { deliver: false });
    const committed = await s.query(`SELECT definition_key AS key, CAST(messages AS INTEGER) AS n FROM ${s.state}._deliveries ORDER BY definition_key`);
    expect(committed.map((r) => r.key)).toEqual(['active', 'label', 'last_login', 'logins', 'software', 'tier']);
    const delivered = await s.deliver(EVERY_KIND);
    expect(delivered).toMatchObject({ ok: true, pending: 0, failed: 0 });
    const made = new Map<string, number>();
    for (const m of s.messages('crm')) {
      const key = String((m.context as { personas: { computation_key: string } }).personas.computation_key);
      made.set(key, (made.get(key) ?? 0) + 1);
    }
    expect(committed.map((r) => [r.key, made.get(String(r.key))])).toEqual(committed.map((r) => [r.key, r.n]));
  });


  it('a first run writes no change rows; its full states arrive as an immediate delivery sends them', async () => {
    const s = await scenario(engine);
    const first = await s.run(DEFINITIONS, T1, { deliver: false });
    expect(first.report.ok).toBe(true);
    expect(await changeRows(s)).toEqual([]);
    expect(await modes(s)).toEqual(['active', 'logins', 'software'].map((key) => ({ run_id: 1, key, mode: 'state' })));
    const delivered = await s.deliver(DEFINITIONS);
    expect(delivered).toMatchObject({ ok: true, pending: 0, failed: 0 });
    expect(s.messages('crm').map(brief)).toEqual(FULL_T1);
  });

  it('a later commit that changes a result first freezes its pending full state; an unchanged one stays made from the result', async () => {
    const s = await scenario(engine);
    await s.run(DEFINITIONS, T1, { deliver: false });
    const second = await s.run(DEFINITIONS, T2, { deliver: false });
    expect(second.report.ok).toBe(true);
    // logins and software changed at T2: run 1's rows of them were copied out (2 account rows;
    // 2 account and 2 user rows); active did not change: still made from its result.
    expect(await changeRows(s)).toEqual([
      { run_id: 1, key: 'logins', mode: 'full', n: 2 },
      { run_id: 1, key: 'software', mode: 'full', n: 4 },
      { run_id: 2, key: 'logins', mode: 'diff', n: 2 },
      { run_id: 2, key: 'software', mode: 'diff', n: 3 },
    ]);
    expect(await modes(s)).toEqual([
      { run_id: 1, key: 'active', mode: 'state' }, { run_id: 1, key: 'logins', mode: 'full' }, { run_id: 1, key: 'software', mode: 'full' },
      { run_id: 2, key: 'logins', mode: 'diff' }, { run_id: 2, key: 'software', mode: 'diff' },
    ]);
    await s.deliver(DEFINITIONS);
    const late = s.messages('crm');
    expect(late.map(brief)).toEqual([...FULL_T1, ...DIFF_T2]);

    // The same runs delivered one by one send the very same messages, messageIds included.
    const control = await scenario(engine);
    await control.run(DEFINITIONS, T1);
    await control.run(DEFINITIONS, T2);
    expect(late).toEqual(control.messages('crm'));
  });

  it('a full state whose result table was dropped by hand is not sent, and says why; later deliveries wait', async () => {
    const s = await scenario(engine);
    await s.run(DEFINITIONS, T1, { deliver: false });
    await s.query(`DROP TABLE ${s.state}.logins`);
    const delivered = await s.deliver(DEFINITIONS);
    expect(delivered).toMatchObject({ ok: false, pending: 14 });
    expect(delivered.destinations[0].errors).toEqual([
      expect.stringMatching(/^delivery of logins \(run 1\): its full state is made from .*logins.*, which is gone$/),
    ]);
    // active (depth 0, before logins) went; software waits behind logins, in order.
    expect(s.messages('crm').map(brief)).toEqual(FULL_T1.slice(0, 6));
  });

  it('a partly delivered full state is frozen whole and goes on from its cursor', async () => {
    const s = await scenario(engine);
    await s.run(DEFINITIONS, T1, { deliver: false });
    // One step of 5 messages: active's full state (6 messages) is cut after its 5th.
    await s.deliver(DEFINITIONS, { batchSize: 5, maxMessages: 5 });
    expect(s.messages('crm').map(brief)).toEqual(FULL_T1.slice(0, 5));
    // active, edited to 2 logins or more, now changes too: u1 and u2 leave.
    const edited = [ACTIVE.replace('{ name: Logged In }', '{ name: Logged In, count: { gte: 2 } }'), LOGINS, SOFTWARE];
    await s.run(edited, T2, { deliver: false });
    expect((await modes(s)).filter((r) => r.run_id === 1)).toEqual(['active', 'logins', 'software'].map((key) => ({ run_id: 1, key, mode: 'full' })));
    await s.deliver(edited);
    const activeDiff = [
      identify('u1', { active: false }), identify('u2', { active: false }),
      audienceTrack('u1', 'active', false), audienceTrack('u2', 'active', false),
    ];
    expect(s.messages('crm').map(brief)).toEqual([...FULL_T1, ...activeDiff, ...DIFF_T2]);
  });
});

