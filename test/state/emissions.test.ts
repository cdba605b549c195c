import { afterEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../support/fixture.js';
import { ENGINES } from '../support/harness.js';
import { messageId } from '../../src/emit/message-id.js';
import { audienceTrack, Scenario, traitTrack } from '../run/support.js';

/*
 * A B2B world worked by hand, run at three instants.
 * T1 = 2024-06-01: accounts a1 = {u1, u2} (Software), a2 = {u2, u3} (Finance), a3 = {} (Software,
 *   a group call without user_id). u1 logged in twice, u2 once (all in the 2 days before T1).
 * T2 = 2024-06-03: group calls make a1 Retail and a2 Software; u3 logs in once.
 * T3 = 2024-06-05: u4 joins a2 (a member of software since T2).
 */
const T1 = '2024-06-01T00:00:00Z';
const T2 = '2024-06-03T00:00:00Z';
const T3 = '2024-06-05T00:00:00Z';

const world: Fixture = {
  events: [
    { id: 'l1', user_id: 'u1', event: 'Logged In', timestamp: '2024-05-30T12:00:00Z' },
    { id: 'l2', user_id: 'u1', event: 'Logged In', timestamp: '2024-05-31T12:00:00Z' },
    { id: 'l3', user_id: 'u2', event: 'Logged In', timestamp: '2024-05-31T12:00:00Z' },
    { id: 'l4', user_id: 'u3', event: 'Logged In', timestamp: '2024-06-02T12:00:00Z' },
    { id: 'f1', user_id: 'u1', event: 'Feature Used', timestamp: '2024-05-31T12:00:00Z', props: { feature_name: 'reports' } },
    { id: 'f2', user_id: 'u1', event: 'Feature Used', timestamp: '2024-05-31T13:00:00Z', props: { feature_name: 'alerts' } },
  ],
  identifies: [
    { id: 'i1', user_id: 'u1', timestamp: '2024-05-01T00:00:00Z', traits: { plan: 'pro', seats: 5 } },
    { id: 'i2', user_id: 'u2', timestamp: '2024-05-01T00:00:00Z', traits: { plan: null, seats: null } },
    { id: 'i3', user_id: 'u1', timestamp: '2024-06-02T00:00:00Z', traits: { plan: null, seats: 10 } },
  ],
  groups: [
    { id: 'g1', user_id: 'u1', group_id: 'a1', timestamp: '2024-05-01T00:00:00Z', traits: { industry: 'Software' } },
    { id: 'g2', user_id: 'u2', group_id: 'a1', timestamp: '2024-05-02T00:00:00Z', traits: { industry: null } },
    { id: 'g3', user_id: 'u2', group_id: 'a2', timestamp: '2024-05-03T00:00:00Z', traits: { industry: 'Finance' } },
    { id: 'g4', user_id: 'u3', group_id: 'a2', timestamp: '2024-05-04T00:00:00Z', traits: { industry: null } },
    { id: 'g5', user_id: null, group_id: 'a3', timestamp: '2024-05-05T00:00:00Z', traits: { industry: 'Software' } },
    { id: 'g6', user_id: null, group_id: 'a1', timestamp: '2024-06-02T00:00:00Z', traits: { industry: 'Retail' } },
    { id: 'g7', user_id: null, group_id: 'a2', timestamp: '2024-06-02T00:00:00Z', traits: { industry: 'Software' } },
    { id: 'g8', user_id: 'u4', group_id: 'a2', timestamp: '2024-06-04T00:00:00Z', traits: { industry: null } },
  ],
};

const SOFTWARE = 'kind: audience\nkey: software\nentity: account\nwhere:\n  trait: { key: industry, op: eq, value: Software }';
const LOGINS = 'kind: computed_trait\nkey: logins\nentity: account\ntype: event_counter\nevent: Logged In';
const RECENT = [
  'kind: computed_trait\nkey: recent_logins\nentity: user\ntype: event_counter\nevent: Logged In\nwindow: { last: 2 days }',
  'kind: computed_trait\nkey: recent_features\nentity: user\ntype: unique_list\nevent: Feature Used\nproperty: feature_name\nwindow: { last: 2 days }',
  'kind: computed_trait\nkey: last_feature\nentity: user\ntype: last\nevent: Feature Used\nproperty: feature_name\nwindow: { last: 2 days }',
];
const PROFILE = {
  kind: 'sql_trait', key: 'profile', entity: 'user', traits: ['plan', 'seats'],
  sql: 'SELECT user_id, max(plan) AS plan, max(seats) AS seats FROM {{source "identifies"}} WHERE "timestamp" <= {{as_of}} GROUP BY user_id',
};

let scenario: Scenario;
afterEach(async () => scenario?.close());

const enter = (u: string, key: string) => [`identify ${u} {"${key}":true}`];

describe.each(ENGINES)('on %s', (engine) => {
  describe('account audience emissions', () => {
    it('first run: the full state, group calls with the smallest user or an anonymousId', async () => {
      scenario = await Scenario.create(world, undefined, engine);
      const r = await scenario.run([SOFTWARE], T1);
      expect(r.arrived.crm).toEqual([
        'group a1 u1 {"software":true}',
        'group a3 group:a3 {"software":true}',
        ...enter('u1', 'software'), ...enter('u2', 'software'),
        audienceTrack('u1', 'software', true), audienceTrack('u2', 'software', true),
      ]);
      expect(r.report.outcomes[0].emission).toMatchObject({ firstRun: true, entered: 2, exited: 0 });
      const group = scenario.messages('crm')[1];
      expect(group).toMatchObject({ type: 'group', anonymousId: 'group:a3', groupId: 'a3', timestamp: '2024-06-01T00:00:00.000Z', context: { personas: { computation_class: 'audience', computation_key: 'software' } } });
      expect(group).not.toHaveProperty('userId');
    });

    it('second run: only the diff; a user in two member accounts who leaves one stays in; re-running emits nothing', async () => {
      scenario = await Scenario.create(world, undefined, engine);
      await scenario.run([SOFTWARE], T1);
      const r = await scenario.run([SOFTWARE], T2);
      // a1 left (u1, u2), a2 entered (u2, u3): u2 is in through a2, so only u1 exits and u3 enters.
      expect(r.arrived.crm).toEqual([
        'group a1 u1 {"software":false}',
        'group a2 u2 {"software":true}',
        'identify u1 {"software":false}',
        'identify u3 {"software":true}',
        audienceTrack('u1', 'software', false),
        audienceTrack('u3', 'software', true),
      ]);
      expect(r.report.outcomes[0].emission).toMatchObject({ firstRun: false, entered: 1, exited: 1 });
      expect((await scenario.run([SOFTWARE], T2)).arrived.crm).toEqual([]);
    });

    it('a user newly joining a member account enters, without a group call', async () => {
      scenario = await Scenario.create(world, undefined, engine);
      await scenario.run([SOFTWARE], T2);
      const r = await scenario.run([SOFTWARE], T3);
      expect(r.arrived.crm).toEqual(['identify u4 {"software":true}', audienceTrack('u4', 'software', true)]);
    });

    it('nothing changed since the last run: no message for the routed destination, the full state for a newly routed one', async () => {
      scenario = await Scenario.create(world, [{ name: 'a', type: 'jsonl', path: 'out/a.jsonl' }, { name: 'b', type: 'jsonl', path: 'out/b.jsonl' }], engine);
      await scenario.run([`${SOFTWARE}\ndestinations: [a]`], T2);
      // Same data, same as_of: the accounts and memberships are those of the last run.
      const again = await scenario.run([`${SOFTWARE}\ndestinations: [a, b]`], T2);
      // At T2 a2 (Software since 2024-06-02; users u2, u3) and a3 (no users) are members.
      expect(again.arrived).toEqual({
        a: [],
        b: [
          'group a2 u2 {"software":true}', 'group a3 group:a3 {"software":true}',
          ...enter('u2', 'software'), ...enter('u3', 'software'),
          audienceTrack('u2', 'software', true), audienceTrack('u3', 'software', true),
        ],
      });
      // A user joining later still enters: the committed derived members were kept, not lost.
      expect((await scenario.run([`${SOFTWARE}\ndestinations: [a, b]`], T3)).arrived.a).toEqual(['identify u4 {"software":true}', audienceTrack('u4', 'software', true)]);
    });

    it('a call type newly listed for a destination gets the full state of its calls; the others get the diff', async () => {
      scenario = await Scenario.create(world, [{ name: 'crm', type: 'jsonl', path: 'out/crm.jsonl', calls: ['identify', 'track'] }], engine);
      await scenario.run([SOFTWARE], T1);
      // T2: group is listed (in any order). Members then: a2 (u2, u3) and a3 (no users); u1 left with a1.
      scenario.destinations = [{ name: 'crm', type: 'jsonl', path: 'out/crm.jsonl', calls: ['track', 'group', 'identify'] }];
      const withGroup = await scenario.run([SOFTWARE], T2);
      expect(withGroup.arrived.crm).toEqual([
        'group a2 u2 {"software":true}', 'group a3 group:a3 {"software":true}',
        'identify u1 {"software":false}', 'identify u3 {"software":true}',
        audienceTrack('u1', 'software', false), audienceTrack('u3', 'software', true),
      ]);
      expect(withGroup.report.outcomes[0].emission?.destinations).toEqual([{ name: 'crm', messages: 6, full: false, fullCalls: ['group'] }]);
      expect(await scenario.query(`SELECT destination, calls FROM ${scenario.state}._routes`)).toEqual([{ destination: 'crm', calls: 'group,identify,track' }]);
      // T3, u4 joins a2: only identify listed now; then track again, which gets its full state.
      scenario.destinations = [{ name: 'crm', type: 'jsonl', path: 'out/crm.jsonl', calls: ['identify'] }];
      expect((await scenario.run([SOFTWARE], T3)).arrived.crm).toEqual(['identify u4 {"software":true}']);
      scenario.destinations = [{ name: 'crm', type: 'jsonl', path: 'out/crm.jsonl', calls: ['identify', 'track'] }];
      expect((await scenario.run([SOFTWARE], T3)).arrived.crm).toEqual([
        audienceTrack('u2', 'software', true), audienceTrack('u3', 'software', true), audienceTrack('u4', 'software', true),
      ]);
      expect((await scenario.run([SOFTWARE], T3)).arrived.crm).toEqual([]);
    });

    it('the diff and the full state of newly listed calls keep their own cursors across partial deliveries', async () => {
      scenario = await Scenario.create(world, [{ name: 'crm', type: 'jsonl', path: 'out/crm.jsonl', calls: ['identify', 'track'] }], engine);
      await scenario.run([SOFTWARE], T1);
      scenario.destinations = [{ name: 'crm', type: 'jsonl', path: 'out/crm.jsonl' }];
      await scenario.run([SOFTWARE], T2, { deliver: false });
      const ids = () => scenario.messages('crm').map((m) => m.messageId);
      const before = ids().length;
      // The two group calls of the full state, then the first message of the diff.
      const part = await scenario.deliver([SOFTWARE], { maxMessages: 3, batchSize: 1 });
      expect(part.destinations[0]).toMatchObject({ sent: 3, alreadyDelivered: 0, pending: 3 });
      const rest = await scenario.deliver([SOFTWARE]);
      expect(rest.destinations[0]).toMatchObject({ sent: 3, alreadyDelivered: 0, pending: 0 });
      expect(ids().length - before).toBe(6);
      expect(new Set(ids()).size).toBe(ids().length);
    });

    it('a diff of identify between the full states of group and track, newly listed, keeps the order group, identify, track', async () => {
      scenario = await Scenario.create(world, [{ name: 'crm', type: 'jsonl', path: 'out/crm.jsonl', calls: ['identify'] }], engine);
      await scenario.run([SOFTWARE], T1);
      scenario.destinations = [{ name: 'crm', type: 'jsonl', path: 'out/crm.jsonl' }];
      const r = await scenario.run([SOFTWARE], T2);
      expect(r.arrived.crm).toEqual([
        'group a2 u2 {"software":true}', 'group a3 group:a3 {"software":true}',
        'identify u1 {"software":false}', 'identify u3 {"software":true}',
        audienceTrack('u2', 'software', true), audienceTrack('u3', 'software', true),
      ]);
      expect(r.report.outcomes[0].emission?.destinations).toEqual([{ name: 'crm', messages: 6, full: false, fullCalls: ['group', 'track'] }]);
    });

    it('group newly listed sends nothing for a user-level definition, which has no group calls', async () => {
      scenario = await Scenario.create(world, [{ name: 'crm', type: 'jsonl', path: 'out/crm.jsonl', calls: ['identify'] }], engine);
      await scenario.run([RECENT[0]], T1);
      scenario.destinations = [{ name: 'crm', type: 'jsonl', path: 'out/crm.jsonl', calls: ['group', 'identify'] }];
      const r = await scenario.run([RECENT[0]], T1);
      expect(r.arrived.crm).toEqual([]);
      expect(r.report.outcomes[0].emission?.destinations).toEqual([{ name: 'crm', messages: 0, full: false }]);
    });

    it('a route an earlier roster recorded without its calls gets the diff of every call listed now', async () => {
      scenario = await Scenario.create(world, [{ name: 'crm', type: 'jsonl', path: 'out/crm.jsonl', calls: ['identify'] }], engine);
      await scenario.run([SOFTWARE], T1);
      await scenario.query(`ALTER TABLE ${scenario.state}._routes DROP COLUMN calls`);
      scenario.destinations = [{ name: 'crm', type: 'jsonl', path: 'out/crm.jsonl' }];
      const dry = await scenario.run([SOFTWARE], T2, { dryRun: true });
      expect(dry.report.outcomes[0].emission?.destinations).toEqual([{ name: 'crm', messages: 6, full: false }]);
      expect((await scenario.run([SOFTWARE], T2)).arrived.crm).toEqual([
        'group a1 u1 {"software":false}', 'group a2 u2 {"software":true}',
        'identify u1 {"software":false}', 'identify u3 {"software":true}',
        audienceTrack('u1', 'software', false), audienceTrack('u3', 'software', true),
      ]);
      expect(await scenario.query(`SELECT calls FROM ${scenario.state}._routes`)).toEqual([{ calls: 'group,identify,track' }]);
    });
  });

  describe('computed and SQL trait emissions', () => {
    it('account trait to destinations with different calls: each gets only its calls, in order, fanned out at delivery', async () => {
      scenario = await Scenario.create(world, [
        { name: 'accounts', type: 'jsonl', path: 'out/accounts.jsonl', calls: ['group'] },
        { name: 'events', type: 'jsonl', path: 'out/events.jsonl', calls: ['track'] },
      ], engine);
      const r = await scenario.run([LOGINS], T1);
      expect(r.arrived).toEqual({
        accounts: ['group a1 u1 {"logins":3}', 'group a2 u2 {"logins":1}'],
        events: [
          traitTrack('u1', 'logins', { logins: 3 }), traitTrack('u2', 'logins', { logins: 3 }),
          traitTrack('u2', 'logins', { logins: 1 }), traitTrack('u3', 'logins', { logins: 1 }),
        ],
      });
      expect(r.report.outcomes[0].emission?.destinations).toEqual([
        { name: 'accounts', messages: 2, full: true }, { name: 'events', messages: 4, full: true },
      ]);
    });

    it('account trait: group per changed account, identify + track per (account, user); a newly associated user gets the value', async () => {
      scenario = await Scenario.create(world, undefined, engine);
      const first = await scenario.run([LOGINS], T1);
      // a1 = u1's 2 + u2's 1 = 3; a2 = u2's 1; a3 has no users, so no events and no value.
      expect(first.arrived.crm).toEqual([
        'group a1 u1 {"logins":3}',
        'group a2 u2 {"logins":1}',
        'identify u1 {"logins":3}', 'identify u2 {"logins":3}', 'identify u2 {"logins":1}', 'identify u3 {"logins":1}',
        traitTrack('u1', 'logins', { logins: 3 }), traitTrack('u2', 'logins', { logins: 3 }),
        traitTrack('u2', 'logins', { logins: 1 }), traitTrack('u3', 'logins', { logins: 1 }),
      ]);
      // u2 gets one pair per account: their messageIds differ.
      const ids = scenario.messages('crm').map((m) => m.messageId);
      expect(new Set(ids).size).toBe(ids.length);

      const second = await scenario.run([LOGINS], T2);
      expect(second.arrived.crm).toEqual([
        'group a2 u2 {"logins":2}',
        'identify u2 {"logins":2}', 'identify u3 {"logins":2}',
        traitTrack('u2', 'logins', { logins: 2 }), traitTrack('u3', 'logins', { logins: 2 }),
      ]);
      const third = await scenario.run([LOGINS], T3);
      expect(third.arrived.crm).toEqual(['identify u4 {"logins":2}', traitTrack('u4', 'logins', { logins: 2 })]);
      expect(third.report.outcomes[0].emission).toMatchObject({ changed: 0 });
    });

    it('a value that became empty is sent once as its empty value: 0, [], null', async () => {
      scenario = await Scenario.create(world, undefined, engine);
      const first = await scenario.run(RECENT, T1);
      expect(first.arrived.crm).toEqual([
        'identify u1 {"last_feature":"alerts"}', traitTrack('u1', 'last_feature', { last_feature: 'alerts' }),
        'identify u1 {"recent_features":["alerts","reports"]}', traitTrack('u1', 'recent_features', { recent_features: ['alerts', 'reports'] }),
        'identify u1 {"recent_logins":2}', 'identify u2 {"recent_logins":1}',
        traitTrack('u1', 'recent_logins', { recent_logins: 2 }), traitTrack('u2', 'recent_logins', { recent_logins: 1 }),
      ]);
      const second = await scenario.run(RECENT, T2);
      expect(second.arrived.crm).toEqual([
        'identify u1 {"last_feature":null}', traitTrack('u1', 'last_feature', { last_feature: null }),
        'identify u1 {"recent_features":[]}', traitTrack('u1', 'recent_features', { recent_features: [] }),
        'identify u1 {"recent_logins":0}', 'identify u2 {"recent_logins":0}', 'identify u3 {"recent_logins":1}',
        traitTrack('u1', 'recent_logins', { recent_logins: 0 }), traitTrack('u2', 'recent_logins', { recent_logins: 0 }),
        traitTrack('u3', 'recent_logins', { recent_logins: 1 }),
      ]);
      const third = await scenario.run(RECENT, T3);
      expect(third.arrived.crm).toEqual(['identify u3 {"recent_logins":0}', traitTrack('u3', 'recent_logins', { recent_logins: 0 })]);
      expect((await scenario.run(RECENT, T3)).arrived.crm).toEqual([]);
    });

    it('SQL trait: every trait column of the changed row; a row of nulls is an empty value', async () => {
      scenario = await Scenario.create(world, undefined, engine);
      // u2's plan and seats are both null: an empty value, not sent.
      expect((await scenario.run([PROFILE], T1)).arrived.crm).toEqual([
        'identify u1 {"plan":"pro","seats":5}', traitTrack('u1', 'profile', { plan: 'pro', seats: 5 }),
      ]);
      expect((await scenario.run([PROFILE], T2)).arrived.crm).toEqual([
        'identify u1 {"plan":"pro","seats":10}', traitTrack('u1', 'profile', { plan: 'pro', seats: 10 }),
      ]);
    });
  });

  describe('values as sent', () => {
    it('timestamps as ISO-8601 UTC with milliseconds and Z, whole doubles without a fraction, booleans as booleans', async () => {
      scenario = await Scenario.create(world, undefined, engine);
      const SEEN = {
        kind: 'sql_trait', key: 'seen', entity: 'user', traits: ['first_seen', 'weight', 'paying'],
        sql: `SELECT user_id, min("timestamp") AS first_seen, CAST(count(*) AS DOUBLE PRECISION) * 1.5 AS weight, bool_or(plan = 'pro') AS paying
              FROM {{source "identifies"}} WHERE "timestamp" <= {{as_of}} GROUP BY user_id`,
      };
      expect((await scenario.run([SEEN], T1)).arrived.crm.filter((l) => l.startsWith('identify'))).toEqual([
        'identify u1 {"first_seen":"2024-05-01T00:00:00.000Z","weight":1.5,"paying":true}',
        'identify u2 {"first_seen":"2024-05-01T00:00:00.000Z","weight":1.5,"paying":null}',
      ]);
      expect((await scenario.run([SEEN], T2)).arrived.crm.filter((l) => l.startsWith('identify'))).toEqual([
        'identify u1 {"first_seen":"2024-05-01T00:00:00.000Z","weight":3,"paying":true}',
      ]);
    });
  });

  describe('memberships across partial runs', () => {
    it('a user who joined while an account trait was not selected still gets its value on its next run', async () => {
      scenario = await Scenario.create(world, undefined, engine);
      const LABEL = { kind: 'sql_trait', key: 'label', entity: 'account', sql: `SELECT group_id, 'x' AS label FROM {{source "groups"}} GROUP BY group_id` };
      await scenario.run([LABEL, SOFTWARE], T1);
      // u4 joins a2 before T3; only software runs then, and it moves the membership snapshot on.
      expect((await scenario.run([LABEL, SOFTWARE], T3, { select: ['software'] })).arrived.crm).toContain('identify u4 {"software":true}');
      // label's values did not change, but u4 is new to a2 since label's own last run.
      expect((await scenario.run([LABEL, SOFTWARE], T3)).arrived.crm).toEqual(['identify u4 {"label":"x"}', traitTrack('u4', 'label', { label: 'x' })]);
    });
  });

  describe('associations from an account SQL trait', () => {
    it('fans the value out to associated users; a user newly associated gets the unchanged value', async () => {
      scenario = await Scenario.create(world, undefined, engine);
      await scenario.wh.exec(`CREATE TABLE ${scenario.schema}.crm_accounts AS SELECT group_id, user_id, tier, CAST(ts AS TIMESTAMP) AS ts FROM (VALUES
        ('a1', 'u1', 'gold', '2024-05-01'), ('a5', 'u7', 'silver', '2024-05-01'), ('a5', 'u8', 'silver', '2024-06-02')) AS v(group_id, user_id, tier, ts)`);
      const TIER = { kind: 'sql_trait', key: 'tier', entity: 'account', sql: 'SELECT group_id, user_id, tier FROM {{source "crm_accounts"}} WHERE ts <= {{as_of}}' };
      // a1's users are u1 and u2 (group calls; u1 is also associated); a5's only user is u7.
      expect((await scenario.run([TIER], T1)).arrived.crm).toEqual([
        'group a1 u1 {"tier":"gold"}', 'group a5 u7 {"tier":"silver"}',
        'identify u1 {"tier":"gold"}', 'identify u2 {"tier":"gold"}', 'identify u7 {"tier":"silver"}',
        traitTrack('u1', 'tier', { tier: 'gold' }), traitTrack('u2', 'tier', { tier: 'gold' }), traitTrack('u7', 'tier', { tier: 'silver' }),
      ]);
      const second = await scenario.run([TIER, SOFTWARE], T2);
      expect(second.arrived.crm).toEqual([
        'identify u8 {"tier":"silver"}', traitTrack('u8', 'tier', { tier: 'silver' }),
        // software (depth 1: it runs after the associating trait) is new: its full state.
        'group a2 u2 {"software":true}', 'group a3 group:a3 {"software":true}',
        ...enter('u2', 'software'), ...enter('u3', 'software'),
        audienceTrack('u2', 'software', true), audienceTrack('u3', 'software', true),
      ]);
    });

    /**
     * A new scenario with a seats table of (group_id, user_id, from, until) rows, written as SQL
     * VALUES, and the account SQL trait `seated`: each account's seats at as_of, associating their users.
     */
    async function seatsFrom(rows: string) {
      scenario = await Scenario.create(world, undefined, engine);
      await scenario.wh.exec(`CREATE TABLE ${scenario.schema}.seats AS SELECT group_id, user_id, CAST(ts AS TIMESTAMP) AS ts, CAST(until AS TIMESTAMP) AS until
        FROM (VALUES ${rows}) AS v(group_id, user_id, ts, until)`);
      return { kind: 'sql_trait', key: 'seated', entity: 'account', sql: `SELECT group_id, user_id, count(*) OVER (PARTITION BY group_id) AS seated FROM {{source "seats"}} WHERE ts <= {{as_of}} AND until > {{as_of}}` };
    }

    it('a user who leaves, belonging to no account then, gets the empty value once; one still in another account keeps the value that reached them', async () => {
      const SEATED = await seatsFrom("('a5', 'u7', '2024-05-01', '2024-06-02'), ('a5', 'u8', '2024-05-01', '2024-12-01'), ('a2', 'u1', '2024-05-01', '2024-06-02')");
      // T1: a5 has u7 and u8 (2 seats); a2 has u1 (associated) besides u2 and u3 (group calls).
      const first = await scenario.run([SEATED], T1);
      expect(first.arrived.crm).toEqual([
        'group a2 u1 {"seated":1}', 'group a5 u7 {"seated":2}',
        'identify u1 {"seated":1}', 'identify u2 {"seated":1}', 'identify u3 {"seated":1}', 'identify u7 {"seated":2}', 'identify u8 {"seated":2}',
        traitTrack('u1', 'seated', { seated: 1 }), traitTrack('u2', 'seated', { seated: 1 }), traitTrack('u3', 'seated', { seated: 1 }),
        traitTrack('u7', 'seated', { seated: 2 }), traitTrack('u8', 'seated', { seated: 2 }),
      ]);
      // T2: u7's seat ended (in no account now: gets the empty value); u1's a2 seat ended, a2 has
      // no seats left (its value empties, sent to its users); u1 still belongs to a1 by a group call.
      expect((await scenario.run([SEATED], T2)).arrived.crm).toEqual([
        'group a2 u2 {"seated":null}', 'group a5 u8 {"seated":1}',
        'identify u2 {"seated":null}', 'identify u3 {"seated":null}', 'identify u7 {"seated":null}', 'identify u8 {"seated":1}',
        traitTrack('u2', 'seated', { seated: null }), traitTrack('u3', 'seated', { seated: null }), traitTrack('u7', 'seated', { seated: null }),
        traitTrack('u8', 'seated', { seated: 1 }),
      ]);
      // Nothing more to say at T3.
      expect((await scenario.run([SEATED], T3)).arrived.crm).toEqual([]);
    });

    it('a user who leaves two accounts at once, belonging to none then, gets the empty value once, not once per account', async () => {
      const SEATED = await seatsFrom("('a6', 'u7', '2024-05-01', '2024-06-02'), ('a5', 'u7', '2024-05-01', '2024-06-02'), ('a5', 'u8', '2024-05-01', '2024-12-01')");
      // T1: u7 holds seats in a5 (2 seats, with u8) and a6 (1 seat).
      const first = await scenario.run([SEATED], T1);
      expect(first.arrived.crm.filter((m) => m.includes('u7'))).toEqual([
        'group a5 u7 {"seated":2}', 'group a6 u7 {"seated":1}', 'identify u7 {"seated":2}', 'identify u7 {"seated":1}',
        traitTrack('u7', 'seated', { seated: 2 }), traitTrack('u7', 'seated', { seated: 1 }),
      ]);
      // T2: both of u7's seats ended; a6 has none left (its users: nobody now, so only its group
      // call empties); u7 belongs to no account and hears the empty value once.
      expect((await scenario.run([SEATED], T2)).arrived.crm).toEqual([
        'group a5 u8 {"seated":1}', 'group a6 group:a6 {"seated":null}',
        'identify u7 {"seated":null}', 'identify u8 {"seated":1}',
        traitTrack('u7', 'seated', { seated: null }), traitTrack('u8', 'seated', { seated: 1 }),
      ]);
      // Its messageId is made with the smaller of the two accounts, a5, whatever order the rows come in.
      const emptied = scenario.messages('crm').find((m) => m.type === 'identify' && m.userId === 'u7' && (m.traits as Record<string, unknown>).seated === null);
      expect(emptied?.messageId).toBe(messageId({
        definitionKey: 'seated', call: 'identify', groupId: 'a5', userId: 'u7', kind: 'changed', asOf: new Date(T2).toISOString(), values: { seated: null },
      }));
    });
  });
});

describe.each(ENGINES)('re-running one as_of after the data changed, on %s', (engine) => {
  it('enter, exit, enter again at the same as_of: three messages with three ids, none lost to de-duplication', async () => {
    scenario = await Scenario.create(world, undefined, engine);
    const PRO = 'kind: audience\nkey: pro_users\nentity: user\nwhere:\n  trait: { key: plan, op: eq, value: pro }';
    const identifies = scenario.wh.dialect.qualify(scenario.schema, 'identifies');
    // u1 is pro at T1 (i1; i3 comes later)
    expect((await scenario.run([PRO], T1)).arrived.crm).toEqual([...enter('u1', 'pro_users'), audienceTrack('u1', 'pro_users', true)]);
    // a late-loaded identify, timestamped before T1, makes u1 free: u1 exits at the same as_of
    await scenario.wh.exec(`INSERT INTO ${identifies} (id, user_id, "timestamp", plan) VALUES ('late', 'u1', TIMESTAMP '2024-05-20 00:00:00', 'free')`);
    expect((await scenario.run([PRO], T1)).arrived.crm).toEqual([`identify u1 {"pro_users":false}`, audienceTrack('u1', 'pro_users', false)]);
    // the late row is withdrawn: u1 enters again, exactly as the first time, and must still arrive
    await scenario.wh.exec(`DELETE FROM ${identifies} WHERE id = 'late'`);
    expect((await scenario.run([PRO], T1)).arrived.crm).toEqual([...enter('u1', 'pro_users'), audienceTrack('u1', 'pro_users', true)]);
    const ids = scenario.messages('crm').map((m) => m.messageId);
    expect(new Set(ids).size).toBe(6);
  });

  const PRO = 'kind: audience\nkey: pro_users\nentity: user\nwhere:\n  trait: { key: plan, op: eq, value: pro }';
  const USER_LOGINS = 'kind: computed_trait\nkey: user_logins\nentity: user\ntype: event_counter\nevent: Logged In';
  /** pro_users enters, exits (a late identify) and enters again at T1; `between` runs after each of its runs. */
  async function proIds(between: (s: Scenario) => Promise<unknown>): Promise<string[]> {
    const sc = await Scenario.create(world, undefined, engine);
    try {
      const identifies = sc.wh.dialect.qualify(sc.schema, 'identifies');
      await sc.run([PRO, USER_LOGINS], T1);
      await between(sc);
      await sc.wh.exec(`INSERT INTO ${identifies} (id, user_id, "timestamp", plan) VALUES ('late', 'u1', TIMESTAMP '2024-05-20 00:00:00', 'free')`);
      await sc.run([PRO, USER_LOGINS], T1, { select: ['pro_users'] });
      await between(sc);
      await sc.wh.exec(`DELETE FROM ${identifies} WHERE id = 'late'`);
      await sc.run([PRO, USER_LOGINS], T1, { select: ['pro_users'] });
      return sc.messages('crm').filter((m) => m.context.personas.computation_key === 'pro_users').map((m) => m.messageId);
    } finally {
      await sc.close();
    }
  }

  it('the ids of a definition do not depend on runs of other definitions at the same as_of (a --select at the scheduled as_of)', async () => {
    const alone = await proIds(async () => undefined);
    const withOthers = await proIds((s) => s.run([PRO, USER_LOGINS], T1, { select: ['user_logins'] }));
    expect(alone).toHaveLength(6);
    expect(new Set(alone).size).toBe(6);
    expect(withOthers).toEqual(alone);
  });

  it('a definition last committed by an earlier roster counts every run at the as_of, as that roster did: no id repeats one it sent', async () => {
    scenario = await Scenario.create(world, undefined, engine);
    const identifies = scenario.wh.dialect.qualify(scenario.schema, 'identifies');
    await scenario.run([PRO, USER_LOGINS], T1); // pro_users: u1 enters
    await scenario.run([PRO, USER_LOGINS], T1, { select: ['user_logins'] });
    await scenario.wh.exec(`INSERT INTO ${identifies} (id, user_id, "timestamp", plan) VALUES ('late', 'u1', TIMESTAMP '2024-05-20 00:00:00', 'free')`);
    await scenario.run([PRO, USER_LOGINS], T1, { select: ['pro_users'] }); // u1 exits
    // As an earlier roster left them: no count per definition (its ids counted every run at T1).
    for (const [table, column] of [['_definitions', 'as_of'], ['_definitions', 'as_of_repeat'], ['_deliveries', 'as_of_repeat']]) {
      await scenario.query(`ALTER TABLE ${scenario.state}.${table} DROP COLUMN ${column}`);
    }
    await scenario.wh.exec(`DELETE FROM ${identifies} WHERE id = 'late'`);
    await scenario.run([PRO, USER_LOGINS], T1, { select: ['pro_users'] }); // u1 enters again
    const ids = scenario.messages('crm').filter((m) => m.context.personas.computation_key === 'pro_users').map((m) => m.messageId);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it('a definition an earlier roster last ran at another as_of starts its count at 0 at a new one, whatever other runs had it', async () => {
    const T3 = '2024-06-02T00:00:00Z';
    const fresh = await Scenario.create(world, undefined, engine);
    const upgraded = await Scenario.create(world, undefined, engine);
    try {
      for (const sc of [fresh, upgraded]) await sc.run([PRO, USER_LOGINS], T1);
      for (const [table, column] of [['_definitions', 'as_of'], ['_definitions', 'as_of_repeat'], ['_deliveries', 'as_of_repeat']]) {
        await upgraded.query(`ALTER TABLE ${upgraded.state}.${table} DROP COLUMN ${column}`);
      }
      const identifies = (sc: Scenario) => sc.wh.dialect.qualify(sc.schema, 'identifies');
      for (const sc of [fresh, upgraded]) {
        await sc.run([PRO, USER_LOGINS], T3, { select: ['user_logins'] });
        await sc.wh.exec(`INSERT INTO ${identifies(sc)} (id, user_id, "timestamp", plan) VALUES ('late', 'u1', TIMESTAMP '2024-05-20 00:00:00', 'free')`);
        await sc.run([PRO, USER_LOGINS], T3); // pro_users: u1 exits, its first run at T3
      }
      const ids = (sc: Scenario) => sc.messages('crm').filter((m) => m.context.personas.computation_key === 'pro_users').map((m) => m.messageId);
      expect(ids(upgraded)).toHaveLength(4);
      expect(ids(upgraded)).toEqual(ids(fresh));
    } finally {
      await fresh.close();
      await upgraded.close();
    }
  });
});

describe.each(ENGINES)('a re-run that changes nothing, on %s', (engine) => {
  it('keeps the committed rows as they are, and the next change still diffs against them', async () => {
    scenario = await Scenario.create(world, undefined, engine);
    const LOGINS_USER = 'kind: computed_trait\nkey: user_logins\nentity: user\ntype: event_counter\nevent: Logged In';
    await scenario.run([LOGINS_USER], T1);
    const committed = await scenario.query(`SELECT * FROM ${scenario.state}.user_logins ORDER BY user_id`);
    expect(committed).toEqual([{ user_id: 'u1', user_logins: 2 }, { user_id: 'u2', user_logins: 1 }]);
    expect((await scenario.run([LOGINS_USER], T1)).arrived.crm).toEqual([]);
    expect(await scenario.query(`SELECT * FROM ${scenario.state}.user_logins ORDER BY user_id`)).toEqual(committed);
    // T2: u3's login (l4) arrives: only u3 changes
    expect((await scenario.run([LOGINS_USER], T2)).arrived.crm).toEqual([`identify u3 {"user_logins":1}`, traitTrack('u3', 'user_logins', { user_logins: 1 })]);
    expect(await scenario.query(`SELECT * FROM ${scenario.state}.user_logins ORDER BY user_id`)).toEqual([...committed, { user_id: 'u3', user_logins: 1 }]);
  });
});

describe.each(ENGINES)('a result with few changes, on %s', (engine) => {
  // 20 users log in once before T1 (u01 first, on 2024-05-29); u21 logs in after T1.
  const users = Array.from({ length: 21 }, (_, i) => `u${String(i + 1).padStart(2, '0')}`);
  const logins: Fixture = {
    events: users.map((user_id, i) => ({
      id: `e${i}`, user_id, event: 'Logged In',
      timestamp: user_id === 'u01' ? '2024-05-29T12:00:00Z' : user_id === 'u21' ? '2024-06-01T12:00:00Z' : '2024-05-31T12:00:00Z',
    })),
  };
  const RECENT_LOGINS = 'kind: computed_trait\nkey: recent_logins\nentity: user\ntype: event_counter\nevent: Logged In\nwindow: { last: 3 days }';
  // The same as a SQL trait, whose stored rows are compared row by row.
  const SQL_LOGINS = {
    kind: 'sql_trait', key: 'sql_logins', entity: 'user', traits: ['logins'],
    sql: `SELECT user_id, CAST(count(*) AS INTEGER) AS logins FROM {{source "tracks"}} WHERE "timestamp" > {{as_of}} - INTERVAL '3 days' AND "timestamp" <= {{as_of}} GROUP BY user_id`,
  };

  it('is patched in place: the value that expired is gone, the new one is there, the others are kept', async () => {
    scenario = await Scenario.create(logins, undefined, engine);
    await scenario.run([RECENT_LOGINS, SQL_LOGINS], T1);
    const stored = async (key: string, column: string) =>
      scenario.query(`SELECT user_id, CAST(${column} AS INTEGER) AS n FROM ${scenario.state}.${key} ORDER BY user_id`);
    for (const [key, column] of [['recent_logins', 'recent_logins'], ['sql_logins', 'logins']]) {
      expect(await stored(key, column)).toEqual(users.slice(0, 20).map((user_id) => ({ user_id, n: 1 })));
    }
    // T2 = 2024-06-02: the window (2024-05-30, 2024-06-02] has lost u01's login and gained u21's.
    const t2 = await scenario.run([RECENT_LOGINS, SQL_LOGINS], '2024-06-02T00:00:00Z');
    expect(t2.arrived.crm).toEqual([
      'identify u01 {"recent_logins":0}', 'identify u21 {"recent_logins":1}',
      traitTrack('u01', 'recent_logins', { recent_logins: 0 }), traitTrack('u21', 'recent_logins', { recent_logins: 1 }),
      'identify u01 {"logins":null}', 'identify u21 {"logins":1}',
      traitTrack('u01', 'sql_logins', { logins: null }), traitTrack('u21', 'sql_logins', { logins: 1 }),
    ]);
    for (const [key, column] of [['recent_logins', 'recent_logins'], ['sql_logins', 'logins']]) {
      expect(await stored(key, column)).toEqual(users.slice(1).map((user_id) => ({ user_id, n: 1 })));
    }
    // The next run diffs against the patched rows: nothing changed.
    expect((await scenario.run([RECENT_LOGINS, SQL_LOGINS], '2024-06-02T00:00:00Z')).arrived.crm).toEqual([]);
  });
});
