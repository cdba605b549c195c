import { describe, expect, it } from 'vitest';
import { duckdb } from '../../dialects/duckdb.js';
import { compilePlan } from '../../src/compiler/plan/plan.js';
import { buildGraph } from '../../src/definitions/graph.js';
import type { Fixture, FixtureEvent, Layout } from '../support/fixture.js';
import { definitions, ENGINES, fixtureWarehouse, project } from '../support/harness.js';
import { expectSameResults } from './compare.js';

const AS_OF = '2024-06-01T00:00:00Z';

const used = (user: string, feature: string | null, times: number, day = 10): FixtureEvent[] =>
  Array.from({ length: times }, (_, i) => ({
    id: `${user}-${feature}-${i}`, user_id: user, event: 'Feature Used', timestamp: `2024-05-${day + i}T08:00:00Z`, props: { feature_name: feature },
  }));
const member = (user: string, account: string, id: string, timestamp = '2024-04-01T00:00:00Z') => ({ id, user_id: user, group_id: account, timestamp });

/**
 * Accounts whose most used feature is their users' counts summed, worked out by hand
 * (min_frequency 2, ties to the lowest text):
 * - a1 = {u1, u2}: api 2 + 0, reports 1 + 2 = 3: reports (the larger single count, api 2 against
 *   reports 2, would tie and give api). u1 joined a1 twice and counts once: twice, api 4 and
 *   reports 1 + 1 + 2 = 4 would tie and give api.
 * - a2 = {u3, u4}: api 1 + 1 = 2: api, though neither user reaches min_frequency alone.
 * - a3 = {u5}: b 2, a 2: a tie, to a. u5's null feature is no value.
 * - a4 = {u6}: api 1: below min_frequency, no row. a5 = {u7} only after as_of: no account yet.
 * - u8 is in no account: its counts reach no one.
 */
const fixture: Fixture = {
  events: [
    ...used('u1', 'api', 2), ...used('u1', 'reports', 1, 20),
    ...used('u2', 'reports', 2),
    ...used('u3', 'api', 1), ...used('u4', 'api', 1),
    ...used('u5', 'b', 2), ...used('u5', 'a', 2, 20), ...used('u5', null, 3, 24),
    ...used('u6', 'api', 1),
    ...used('u7', 'api', 3),
    ...used('u8', 'reports', 5),
  ],
  groups: [
    member('u1', 'a1', 'g1'), member('u1', 'a1', 'g2', '2024-05-01T00:00:00Z'), member('u2', 'a1', 'g3'),
    member('u3', 'a2', 'g4'), member('u4', 'a2', 'g5'),
    member('u5', 'a3', 'g6'),
    member('u6', 'a4', 'g7'),
    member('u7', 'a5', 'g8', '2024-06-02T00:00:00Z'),
  ],
};

const DEFINITIONS = definitions([
  'kind: computed_trait\nkey: top_feature\nentity: account\ntype: most_frequent\nevent: Feature Used\nproperty: feature_name\nmin_frequency: 2',
  // A user-level one of the same property reads the same (user, value) pass.
  'kind: computed_trait\nkey: user_top_feature\nentity: user\ntype: most_frequent\nevent: Feature Used\nproperty: feature_name',
]);

const EXPECTED = [['a1', 'reports'], ['a2', 'api'], ['a3', 'a']];

/** (account, value) of each row; DuckDB reads an events_json value as its JSON text ('"api"'). */
const accountValues = (rows: readonly string[], layout: Layout) => rows.map((r) => {
  const [[, id], [, value]] = JSON.parse(r) as [string, string][];
  return [id, layout === 'events_json' && value.startsWith('"') ? JSON.parse(value) : value];
});

describe('an account-level most_frequent in the run plan', () => {
  it("sums its users' counts from the (user, value) pass over the memberships, with no pass of its own", () => {
    const p = project(DEFINITIONS, 'segment');
    const plan = compilePlan({ dialect: duckdb, config: p.config, definitions: p.definitions, order: buildGraph(p.definitions).order });
    expect(plan.steps.filter((s) => s.kind === 'features').map((s) => s.name)).toEqual(['_plan_feature_used_values']);
    expect(plan.steps.find((s) => s.key === 'top_feature')?.sql).not.toContain('"feature_used"');
  });

  const cases = ENGINES.flatMap((engine) => (['segment', 'events_json'] as Layout[]).map((layout) => [engine, layout] as const));
  it.each(cases)('gives the hand-worked accounts, as its standalone query does, on %s, %s layout', async (engine, layout) => {
    const fx = await fixtureWarehouse(fixture, layout, engine);
    try {
      const fused = await expectSameResults(project(DEFINITIONS, layout, { schema: fx.schema }, fx.state), fx.wh, AS_OF);
      expect(accountValues(fused.tables.top_feature.rows, layout)).toEqual(EXPECTED);
    } finally {
      await fx.dispose();
    }
  });
});
