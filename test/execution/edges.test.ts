import { describe, expect, it } from 'vitest';
import type { Fixture } from '../support/fixture.js';
import { ENGINES, runFixture } from '../support/harness.js';

/*
 * Bounds and missing values where a slip changes only results, not much SQL text: each case was
 * a mutation that only golden files (or nothing) caught. Worked out by hand; as_of 2024-06-01.
 * Users: u1, u2, u3, and u4 (identified exactly at as_of); u5 is identified a millisecond after.
 */
const AS_OF = '2024-06-01T00:00:00Z';
const edges: Fixture = {
  events: [
    { id: 'o1', user_id: 'u1', event: 'Order Completed', timestamp: '2024-05-10T00:00:00Z', props: { total: 10 } },
    { id: 'o2', user_id: 'u1', event: 'Order Completed', timestamp: '2024-05-11T12:00:00Z', props: { total: null } },
    { id: 'o3', user_id: 'u1', event: 'Order Completed', timestamp: '2024-05-12T00:00:00Z', props: { total: 20 } },
    { id: 'o4', user_id: 'u2', event: 'Order Completed', timestamp: '2024-05-20T00:00:00Z', props: { total: null } },
    { id: 'o5', user_id: 'u3', event: 'Order Completed', timestamp: '2024-05-21T00:00:00Z', props: { total: 7 } },
    // Twice each: most_frequent needs min_frequency (2) uses.
    ...(['f1', 'f2'] as const).map((id) => ({ id, user_id: 'u1', event: 'Feature Used', timestamp: '2024-05-10T00:00:00Z', props: { feature_name: 'reports' } })),
    ...(['f3', 'f4'] as const).map((id) => ({ id, user_id: 'u2', event: 'Feature Used', timestamp: '2024-05-10T00:00:00Z', props: { feature_name: 'api' } })),
    // u2 is in a1 and a2; both logins were in a1's context.
    { id: 'l1', user_id: 'u2', event: 'Logged In', timestamp: '2024-05-10T00:00:00Z', context_group_id: 'a1' },
    { id: 'l2', user_id: 'u2', event: 'Logged In', timestamp: '2024-05-11T00:00:00Z', context_group_id: 'a1' },
  ],
  identifies: [
    { id: 'i1', user_id: 'u1', timestamp: '2024-05-01T00:00:00Z', traits: { plan: 'free' } },
    { id: 'i2', user_id: 'u2', timestamp: '2024-05-01T00:00:00Z', traits: { ends: '2024-05-30T00:00:00.001Z' } },
    { id: 'i3', user_id: 'u3', timestamp: '2024-05-01T00:00:00Z', traits: { plan: 'trial', ends: '2024-05-30T00:00:00Z' } },
    { id: 'i4', user_id: 'u4', timestamp: '2024-06-01T00:00:00Z', traits: { plan: 'pro' } },
    { id: 'i5', user_id: 'u5', timestamp: '2024-06-01T00:00:00.001Z', traits: { plan: 'pro' } },
  ],
  groups: [
    { id: 'g1', user_id: 'u1', group_id: 'a1', timestamp: '2024-04-01T00:00:00Z' },
    { id: 'g2', user_id: 'u2', group_id: 'a1', timestamp: '2024-04-01T00:00:00Z' },
    { id: 'g3', user_id: 'u2', group_id: 'a2', timestamp: '2024-04-01T00:00:00Z' },
  ],
};

const audience = (key: string, entity: string, where: string) => `kind: audience\nkey: ${key}\nentity: ${entity}\nwhere: ${where}`;
const DEFINITIONS = [
  'kind: computed_trait\nkey: orders_window\nentity: user\ntype: event_counter\nevent: Order Completed\nwindow: { from: 2024-05-10, to: 2024-05-12 }',
  'kind: computed_trait\nkey: avg_total\nentity: user\ntype: aggregation\nfunction: avg\nevent: Order Completed\nproperty: total',
  'kind: computed_trait\nkey: fav\nentity: user\ntype: most_frequent\nevent: Feature Used\nproperty: feature_name',
  audience('few_orders', 'user', '{ event: { name: Order Completed, count: { lte: 1 } } }'),
  audience('ends_soon', 'user', '{ trait: { key: ends, op: within_last, value: 2 days } }'),
  audience('pro', 'user', '{ trait: { key: plan, op: eq, value: pro } }'),
  audience('not_pro', 'user', '{ not: { trait: { key: plan, op: in, value: [pro] } } }'),
  audience('fav_buyers', 'user', '{ all: [{ any: [{ trait: { key: fav, op: eq, value: reports } }, { trait: { key: fav, op: not_exists } }] }, { event: { name: Order Completed } }] }'),
  audience('a_logins', 'account', '{ event: { name: Logged In, scope: group_context, count: { gte: 2 } } }'),
];

describe.each(ENGINES.flatMap((engine) => (['fused', 'standalone'] as const).map((strategy) => [engine, strategy] as const)))('edges on %s (%s)', (engine, strategy) => {
  it('window ends, within_last, as_of, averages of missing values, count lte, not in, any, group_context', async () => {
    const r = await runFixture(edges, DEFINITIONS, { asOf: AS_OF, engine, strategy });
    try {
      expect(r.report.ok).toBe(true);
      // from is in (o1 at 05-10 00:00), to is out (o3 at 05-12 00:00)
      expect((await r.values('orders_window')).u1).toBe(2);
      // (10 + 20) / 2: a null total is no value, not a zero
      expect(await r.values('avg_total')).toEqual({ u1: 15, u3: 7 });
      // u4 has no orders: 0 <= 1; u1 has 3
      expect(await r.ids('few_orders')).toEqual(['u2', 'u3', 'u4']);
      // as_of - 2 days < ends: u3's, exactly 05-30 00:00, is out; u2's, a millisecond later, is in
      expect(await r.ids('ends_soon')).toEqual(['u2']);
      // an identify exactly at as_of counts (u4); one a millisecond after does not (u5 is no user)
      expect(await r.ids('pro')).toEqual(['u4']);
      // not (plan in [pro]): u2, with no plan, is in
      expect(await r.ids('not_pro')).toEqual(['u1', 'u2', 'u3']);
      // any of (fav is reports, fav is missing), and ordered: u1 (reports), u3 (no fav)
      expect(await r.ids('fav_buyers')).toEqual(['u1', 'u3']);
      // only logins in a1's context count for a1; a2 has u2, whose logins were both in a1's
      expect(await r.ids('a_logins')).toEqual(['a1']);
    } finally {
      await r.close();
    }
  });
});
