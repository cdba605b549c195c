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

describe.each(ENGINES)('a JSON number no message can carry, on %s', (engine) => {
  it('is no value to exists / not_exists, as an infinite number of a segment column is', async () => {
    // e1's 1e400 is beyond a double; e2's 5 and e3's "x" are values; e4 has none.
    const events: Fixture = {
      events: [
        { id: 'e1', user_id: 'u1', event: 'Scored', timestamp: '2024-05-01T00:00:00Z', props: { big: 1 } },
        { id: 'e2', user_id: 'u2', event: 'Scored', timestamp: '2024-05-01T00:00:00Z', props: { big: 5 } },
        { id: 'e3', user_id: 'u3', event: 'Scored', timestamp: '2024-05-01T00:00:00Z', props: { big: 'x' } },
        { id: 'e4', user_id: 'u4', event: 'Scored', timestamp: '2024-05-01T00:00:00Z', props: { big: null } },
      ],
    };
    const r = await runFixture(events, [
      'kind: audience\nkey: with_big\nentity: user\nwhere: { event: { name: Scored, where: [{ property: big, op: exists }] } }',
      'kind: audience\nkey: without_big\nentity: user\nwhere: { event: { name: Scored, where: [{ property: big, op: not_exists }] } }',
    ], { asOf: '2024-06-01T00:00:00Z', engine, layout: 'events_json', prepare: (schema) => [`UPDATE ${schema}.events SET properties = '{"big": 1e400}' WHERE id = 'e1'`] });
    try {
      expect(r.report.outcomes.map((o) => [o.key, o.status])).toEqual([['with_big', 'ok'], ['without_big', 'ok']]);
      expect(await r.ids('with_big')).toEqual(['u2', 'u3']);
      expect(await r.ids('without_big')).toEqual(['u1', 'u4']);
    } finally {
      await r.close();
    }
  });
});

describe.each(ENGINES)('a custom trait whose latest value is a JSON number no message can carry, on %s', (engine) => {
  it('is the latest value before it: 1e400 is no value, as null is', async () => {
    // u1: 5, then 1e400 (latest); u2: 1e400 alone; u3: 5, then null (latest).
    const identifies: Fixture = {
      identifies: [
        { id: 'i1', user_id: 'u1', timestamp: '2024-05-01T00:00:00Z', traits: { score: 5 } },
        { id: 'i2', user_id: 'u1', timestamp: '2024-05-02T00:00:00Z', traits: { score: 1 } },
        { id: 'i3', user_id: 'u2', timestamp: '2024-05-02T00:00:00Z', traits: { score: 1 } },
        { id: 'i4', user_id: 'u3', timestamp: '2024-05-01T00:00:00Z', traits: { score: 5 } },
        { id: 'i5', user_id: 'u3', timestamp: '2024-05-02T00:00:00Z', traits: { score: null } },
      ],
    };
    const r = await runFixture(identifies, [
      'kind: audience\nkey: scored_five\nentity: user\nwhere: { trait: { key: score, op: eq, value: 5 } }',
      'kind: audience\nkey: scored\nentity: user\nwhere: { trait: { key: score, op: exists } }',
    ], { asOf: '2024-06-01T00:00:00Z', engine, layout: 'events_json', prepare: (schema) => [`UPDATE ${schema}.identifies SET traits = '{"score": 1e400}' WHERE id IN ('i2', 'i3')`] });
    try {
      expect(r.report.outcomes.map((o) => [o.key, o.status])).toEqual([['scored', 'ok'], ['scored_five', 'ok']]);
      expect(await r.ids('scored_five')).toEqual(['u1', 'u3']);
      expect(await r.ids('scored')).toEqual(['u1', 'u3']);
    } finally {
      await r.close();
    }
  });
});
