import { describe, expect, it } from 'vitest';
import { ENGINES, runFixture } from '../support/harness.js';

const T = '2024-05-01T00:00:00Z';
const AS_OF = '2024-06-01T00:00:00Z';
const DEFS = [
  'kind: computed_trait\nkey: spent\nentity: user\ntype: aggregation\nevent: Order Completed\nproperty: amount\nfunction: sum',
  'kind: computed_trait\nkey: orders\nentity: user\ntype: event_counter\nevent: Order Completed',
  'kind: audience\nkey: platinum\nentity: user\nwhere: { trait: { key: tier, op: eq, value: platinum } }',
  'kind: computed_trait\nkey: notes\nentity: user\ntype: unique_list\nevent: Order Completed\nproperty: note',
];

/*
 * source.deduplicate keeps one row per id. Copies of one id at one instant that differ (a loader
 * re-sent a changed row) are settled by the row's text, so the choice does not depend on the
 * order rows were loaded in, the run, or the engine. Rows without an id are no copies of each other.
 */
describe.each(ENGINES.flatMap((engine) => (['segment', 'events_json'] as const).map((layout) => [engine, layout] as const)))('source.deduplicate on %s, %s layout', (engine, layout) => {
  const copies = [
    { id: 'e1', user_id: 'u1', event: 'Order Completed', timestamp: T, props: { amount: 5 } },
    { id: 'e1', user_id: 'u1', event: 'Order Completed', timestamp: T, props: { amount: 500 } },
  ];
  const tiers = [
    { id: 'i1', user_id: 'u1', timestamp: T, traits: { tier: 'silver' } },
    { id: 'i1', user_id: 'u1', timestamp: T, traits: { tier: 'platinum' } },
  ];
  // Texts that the engines' own row texts quote differently; as JSON both write them alike.
  const notes = (['a b', 'x,y'] as const).map((note) => ({ id: 'e2', user_id: 'u4', event: 'Order Completed', timestamp: T, props: { amount: 1, note } }));
  const noIds = [
    { id: null, user_id: 'u2', event: 'Order Completed', timestamp: T, props: { amount: 1 } },
    { id: null, user_id: 'u2', event: 'Order Completed', timestamp: T, props: { amount: 2 } },
    { id: null, user_id: 'u3', event: 'Order Completed', timestamp: T, props: { amount: 3 } },
  ];

  it.each([['as loaded', false], ['loaded the other way round', true]])('settles copies of one instant by their text, %s; keeps every row without an id', async (_, reversed) => {
    const order = <T>(rows: T[]) => (reversed ? [...rows].reverse() : rows);
    const fixture = { events: [...order(copies), ...order(notes), ...noIds] as never[], identifies: order(tiers) };
    const run = await runFixture(fixture, DEFS, { asOf: AS_OF, layout, engine, source: { deduplicate: true } });
    try {
      expect(run.report.outcomes.map((o) => o.error)).toEqual([undefined, undefined, undefined, undefined]);
      // e1's copies: by the row as JSON, '..."amount":5}' before '..."amount":500}' where the amount
      // is a column, but '{"amount":500}' before '{"amount":5}' where it sits in a JSON document;
      // i1's: 'platinum' before 'silver'.
      expect(await run.values('spent')).toEqual({ u1: layout === 'segment' ? 5 : 500, u2: 3, u3: 3, u4: 1 });
      expect(await run.values('orders')).toEqual({ u1: 1, u2: 2, u3: 1, u4: 1 });
      expect(await run.ids('platinum')).toEqual(['u1']);
      // e2's copies differ only in a text each engine's own row text quotes its own way ('a b', 'x,y').
      expect(await run.values('notes')).toEqual({ u4: ['a b'] });
    } finally {
      await run.close();
    }
  });
});
