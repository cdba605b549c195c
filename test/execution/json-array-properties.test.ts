import { describe, expect, it } from 'vitest';
import type { Fixture } from '../support/fixture.js';
import { ENGINES, runFixture } from '../support/harness.js';

/**
 * events_json: a property named by digits ("0") is a key of the properties object, on every
 * engine. Properties that are a JSON array (not what Segment writes) hold no such key: DuckDB's
 * JSON Pointer '/0' would read the array's first element, where Postgres's -> '0' reads nothing.
 */
const world: Fixture = {
  events: [
    { id: 'e1', user_id: 'u1', event: 'Clicked', timestamp: '2024-05-01T00:00:00Z', props: { 0: 'key zero' } },
    { id: 'e2', user_id: 'u2', event: 'Clicked', timestamp: '2024-05-01T00:00:00Z', props: { other: 'x' } },
  ],
};

describe.each(ENGINES)('a property named by digits, on %s', (engine) => {
  it('reads the key of an object, and nothing of an array', async () => {
    const r = await runFixture(world, [
      'kind: computed_trait\nkey: zero\nentity: user\ntype: last\nevent: Clicked\nproperty: "0"',
      'kind: audience\nkey: has_zero\nentity: user\nwhere: { event: { name: Clicked, where: [{ property: "0", op: exists }] } }',
    ], { asOf: '2024-06-01T00:00:00Z', engine, layout: 'events_json', prepare: (schema) => [`UPDATE ${schema}.events SET properties = '["zero", "one"]' WHERE id = 'e2'`] });
    try {
      expect(r.report.outcomes.map((o) => [o.key, o.status])).toEqual([['has_zero', 'ok'], ['zero', 'ok']]);
      expect(await r.values('zero')).toEqual({ u1: 'key zero' });
      expect(await r.ids('has_zero')).toEqual(['u1']);
    } finally {
      await r.close();
    }
  });
});
