import { afterEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../support/fixture.js';
import { ENGINES } from '../support/harness.js';
import { audienceTrack, Scenario, traitTrack } from '../run/support.js';

/*
 * Changes between runs that a mutation audit showed no test would notice: a value that only
 * gains a column's value (null to 5), memberships that an associating SQL trait takes away and
 * gives back, and the stored result of such a trait. Worked out by hand.
 */
const T1 = '2024-06-01T00:00:00Z';
const T2 = '2024-06-02T00:00:00Z';
const T3 = '2024-06-03T00:00:00Z';
const world: Fixture = {
  identifies: [
    { id: 'i1', user_id: 'u1', timestamp: '2024-05-01T00:00:00Z', traits: { plan: 'pro' } },
    { id: 'i2', user_id: 'u2', timestamp: '2024-05-01T00:00:00Z', traits: { plan: 'pro' } },
  ],
};

describe.each(ENGINES)('changes at the edges, on %s', (engine) => {
  let scenario: Scenario;
  afterEach(async () => scenario?.close());

  it('a SQL trait value whose second column goes from null to a value is a change, sent once', async () => {
    scenario = await Scenario.create(world, undefined, engine);
    const crm = `${scenario.schema}.crm`;
    const CRM = 'kind: sql_trait\nkey: crm\nentity: user\ntraits: [tier, seats]\nsql: SELECT user_id, tier, seats FROM {{source "crm"}}';
    await scenario.wh.exec(`CREATE TABLE ${crm} (user_id VARCHAR(10), tier VARCHAR(10), seats INTEGER)`);
    await scenario.wh.exec(`INSERT INTO ${crm} VALUES ('u1', 'gold', NULL), ('u2', 'gold', 3)`);
    expect((await scenario.run([CRM], T1)).arrived.crm).toEqual([
      'identify u1 {"tier":"gold","seats":null}', 'identify u2 {"tier":"gold","seats":3}',
      traitTrack('u1', 'crm', { tier: 'gold', seats: null }), traitTrack('u2', 'crm', { tier: 'gold', seats: 3 }),
    ]);
    await scenario.wh.exec(`UPDATE ${crm} SET seats = 5 WHERE user_id = 'u1'`);
    expect((await scenario.run([CRM], T2)).arrived.crm).toEqual(['identify u1 {"tier":"gold","seats":5}', traitTrack('u1', 'crm', { tier: 'gold', seats: 5 })]);
    expect((await scenario.run([CRM], T3)).arrived.crm).toEqual([]);
  });

  it('a SQL trait\'s trait columns reordered, one added, then taken out: only values that changed are sent', async () => {
    scenario = await Scenario.create(world, undefined, engine);
    const crm = `${scenario.schema}.crm`;
    await scenario.wh.exec(`CREATE TABLE ${crm} (user_id VARCHAR(10), tier VARCHAR(10), seats INTEGER)`);
    await scenario.wh.exec(`INSERT INTO ${crm} VALUES ('u1', 'gold', 7), ('u2', 'silver', NULL)`);
    const trait = (traits: string, select: string) => `kind: sql_trait\nkey: crm\nentity: user\ntraits: [${traits}]\nsql: SELECT user_id, ${select} FROM {{source "crm"}}`;
    expect((await scenario.run([trait('tier, seats', 'tier, seats')], T1)).arrived.crm).toEqual([
      'identify u1 {"tier":"gold","seats":7}', 'identify u2 {"tier":"silver","seats":null}',
      traitTrack('u1', 'crm', { tier: 'gold', seats: 7 }), traitTrack('u2', 'crm', { tier: 'silver', seats: null }),
    ]);
    // The same values in another order of columns: nothing to send.
    expect((await scenario.run([trait('seats, tier', 'seats, tier')], T2)).arrived.crm).toEqual([]);
    // A new column: sent where it has a value (u1), with the row's other values.
    const big = "CASE WHEN seats >= 5 THEN 'big' END AS size";
    expect((await scenario.run([trait('seats, tier, size', `seats, tier, ${big}`)], T3)).arrived.crm).toEqual([
      'identify u1 {"seats":7,"tier":"gold","size":"big"}', traitTrack('u1', 'crm', { seats: 7, tier: 'gold', size: 'big' }),
    ]);
    // Taken out again: no longer sent, nor compared (what the destination holds of it stays).
    expect((await scenario.run([trait('seats, tier', 'seats, tier')], '2024-06-04T00:00:00Z')).arrived.crm).toEqual([]);
  });

  it('users an associating SQL trait takes out of a member account leave its audience, and enter when given back', async () => {
    scenario = await Scenario.create(world, undefined, engine);
    const links = `${scenario.schema}.links`;
    await scenario.wh.exec(`CREATE TABLE ${links} (group_id VARCHAR(10), user_id VARCHAR(10))`);
    // Ten accounts of u1's, so that a change is a small part of the result; a0 has u2 too.
    const all = Array.from({ length: 10 }, (_, i) => `('a${i}', 'u1')`).join(', ');
    await scenario.wh.exec(`INSERT INTO ${links} VALUES ${all}, ('a0', 'u2')`);
    const LINKS = 'kind: sql_trait\nkey: linked\nentity: account\nsql: SELECT group_id, user_id, 1 AS linked FROM {{source "links"}}';
    const PRO = 'kind: audience\nkey: pro_accounts\nentity: account\nwhere: { users: any, where: { trait: { key: plan, op: eq, value: pro } } }';
    const u2 = (messages: string[]) => messages.filter((m) => /^(identify|track) u2 /.test(m) && m.includes('pro_accounts'));
    expect(u2((await scenario.run([LINKS, PRO], T1)).arrived.crm)).toEqual(['identify u2 {"pro_accounts":true}', audienceTrack('u2', 'pro_accounts', true)]);
    // u2 leaves a0, which stays a member (u1): the member accounts are the same, u2 is no member's user.
    await scenario.wh.exec(`DELETE FROM ${links} WHERE user_id = 'u2'`);
    expect(u2((await scenario.run([LINKS, PRO], T2)).arrived.crm)).toEqual(['identify u2 {"pro_accounts":false}', audienceTrack('u2', 'pro_accounts', false)]);
    // Given back to a0, and also to a1 (a new association, a1's value unchanged): u2 enters again,
    // and the stored result holds both associations.
    await scenario.wh.exec(`INSERT INTO ${links} VALUES ('a0', 'u2'), ('a1', 'u2')`);
    expect(u2((await scenario.run([LINKS, PRO], T3)).arrived.crm)).toEqual(['identify u2 {"pro_accounts":true}', audienceTrack('u2', 'pro_accounts', true)]);
    expect(await scenario.query(`SELECT group_id FROM ${scenario.state}.linked WHERE user_id = 'u2' ORDER BY group_id`)).toEqual([{ group_id: 'a0' }, { group_id: 'a1' }]);
  });
});

describe.each(ENGINES)('an account trait whose account changes as a user joins it, on %s', (engine) => {
  let scenario: Scenario;
  afterEach(async () => scenario?.close());

  it('the new user gets the new value once: one change row, as many messages as sent', async () => {
    const logins = (id: string, user: string, day: number) => ({ id, user_id: user, event: 'Logged In', timestamp: `2024-05-${String(day).padStart(2, '0')}T00:00:00Z` });
    scenario = await Scenario.create({
      ...world,
      events: [logins('l1', 'u1', 10)],
      groups: [{ id: 'g1', user_id: 'u1', group_id: 'a1', timestamp: '2024-05-01T00:00:00Z' }],
    }, undefined, engine);
    const LOGINS = 'kind: computed_trait\nkey: account_logins\nentity: account\ntype: event_counter\nevent: Logged In';
    await scenario.run([LOGINS], T1);
    // u2 joins a1 and logs in: a1's value changes (1 -> 2) as u2 joins.
    await scenario.wh.exec(`INSERT INTO ${scenario.schema}.groups (id, user_id, group_id, timestamp) VALUES ('g2', 'u2', 'a1', TIMESTAMP '2024-06-01 12:00:00')`);
    for (const table of ['tracks', 'logged_in']) {
      await scenario.wh.exec(`INSERT INTO ${scenario.schema}.${table} (id, user_id, event, event_text, timestamp) VALUES ('l2', 'u2', 'logged_in', 'Logged In', TIMESTAMP '2024-06-01 12:00:00')`);
    }
    const r = await scenario.run([LOGINS], T2);
    // by hand: the group call, then identify + track for each of a1's users, u2 once
    expect(r.arrived.crm).toEqual([
      'group a1 u1 {"account_logins":2}',
      'identify u1 {"account_logins":2}', 'identify u2 {"account_logins":2}',
      traitTrack('u1', 'account_logins', { account_logins: 2 }), traitTrack('u2', 'account_logins', { account_logins: 2 }),
    ]);
    expect(r.report.outcomes[0].emission?.destinations).toEqual([{ name: 'crm', messages: 5, full: false }]);
    expect(await scenario.query(`SELECT count(*) AS n FROM ${scenario.state}._changes WHERE run_id = 2 AND user_id = 'u2'`)).toEqual([{ n: 0 }]);
  });
});
