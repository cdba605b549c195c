import { describe, expect, it } from 'vitest';
import { duckdb } from '../../dialects/duckdb.js';
import { compilePlan } from '../../src/compiler/plan/plan.js';
import { buildGraph } from '../../src/definitions/graph.js';
import { AS_OF, world } from '../execution/world.js';
import type { Layout } from '../support/fixture.js';
import { definitions, ENGINES, fixtureWarehouse, project } from '../support/harness.js';
import { expectSameResults } from './compare.js';

const trait = (key: string, entity: string, body: string) => `kind: computed_trait\nkey: ${key}\nentity: ${entity}\n${body}`;
const audience = (key: string, entity: string, where: string) => `kind: audience\nkey: ${key}\nentity: ${entity}\nwhere:\n  ${where.replace(/\n/g, '\n  ')}`;

/** Every computed trait type at both levels, with each window form, filters and scope. */
const TRAITS = (['user', 'account'] as const).flatMap((entity) => {
  const e = entity[0];
  const scopes = entity === 'account' ? ['', '\nscope: group_context'] : [''];
  return scopes.flatMap((scope, i) => {
    const p = `${e}${i ? 'g' : ''}`;
    return [
      trait(`${p}_count`, entity, `type: event_counter\nevent: Logged In${scope}`),
      trait(`${p}_count_30d`, entity, `type: event_counter\nevent: Logged In\nwindow: { last: 30 days }${scope}`),
      trait(`${p}_count_may`, entity, `type: event_counter\nevent: Logged In\nwindow: { from: 2024-05-01, to: 2024-06-01 }${scope}`),
      trait(`${p}_count_hours`, entity, `type: event_counter\nevent: Logged In\nwindow: { last: 36 hours }${scope}`),
      ...['sum', 'avg', 'min', 'max'].map((fn) => trait(`${p}_total_${fn}`, entity, `type: aggregation\nevent: Order Completed\nproperty: total\nfunction: ${fn}${scope}`)),
      trait(`${p}_usd`, entity, `type: aggregation\nevent: Order Completed\nproperty: total\nfunction: sum\nwhere:\n  - { property: currency, op: eq, value: USD }${scope}`),
      trait(`${p}_first_page`, entity, `type: first\nevent: Page Viewed\nproperty: path${scope}`),
      trait(`${p}_last_page`, entity, `type: last\nevent: Page Viewed\nproperty: path\nwindow: { last: 31 days }${scope}`),
      trait(`${p}_features`, entity, `type: unique_list\nevent: Feature Used\nproperty: feature_name${scope}`),
      trait(`${p}_feature_n`, entity, `type: unique_list_count\nevent: Feature Used\nproperty: feature_name\nwindow: { last: 10 days }${scope}`),
      // A DOUBLE property (segment layout): the list holds each number's text as it is sent.
      trait(`${p}_totals`, entity, `type: unique_list\nevent: Order Completed\nproperty: total${scope}`),
      trait(`${p}_total_n`, entity, `type: unique_list_count\nevent: Order Completed\nproperty: total${scope}`),
      trait(`${p}_favorite`, entity, `type: most_frequent\nevent: Feature Used\nproperty: feature_name\nmin_frequency: 2${scope}`),
      // Two events (two Segment tables, one events_json table); a missing event table; a missing property.
      trait(`${p}_two_events`, entity, `type: event_counter\nevent: [Logged In, Page Viewed]${scope}`),
      trait(`${p}_never`, entity, `type: event_counter\nevent: Never Happened${scope}`),
      trait(`${p}_no_column`, entity, `type: last\nevent: Logged In\nproperty: device${scope}`),
    ];
  });
});

const AUDIENCES = [
  ...(['gte', 'gt', 'eq', 'lte', 'lt'] as const).map((op) => audience(`u_logins_${op}`, 'user', `event: { name: Logged In, count: { ${op}: 1 }, window: { last: 30 days } }`)),
  audience('u_never_ordered', 'user', 'event: { name: Order Completed, count: { eq: 0 } }'),
  audience('u_usd_may', 'user', 'event: { name: Order Completed, where: [{ property: currency, op: eq, value: USD }], window: { from: 2024-05-01, to: 2024-06-01 } }'),
  audience('u_never_happened', 'user', 'not:\n  event: { name: Never Happened }'),
  audience('u_traits', 'user', 'any:\n  - trait: { key: plan, op: eq, value: pro }\n  - trait: { key: role, op: exists }\n  - trait: { key: u_count, op: gte, value: 2 }\n  - trait: { key: u_features, op: contains, value: api }\n  - trait: { key: no_such_trait, op: exists }'),
  audience('u_sql', 'user', 'trait: { key: double_logins, op: gte, value: 2 }'),
  audience('u_in_software', 'user', 'all:\n  - audience: { key: a_software, member: true }\n  - not:\n      audience: { key: u_logins_gte }'),
  audience('a_software', 'account', 'trait: { key: industry, op: eq, value: Software }'),
  audience('a_events', 'account', 'all:\n  - event: { name: Logged In, count: { gte: 2 } }\n  - event: { name: Logged In, scope: group_context, window: { last: 30 days } }\n  - trait: { key: a_total_sum, op: gt, value: 1 }'),
  audience('a_users_any', 'account', 'users: any\nwhere:\n  event: { name: Feature Used, count: { gte: 2 } }'),
  audience('a_users_all', 'account', 'users: all\nwhere:\n  any:\n    - trait: { key: plan, op: exists }\n    - audience: { key: u_logins_gte }'),
  audience('a_users_none', 'account', 'users: none\nwhere:\n  event: { name: Order Completed, window: { last: 7 days } }'),
  audience('a_members', 'account', 'all:\n  - trait: { key: member_count, op: gte, value: 2 }\n  - not:\n      audience: { key: a_software }'),
];

const SQL_TRAITS = [
  // A user-level SQL trait with no {{state}}: its users count as users (u9 exists only here).
  `kind: sql_trait\nkey: seats_sql\nentity: user\nsql: |\n  SELECT user_id, count(*) AS seats_sql FROM {{source "identifies"}}\n  WHERE user_id IS NOT NULL AND timestamp <= {{as_of}} GROUP BY user_id\n  UNION ALL SELECT 'u9', 0`,
  // Associates users with accounts, a9 (and its user u9) only through it.
  `kind: sql_trait\nkey: acct_members\nentity: account\ntraits: [member_count]\nsql: |\n  SELECT group_id, user_id, count(*) OVER (PARTITION BY group_id) AS member_count\n  FROM (SELECT DISTINCT group_id, user_id FROM {{source "groups"}} WHERE timestamp <= {{as_of}}\n        UNION ALL SELECT 'a9', 'u9') AS m`,
  // Reads this run's result of a computed trait.
  `kind: sql_trait\nkey: double_logins\nentity: user\nsql: SELECT user_id, u_count * 2 AS double_logins FROM {{state "u_count"}}`,
  // Reads an audience's members: u8 (only here) is a user for the audiences that read every user
  // and can run after it, which in the run plan widen its shared table of users.
  `kind: sql_trait\nkey: referrals\nentity: user\nsql: SELECT DISTINCT 'u8' AS user_id, 1 AS referrals FROM {{state "u_usd_may"}}`,
];

const DEFINITIONS = definitions([...TRAITS, ...AUDIENCES, ...SQL_TRAITS]);

describe('the world exercises every way the plan shares work', () => {
  it.each(['segment', 'events_json'] as Layout[])('%s layout', (layout) => {
    const p = project(DEFINITIONS, layout);
    const plan = compilePlan({ dialect: duckdb, config: p.config, definitions: p.definitions, order: buildGraph(p.definitions).order });
    const step = (name: string) => plan.steps.find((s) => s.name === name);
    const table = layout === 'segment' ? 'feature_used' : 'events';
    // most_frequent counts from the (user, value) pass; in Segment layout the user features fold from it too.
    expect(step(`_plan_${table}_values`)?.sql).toMatch(/GROUP BY e\.user_id, /);
    expect(step('_run_u_favorite')?.sql).toContain(`_plan_${table}_values`);
    // An account's counts are its users' summed over the memberships; with scope: group_context
    // an event counts only for the account in its context, so that one keeps its own query.
    expect(step('_run_a_favorite')?.sql).toMatch(new RegExp(`FROM temp\\.main\\."_plan_${table}_values" AS g\\s+JOIN temp\\.main\\."_plan_account_users" AS au`));
    expect(step('_run_a_favorite')?.needs).toEqual(expect.arrayContaining([`_plan_${table}_values`, '_plan_account_users']));
    expect(step('_run_ag_favorite')?.sql).toContain('matching_events AS (');
    expect(step(`_plan_${table}_users`)?.sql.includes(`FROM temp.main."_plan_${table}_values"`)).toBe(layout === 'segment');
    // users: conditions on event features share one step; one reading an audience keeps its own.
    expect(step('_plan_users_matching')?.sql).toMatch(/a_users_any[\s\S]*a_users_none/);
    expect(step('_run_a_users_all')?.sql).toContain('users_matching AS (');
    // An audience counting a SQL trait that reads an audience widens the shared table of users with it.
    expect(step('_run_u_never_happened')?.sql).toMatch(/SELECT user_id FROM temp\.main\."_plan_all_users"\s+UNION\s+SELECT user_id FROM temp\.main\."_run_referrals"/);
  });
});

const CASES = ENGINES.flatMap((engine) => (['segment', 'events_json'] as Layout[]).map((layout) => [engine, layout] as const));

describe.each(CASES)('fused plan and standalone queries give identical tables over the hand-worked world on %s, %s layout', (engine, layout) => {
  it('for every trait type, window form, scope, condition kind and SQL traits', async () => {
    const fx = await fixtureWarehouse(world, layout, engine);
    try {
      const fused = await expectSameResults(project(DEFINITIONS, layout, { schema: fx.schema }, fx.state), fx.wh, AS_OF);
      expect(fused.outcomes.filter((o) => o.status !== 'ok').map((o) => `${o.key}: ${o.error}`)).toEqual([]);
      expect(Object.keys(fused.tables)).toHaveLength(DEFINITIONS.length);
      expect(fused.tables.a_total_sum.rows.length).toBeGreaterThan(0);
      expect(fused.tables.u_never_happened.rows).toContain(JSON.stringify([['user_id', 'u8']]));
    } finally {
      await fx.dispose();
    }
  });

  it('with source.deduplicate', async () => {
    const fx = await fixtureWarehouse(world, layout, engine);
    try {
      const fused = await expectSameResults(project(DEFINITIONS, layout, { schema: fx.schema, deduplicate: true }, fx.state), fx.wh, AS_OF);
      // Equal failures would compare equal: every definition must have run.
      expect(fused.outcomes.filter((o) => o.status !== 'ok').map((o) => `${o.key}: ${o.error}`)).toEqual([]);
      expect(Object.keys(fused.tables)).toHaveLength(DEFINITIONS.length);
    } finally {
      await fx.dispose();
    }
  });
});
