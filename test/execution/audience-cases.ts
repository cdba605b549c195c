import { describe, expect, it } from 'vitest';
import type { Engine } from '../support/fixture.js';
import { readRun, type DefinitionInput } from '../support/harness.js';
import { AS_OF, world } from './world.js';

/** The two layouts of SPEC 3's sources: the audience cases run on each, in a test file of its own. */
export type Layout = 'segment' | 'events_json';

/*
 * In the world at as_of: users {u1, u2, u3, u5, u6}; accounts a1 = {u1, u2, u5}, a2 = {u2, u3},
 * a3 = {} (group call without user_id). Latest non-null user traits: u1 plan pro, role admin,
 * seats 12; u2 plan pro (i9 is after as_of), role member; u3 plan trial, role O'Brien "the" admin,
 * seats 3; u6 plan enterprise (i7 beats i6 on id), role viewer; u5 has none.
 * Account traits: a1 industry Software, plan pro; a2 Finance, trial (g8 is after as_of); a3 Software.
 */
export function members(engine: Engine, layout: Layout, defs: DefinitionInput[], key: string): Promise<string[]> {
  return readRun(world, defs, { asOf: AS_OF, layout, engine }, (run) => run.ids(key));
}

export const userAudience = (where: string, key = 'aud') => `kind: audience\nkey: ${key}\nentity: user\nwhere:\n  ${where}`;
export const accountAudience = (where: string, key = 'aud') => `kind: audience\nkey: ${key}\nentity: account\nwhere:\n  ${where}`;
export const trait = (op: string, value?: string, key = 'plan') => `trait: { key: ${key}, op: ${op}${value === undefined ? '' : `, value: ${value}`} }`;

export const SOFTWARE = accountAudience(trait('eq', 'Software', 'industry'), 'software_accounts');

/** The audience cases on one engine and layout (a describe.each body). */
export function audiencesOn(engine: Engine, layout: Layout): void {
  it.each([
    ['eq', 'pro', ['u1', 'u2']],
    ['neq', 'pro', ['u3', 'u6']], // u5 has no plan: neq needs the value to exist
    ['in', '[trial, enterprise]', ['u3', 'u6']],
    ['not_in', '[pro]', ['u3', 'u6']],
    ['exists', undefined, ['u1', 'u2', 'u3', 'u6']],
    ['not_exists', undefined, ['u5']],
    ['starts_with', 'ent', ['u6']],
    ['ends_with', 'al', ['u3']],
    ['contains', 'r', ['u1', 'u2', 'u3', 'u6']],
    ['not_contains', 'r', []],
    ['gt', 'free', ['u1', 'u2', 'u3']], // text comparison, byte order
  ])('custom user trait plan %s %s', async (op, value, expected) => {
    expect(await members(engine, layout, [userAudience(trait(op, value))], 'aud')).toEqual(expected);
  });

  it('eq / neq with a list on a scalar custom trait: never equal; neq holds where the trait has a value', async () => {
    expect(await members(engine, layout, [userAudience(trait('eq', '[pro, free]'))], 'aud')).toEqual([]);
    expect(await members(engine, layout, [userAudience(trait('neq', '[pro]'))], 'aud')).toEqual(['u1', 'u2', 'u3', 'u6']);
  });

  it('not: includes users without the value, unlike neq', async () => {
    expect(await members(engine, layout, [userAudience(`not: { ${trait('eq', 'pro')} }`)], 'aud')).toEqual(['u3', 'u5', 'u6']);
  });

  it('numeric comparisons cast the value; text with quotes matches exactly', async () => {
    expect(await members(engine, layout, [userAudience(trait('gt', '4', 'seats'))], 'aud')).toEqual(['u1']);
    expect(await members(engine, layout, [userAudience(trait('eq', '12', 'seats'))], 'aud')).toEqual(['u1']);
    expect(await members(engine, layout, [userAudience(trait('eq', `"O'Brien \\"the\\" admin"`, 'role'))], 'aud')).toEqual(['u3']);
    expect(await members(engine, layout, [userAudience(trait('eq', `"O'Brien"`, 'role'))], 'aud')).toEqual([]);
  });

  it('event conditions: count with a window, and eq 0 for did not perform', async () => {
    expect(await members(engine, layout, [userAudience('event: { name: Logged In, count: { gte: 3 }, window: { last: 30 days } }')], 'aud')).toEqual(['u1']);
    // u3's only login is after as_of; u5 and u6 never logged in
    expect(await members(engine, layout, [userAudience('event: { name: Logged In, count: { eq: 0 } }')], 'aud')).toEqual(['u3', 'u5', 'u6']);
  });

  it('all / any combine conditions', async () => {
    const all = userAudience(`all:\n    - ${trait('eq', 'pro')}\n    - event: { name: Order Completed, count: { gte: 2 } }`);
    expect(await members(engine, layout, [all], 'aud')).toEqual(['u1']);
    const any = userAudience(`any:\n    - ${trait('eq', 'trial')}\n    - ${trait('eq', 'enterprise')}`);
    expect(await members(engine, layout, [any], 'aud')).toEqual(['u3', 'u6']);
  });

  it('a computed trait in a condition: entities without events have its empty value 0', async () => {
    const logins = 'kind: computed_trait\nkey: logins\nentity: account\ntype: event_counter\nevent: Logged In\nwindow: { last: 30 days }';
    // a1 4, a2 1, a3 0
    expect(await members(engine, layout, [logins, accountAudience(trait('lt', '2', 'logins'))], 'aud')).toEqual(['a2', 'a3']);
  });

  it('custom account traits come from group calls up to as_of', async () => {
    expect(await members(engine, layout, [SOFTWARE], 'software_accounts')).toEqual(['a1', 'a3']);
  });

  it('users: any / all / none, where all is false and none true for an account with no users', async () => {
    expect(await members(engine, layout, [accountAudience('users: any\n  where: { event: { name: Logged In } }')], 'aud')).toEqual(['a1', 'a2']);
    // a1: u1 has 2 orders; a2: u2 1, u3 1; a3 has no users
    expect(await members(engine, layout, [accountAudience('users: all\n  where: { event: { name: Order Completed, count: { lt: 2 } } }')], 'aud')).toEqual(['a2']);
    expect(await members(engine, layout, [accountAudience('users: none\n  where: { event: { name: Order Completed, count: { gte: 2 } } }')], 'aud')).toEqual(['a2', 'a3']);
  });

  it('two users: conditions in one audience, one shared by the run plan and one with its own query, each read their own rows', async () => {
    // Orders up to as_of: u1 2, u2 1, u3 1. logins: u1 4, u2 2. a1 = {u1, u2, u5}, a2 = {u2, u3}, a3 = {}.
    // Two orders: a1 (u1). No user with 3 logins: a2, a3. Either: all three.
    const logins = 'kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In';
    const either = accountAudience([
      'any:',
      '    - users: any',
      '      where: { event: { name: Order Completed, count: { gte: 2 } } }',
      '    - users: none',
      '      where: { trait: { key: logins, op: gte, value: 3 } }',
    ].join('\n'));
    expect(await members(engine, layout, [logins, either], 'aud')).toEqual(['a1', 'a2', 'a3']);
  });

  it('users: with scope group_context counts only the user\'s events in that account\'s context', async () => {
    // Logged In up to as_of: u1 e01, e02, e04 in a1's context, e03 in none; u2 e05 in a2's, e08 in a1's.
    const twoLogins = (scope: string) => accountAudience(`users: any\n  where: { event: { name: Logged In, count: { gte: 2 }${scope} } }`);
    expect(await members(engine, layout, [twoLogins('')], 'aud')).toEqual(['a1', 'a2']); // u2 logged in twice in all
    expect(await members(engine, layout, [twoLogins(', scope: group_context')], 'aud')).toEqual(['a1']); // once in a2's context
    // u2 belongs to a1 and a2: in a1's context once (e08), so every a1 user but u5 has a login there.
    const everyone = accountAudience('users: all\n  where:\n    any:\n      - event: { name: Logged In, scope: group_context }\n      - trait: { key: plan, op: not_exists }');
    expect(await members(engine, layout, [everyone], 'aud')).toEqual(['a1']);
  });

  it('an account event condition counts the events of all its users together', async () => {
    // Feature Used: a1 = u1 7 + u2 1 = 8; a2 = u2 1 + u3 2 = 3
    expect(await members(engine, layout, [accountAudience('event: { name: Feature Used, count: { gte: 7 } }')], 'aud')).toEqual(['a1']);
  });

  it('passthrough: a user is in while they belong to at least one member account', async () => {
    // software accounts a1 = {u1, u2, u5}, a3 = {}
    expect(await members(engine, layout, [SOFTWARE, userAudience('audience: { key: software_accounts }')], 'aud')).toEqual(['u1', 'u2', 'u5']);
    expect(await members(engine, layout, [SOFTWARE, userAudience('audience: { key: software_accounts, member: false }')], 'aud')).toEqual(['u3', 'u6']);
    const admins = userAudience(`all:\n    - ${trait('eq', 'admin', 'role')}\n    - audience: { key: software_accounts }`, 'software_admins');
    expect(await members(engine, layout, [SOFTWARE, admins], 'software_admins')).toEqual(['u1']);
  });

  it('an account audience uses another account audience, and user audiences inside users:', async () => {
    expect(await members(engine, layout, [SOFTWARE, accountAudience('audience: { key: software_accounts, member: false }')], 'aud')).toEqual(['a2']);
    const pro = userAudience(trait('eq', 'pro'), 'pro_users');
    // a1: u1, u2 pro; a2: u2 pro
    expect(await members(engine, layout, [pro, accountAudience('users: any\n  where: { audience: { key: pro_users } }')], 'aud')).toEqual(['a1', 'a2']);
    // inside users:, a user condition may name an account audience (passthrough): a1's users are in a1
    expect(await members(engine, layout, [SOFTWARE, accountAudience('users: all\n  where: { audience: { key: software_accounts } }')], 'aud')).toEqual(['a1']);
  });

  describe('candidates: a condition that can only hold where one relation has a row reads that relation, else every entity', () => {
    // Users up to as_of: u1, u2, u3 (events), u5 (group call only), u6 (identify only).
    // Logged In up to as_of: u1 4, u2 2, u3 0 (after as_of). Feature Used: u1 alerts, dashboards,
    // reports; u2 api; u3 "Zoë's 🚀". Orders: u1 10.5 + 20, u2 5, u3 a null total.
    const logins = 'kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In';
    const features = 'kind: computed_trait\nkey: features\nentity: user\ntype: unique_list\nevent: Feature Used\nproperty: feature_name';
    const revenue = 'kind: computed_trait\nkey: revenue\nentity: user\ntype: aggregation\nfunction: sum\nevent: Order Completed\nproperty: total';

    it.each([
      ['event: { name: Logged In, count: { lte: 1 } }', ['u3', 'u5', 'u6']],
      ['event: { name: Logged In, count: { gte: 1 } }', ['u1', 'u2']],
      [trait('neq', '4', 'logins'), ['u2', 'u3', 'u5', 'u6']],
      [trait('in', '[0, 2]', 'logins'), ['u2', 'u3', 'u5', 'u6']],
      [trait('not_in', '[2]', 'logins'), ['u1', 'u3', 'u5', 'u6']],
      [trait('exists', undefined, 'logins'), ['u1', 'u2', 'u3', 'u5', 'u6']],
      [trait('gt', '0', 'logins'), ['u1', 'u2']],
      [trait('contains', 'api', 'features'), ['u2']],
      [trait('not_contains', 'api', 'features'), ['u1', 'u3', 'u5', 'u6']],
      [trait('eq', '[]', 'features'), ['u5', 'u6']],
      [trait('not_exists', undefined, 'revenue'), ['u3', 'u5', 'u6']],
      [trait('lt', '100', 'revenue'), ['u1', 'u2']],
      // Either of two relations: the candidates are their union.
      [`any:\n    - event: { name: Logged In }\n    - ${trait('eq', 'enterprise')}`, ['u1', 'u2', 'u6']],
      [`any:\n    - ${trait('gt', '1', 'logins')}\n    - ${trait('contains', 'api', 'features')}\n    - ${trait('eq', 'trial')}`, ['u1', 'u2', 'u3']],
      // Either of a relation and anything: every user is a candidate.
      [`any:\n    - event: { name: Logged In }\n    - not: { ${trait('exists')} }`, ['u1', 'u2', 'u5']],
      // A custom trait no identify call has: no user can hold it, alone or in any:.
      [trait('eq', 'x', 'no_such_trait'), []],
      [`any:\n    - ${trait('eq', 'x', 'no_such_trait')}\n    - ${trait('eq', 'enterprise')}`, ['u6']],
      // One member of all: decides alone: users with a plan.
      [`all:\n    - not: { event: { name: Page Viewed } }\n    - ${trait('exists')}`, ['u3', 'u6']],
    ])('%s', async (where, expected) => {
      expect(await members(engine, layout, [logins, features, revenue, userAudience(where)], 'aud')).toEqual(expected);
    });

    it.each([
      [trait('eq', '"5"', 'revenue'), ['u2']], // 5.0 is sent as 5 (DuckDB's own text is 5.0)
      [trait('in', '["30.5", "5"]', 'revenue'), ['u1', 'u2']],
      [trait('neq', '"30.5"', 'revenue'), ['u2']],
      [trait('eq', '"4"', 'logins'), ['u1']],
      [trait('in', '["0", "2"]', 'logins'), ['u2', 'u3', 'u5', 'u6']],
    ])('a string compares with a computed number\'s text as sent: %s', async (where, expected) => {
      expect(await members(engine, layout, [logins, revenue, userAudience(where)], 'aud')).toEqual(expected);
    });

    it('an account whose users come only from an associating SQL trait that reads an audience is an account for the audiences after that trait', async () => {
      // assoc reads the user audience loggers and gives the account z7 the users who logged in
      // (u1, u2; a1 = {u1, u2}, a2 = {u2} too). An account audience runs after every associating
      // SQL trait, so z7 counts as an account for it (SPEC 3: every group_id an account-level SQL
      // trait returns): users: any makes it a member, and so does users: none over those who did not log in.
      const loggers = userAudience('event: { name: Logged In }', 'loggers');
      const assoc = 'kind: sql_trait\nkey: assoc\nentity: account\nsql: SELECT \'z7\' AS group_id, user_id, 1 AS assoc FROM {{state "loggers"}}';
      const anyLogin = accountAudience('users: any\n  where: { event: { name: Logged In } }');
      expect(await members(engine, layout, [loggers, assoc, anyLogin], 'aud')).toEqual(['a1', 'a2', 'z7']);
      const noneWithout = accountAudience('users: none\n  where: { not: { event: { name: Logged In } } }');
      expect((await members(engine, layout, [loggers, assoc, noneWithout], 'aud')).includes('z7')).toBe(true);
      const assocTrait = accountAudience('trait: { key: assoc, op: eq, value: 1 }');
      expect(await members(engine, layout, [loggers, assoc, assocTrait], 'aud')).toEqual(['z7']);
    });

    it('a user only an associating SQL trait that reads an audience returns is a user for every audience but those that trait reads', async () => {
      // n1 has no event or call: it is a user (SPEC 3: every user_id a SQL trait returns) for the
      // audiences that read every user, which wait for seats, except one seats reads (directly
      // or through others): it could not wait for seats without a cycle.
      const loggers = userAudience('event: { name: Logged In }', 'loggers');
      const seats = (reads: string) => `kind: sql_trait\nkey: seats\nentity: account\nsql: SELECT DISTINCT 'z8' AS group_id, 'n1' AS user_id, 1 AS seats FROM {{state "${reads}"}}`;
      const seated = accountAudience('trait: { key: seats, op: eq, value: 1 }', 'seated');
      const through = userAudience('audience: { key: seated }', 'aud');
      expect(await members(engine, layout, [loggers, seats('loggers'), seated, through], 'aud')).toEqual(['n1']);
      const silent = userAudience('not: { event: { name: Logged In } }', 'aud');
      const silentWithout = await members(engine, layout, [silent], 'aud');
      expect(silentWithout.includes('n1')).toBe(false);
      expect(await members(engine, layout, [loggers, seats('loggers'), silent], 'aud')).toEqual([...silentWithout, 'n1'].sort());
      expect(await members(engine, layout, [seats('aud'), silent], 'aud')).toEqual(silentWithout);
    });
  });

  it('before / after / within_last parse the value as an instant, honouring offsets', async () => {
    // trial_ends: u1 2024-05-20T00Z, u2 2024-06-10 (a date: 00:00Z), u3 2024-05-31T12:00+02:00 = 10:00Z
    expect(await members(engine, layout, [userAudience(trait('before', '2024-05-25', 'trial_ends'))], 'aud')).toEqual(['u1']);
    expect(await members(engine, layout, [userAudience(trait('after', '2024-05-31', 'trial_ends'))], 'aud')).toEqual(['u2', 'u3']);
    expect(await members(engine, layout, [userAudience(trait('after', '"2024-05-31T10:00:00Z"', 'trial_ends'))], 'aud')).toEqual(['u2']);
    // as_of - 2 days < t <= as_of: u2 is in the future
    expect(await members(engine, layout, [userAudience(trait('within_last', '2 days', 'trial_ends'))], 'aud')).toEqual(['u3']);
  });
}
