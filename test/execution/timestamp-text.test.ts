import { describe, expect, it } from 'vitest';
import { Timestamp } from '../support/fixture.js';
import { ENGINES, runFixture } from '../support/harness.js';

/*
 * SPEC 2: strings compare as text; SPEC 3: a timestamp is sent as ISO-8601 UTC with milliseconds
 * and Z. A text op on a timestamp reads that text, whatever the column's type: an engine's own text
 * ('2024-03-10 02:30:00.123', '+00' for a time zone, microseconds) matched nothing roster sends.
 */
const fixture = {
  events: [
    { id: 'o1', user_id: 'u1', event: 'Order Completed', timestamp: '2024-03-12T00:00:00Z', props: { placed_at: new Timestamp('2024-03-10T02:30:00.123456Z') } },
    { id: 'o2', user_id: 'u2', event: 'Order Completed', timestamp: '2024-03-12T00:00:00Z', props: { placed_at: new Timestamp('2024-03-11T04:00:00Z') } },
  ],
  identifies: [
    { id: 'i1', user_id: 'u1', timestamp: '2024-03-01T00:00:00Z', traits: { signed_up: new Timestamp('2024-03-10T02:30:00.123Z') } },
    { id: 'i2', user_id: 'u2', timestamp: '2024-03-01T00:00:00Z', traits: { signed_up: new Timestamp('2024-01-01T00:00:00Z') } },
  ],
};
const audience = (key: string, where: string) => `kind: audience\nkey: ${key}\nentity: user\nwhere:\n  ${where}`;

describe.each(ENGINES.flatMap((engine) => ['TIMESTAMP', 'TIMESTAMP WITH TIME ZONE'].map((type) => [engine, type] as const)))('text ops on a timestamp, on %s, %s columns', (engine, type) => {
  it('compare the text it is sent as', async () => {
    const defs = [
      'kind: computed_trait\nkey: last_placed\nentity: user\ntype: last\nevent: Order Completed\nproperty: placed_at',
      `kind: sql_trait\nkey: sq\nentity: user\ntraits: [sq_at]\nsql: SELECT user_id, CAST(placed_at AS ${type}) AS sq_at FROM {{source "order_completed"}}`,
      audience('a_last', 'trait: { key: last_placed, op: eq, value: "2024-03-10T02:30:00.123Z" }'),
      audience('a_last_in', 'trait: { key: last_placed, op: in, value: ["2024-03-11T04:00:00.000Z"] }'),
      audience('a_custom', 'trait: { key: signed_up, op: contains, value: "T02:30:00.123Z" }'),
      audience('a_event', 'event: { name: Order Completed, where: [{ property: placed_at, op: ends_with, value: ":00.000Z" }] }'),
      audience('a_sql', 'trait: { key: sq_at, op: starts_with, value: "2024-03-10T02:30:00.123Z" }'),
      audience('a_engine_text', 'any:\n    - trait: { key: last_placed, op: contains, value: " " }\n    - trait: { key: signed_up, op: contains, value: "+" }\n    - trait: { key: sq_at, op: contains, value: "456" }'),
    ];
    const alter = (schema: string, table: string, column: string) => `ALTER TABLE ${schema}.${table} ALTER COLUMN ${column} TYPE ${type}`;
    const run = await runFixture(fixture, defs, {
      asOf: '2024-06-01T00:00:00Z', engine,
      prepare: (schema) => (type === 'TIMESTAMP' ? [] : [alter(schema, 'order_completed', 'placed_at'), alter(schema, 'identifies', 'signed_up')]),
    });
    try {
      expect(run.report.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
      const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
      expect(Object.values(await run.values('last_placed')).map(iso)).toEqual(['2024-03-10T02:30:00.123Z', '2024-03-11T04:00:00.000Z']);
      expect(await run.ids('a_last')).toEqual(['u1']);
      expect(await run.ids('a_last_in')).toEqual(['u2']);
      expect(await run.ids('a_custom')).toEqual(['u1']);
      expect(await run.ids('a_event')).toEqual(['u2']);
      expect(await run.ids('a_sql')).toEqual(['u1']);
      expect(await run.ids('a_engine_text')).toEqual([]);
    } finally {
      await run.close();
    }
  });
});
