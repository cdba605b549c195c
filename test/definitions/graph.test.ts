import { describe, expect, it } from 'vitest';
import { buildGraph, type DefinitionGraph } from '../../src/definitions/graph.js';
import { loadProject } from '../../src/definitions/load-project.js';
import { ProjectError } from '../../src/definitions/project.js';
import { tempProject, yml } from './temp-project.js';

const computed = (key: string, entity: string) => yml('kind: computed_trait', `key: ${key}`, `entity: ${entity}`, 'type: event_counter', 'event: Logged In');
const sqlTrait = (key: string, entity: string, sql: string, traits = `[${key}]`) =>
  yml('kind: sql_trait', `key: ${key}`, `entity: ${entity}`, `traits: ${traits}`, `sql: '${sql}'`);
const audience = (key: string, entity: string, ...where: string[]) => yml('kind: audience', `key: ${key}`, `entity: ${entity}`, 'where:', ...where.map((l) => `  ${l}`));

async function graphOf(files: Record<string, string>): Promise<DefinitionGraph> {
  const project = await loadProject(tempProject({ 'roster.yml': '', ...Object.fromEntries(Object.entries(files).map(([k, v]) => [`definitions/${k}.yml`, v])) }));
  return buildGraph(project.definitions);
}

const depsOf = (g: DefinitionGraph) => Object.fromEntries(g.order.map((k) => [k, g.deps(k)]));

/** members associates users with accounts (it returns user_id); user_scores adds users. */
const b2b = {
  members: sqlTrait('members', 'account', 'SELECT group_id, user_id, count(*) OVER (PARTITION BY group_id) AS seat_count FROM {{source "groups"}}', '[seat_count]'),
  user_scores: sqlTrait('user_scores', 'user', 'SELECT user_id, 1 AS user_scores FROM {{source "identifies"}}'),
  logins: computed('logins', 'user'),
  account_logins: computed('account_logins', 'account'),
  active: audience('active', 'user', 'trait: { key: logins, op: gte, value: 1 }'),
  at_risk: audience('at_risk', 'account', 'all:', '  - trait: { key: account_logins, op: lt, value: 10 }', '  - trait: { key: seat_count, op: gte, value: 5 }'),
  champions: audience('champions', 'user', 'audience: { key: at_risk }'),
  risk_score: sqlTrait('risk_score', 'user', 'SELECT user_id, 1 AS risk_score FROM {{state "active"}}'),
};

describe('definition graph', () => {
  it('orders definitions by depth (longest path from a root), then by key', async () => {
    const g = await graphOf(b2b);
    expect(g.order).toEqual(['logins', 'members', 'user_scores', 'account_logins', 'active', 'at_risk', 'risk_score', 'champions']);
    expect(g.order.map((k) => g.depth(k))).toEqual([0, 0, 0, 1, 1, 2, 2, 3]);
  });

  it('links audiences to the audiences and trait producers they name, SQL traits to their {{state}}', async () => {
    const g = await graphOf(b2b);
    expect(depsOf(g)).toEqual({
      logins: [], members: [], user_scores: [],
      account_logins: ['members'], // uses the users of accounts: after the associating SQL trait
      active: ['logins'], // logins >= 1 holds only for users with logins: the universe is not read
      at_risk: ['account_logins', 'members'], // seat_count is a column of members
      risk_score: ['active'],
      // passthrough: every user, so after the SQL traits adding users, risk_score too (it reads
      // active, which champions is not upstream of)
      champions: ['at_risk', 'members', 'risk_score', 'user_scores'],
    });
  });

  it('does not link a trait key produced for the other entity (that is a custom trait)', async () => {
    const g = await graphOf({ logins: computed('logins', 'user'), a: audience('a', 'account', 'trait: { key: logins, op: gt, value: 1 }') });
    expect(g.deps('a')).toEqual([]);
  });

  it('links trait keys inside users: to user-level producers', async () => {
    const g = await graphOf({
      logins: computed('logins', 'user'),
      a: audience('a', 'account', 'users: all', 'where:', '  trait: { key: logins, op: gt, value: 1 }'),
    });
    expect(g.deps('a')).toEqual(['logins']);
  });

  it('makes every consumer of account users run after associating SQL traits', async () => {
    const g = await graphOf({
      members: sqlTrait('members', 'account', 'SELECT group_id, USER_ID, 1 AS members FROM {{source "groups"}}'),
      seats: sqlTrait('seats', 'account', 'SELECT group_id, 1 AS seats FROM {{source "groups"}}'),
      by_event: audience('by_event', 'account', 'event: { name: Logged In }'),
      by_users: audience('by_users', 'account', 'not:', '  users: any', '  where:', '    event: { name: Logged In }'),
      by_trait: audience('by_trait', 'account', 'trait: { key: plan, op: eq, value: pro }'),
      passthrough: audience('passthrough', 'user', 'audience: { key: by_trait }'),
      plain_user: audience('plain_user', 'user', 'event: { name: Logged In }'),
      user_trait: computed('user_trait', 'user'),
    });
    expect(depsOf(g)).toMatchObject({
      by_event: ['members'], // holds only for accounts with events: seats' accounts are not read
      by_users: ['members', 'seats'], // `not` holds for every account, seats' included
      by_trait: ['members'],
      passthrough: ['by_trait', 'members'],
      plain_user: [], // a user only members associates has no events
      user_trait: [],
    });
  });

  it('rejects an associating SQL trait that reads an account audience: that audience\'s users come from the associations', async () => {
    // Its members' users enter and leave with it, and user audiences passing through it must agree.
    await expect(graphOf({
      paying: audience('paying', 'account', 'trait: { key: plan, op: eq, value: pro }'),
      members: sqlTrait('members', 'account', 'SELECT group_id, user_id, 1 AS members FROM {{state "paying"}}'),
    })).rejects.toThrow('members returns user_id, so it associates users with accounts and must run before every definition that uses the users of accounts; but it depends on one: members -> paying (paying is an account audience: its members\' users enter and leave with it)');
    // The message says why the definition it depends on uses the users of accounts.
    await expect(graphOf({
      paying: audience('paying', 'account', 'trait: { key: plan, op: eq, value: pro }'),
      payers: audience('payers', 'user', 'audience: { key: paying }'),
      members: sqlTrait('members', 'account', 'SELECT \'\'a1\'\' AS group_id, user_id, 1 AS members FROM {{state "payers"}}'),
    })).rejects.toThrow('but it depends on one: members -> payers (payers is a user audience passing through an account audience, which must agree with it)');
  });

  it('lets an associating SQL trait read user-level state, and runs it before every account audience', async () => {
    const g = await graphOf({
      logins: computed('logins', 'user'),
      members: sqlTrait('members', 'account', 'SELECT \'\'A\'\' AS group_id, user_id, 1 AS members FROM {{state "logins"}}'),
      paying: audience('paying', 'account', 'trait: { key: plan, op: eq, value: pro }'),
      in_paying: audience('in_paying', 'user', 'audience: { key: paying }'),
    });
    expect(depsOf(g)).toEqual({ logins: [], members: ['logins'], paying: ['members'], in_paying: ['members', 'paying'] });
  });

  it('an account SQL trait that only counts user_id does not associate: it may read an account trait', async () => {
    const g = await graphOf({
      logins: computed('logins', 'account'),
      seats: sqlTrait('seats', 'account', 'SELECT l.group_id, count(DISTINCT g.user_id) AS seats FROM {{state "logins"}} l JOIN {{source "groups"}} g ON g.group_id = l.group_id GROUP BY 1'),
    });
    expect(depsOf(g)).toEqual({ logins: [], seats: ['logins'] });
  });

  it('counts the ids of a SQL trait reading state as entities for every audience it does not read', async () => {
    const g = await graphOf({
      logins: computed('logins', 'user'),
      doubled: sqlTrait('doubled', 'user', 'SELECT user_id, 2 * logins AS doubled FROM {{state "logins"}}'),
      active: audience('active', 'user', 'trait: { key: logins, op: gte, value: 1 }'),
      from_active: sqlTrait('from_active', 'user', 'SELECT user_id, 1 AS from_active FROM {{state "active"}}'),
      lapsed: audience('lapsed', 'user', 'not:', '  event: { name: Logged In }'),
    });
    // doubled widens the universe of users for every audience that reads it; from_active, which
    // reads active, for lapsed (active reads only users with logins, not the universe).
    expect(g.deps('lapsed')).toEqual(['doubled', 'from_active']);
    expect(g.deps('active')).toEqual(['logins']);
  });

  it('offers SQL traits that read audiences in key order, and an audience takes one only where waiting closes no cycle', async () => {
    const g = await graphOf({
      quiet_a: audience('quiet_a', 'user', 'not:', '  event: { name: A }'),
      quiet_b: audience('quiet_b', 'user', 'not:', '  event: { name: B }'),
      s1: sqlTrait('s1', 'user', 'SELECT user_id, 1 AS s1 FROM {{state "quiet_b"}}'),
      s2: sqlTrait('s2', 'user', 'SELECT user_id, 1 AS s2 FROM {{state "quiet_a"}}'),
    });
    // s1 first: quiet_a takes it; quiet_b cannot (s1 reads it). s2 then reads quiet_a, which
    // waits for s1, which reads quiet_b: neither can take s2.
    expect(depsOf(g)).toEqual({ quiet_b: [], s1: ['quiet_b'], quiet_a: ['s1'], s2: ['quiet_a'] });
  });

  it('selects like dbt: key, +key, key+, +key+ and N+key', async () => {
    const g = await graphOf(b2b);
    const select = (...exprs: string[]) => [...g.select(exprs)].sort();
    expect(select('active')).toEqual(['active']);
    expect(select('+at_risk')).toEqual(['account_logins', 'at_risk', 'members']);
    expect(select('active+')).toEqual(['active', 'champions', 'risk_score']);
    expect(select('+active+')).toEqual(['active', 'champions', 'logins', 'risk_score']);
    expect(select('1+champions')).toEqual(['at_risk', 'champions', 'members', 'risk_score', 'user_scores']);
    expect(select('logins+1', 'user_scores')).toEqual(['active', 'logins', 'user_scores']);
    // Joined by a comma, an intersection (dbt's set operator): what lies between logins and risk_score.
    expect(select('logins+,+risk_score')).toEqual(['active', 'logins', 'risk_score']);
    expect(() => select('active,at_risk')).toThrow('--select: "active,at_risk" selects no definition: the selectors joined by a comma have none in common');
    expect(() => select('active,', 'at_risk')).toThrow('"active," has an empty selector: a comma joins two selectors into their intersection, with no space around it');
    // Said once, however many commas.
    const once = (() => { try { select('active,,'); return []; } catch (e) { return (e as ProjectError).problems.map((p) => p.message); } })();
    expect(once).toEqual(['"active,," has an empty selector: a comma joins two selectors into their intersection, with no space around it (a+,+b); selectors apart by spaces are a union']);
  });

  it('rejects unknown keys in a selection, with a suggestion', async () => {
    const g = await graphOf(b2b);
    expect(() => g.select(['activ', 'at_risk+'])).toThrow(ProjectError);
    expect(() => g.select(['activ'])).toThrow('--select: unknown definition "activ"; did you mean "active"?');
    expect(() => g.select(['++a'])).toThrow('is not a selector');
    expect(() => g.select(['+Activ'])).toThrow('--select: unknown definition "Activ"; did you mean "active"?');
  });

  it('adds everything upstream with withUpstream', async () => {
    const g = await graphOf(b2b);
    expect([...g.withUpstream(['champions'])].sort()).toEqual(['account_logins', 'active', 'at_risk', 'champions', 'logins', 'members', 'risk_score', 'user_scores']);
    expect([...g.withUpstream(['logins', 'risk_score'])].sort()).toEqual(['active', 'logins', 'risk_score']);
  });

  it('throws a ProjectError naming the cycle', async () => {
    const project = await loadProject(tempProject({ 'roster.yml': '', 'definitions/x.yml': computed('x', 'user') }));
    const [x] = project.definitions;
    const a = { ...x, kind: 'audience', key: 'a', file: 'definitions/a.yml', where: { kind: 'audience', key: 'b', member: true } } as never;
    const b = { ...x, kind: 'audience', key: 'b', file: 'definitions/b.yml', where: { kind: 'not', condition: { kind: 'audience', key: 'a', member: true } } } as never;
    expect(() => buildGraph([b, a])).toThrow(new ProjectError([{ file: 'definitions/a.yml', path: 'where.audience.key', message: 'cycle in the definitions: a -> b -> a' }]));
  });
});
