import { describe, expect, it } from 'vitest';
import { JsonDocument, JsonNumber, type Engine, type Fixture } from '../support/fixture.js';
import { ENGINES, runFixture } from '../support/harness.js';

/*
 * SPEC 2: a string literal compares with the value's text. For a number, that is the text it is
 * sent as (12 digits, no '.0', JSON's exponents), on every engine: DuckDB writes a DOUBLE 20 as
 * '20.0' and a JSON 1e3 as '1000.0', Postgres a JSON 1.50 as '1.50'.
 */
async function members(engine: Engine, layout: 'segment' | 'events_json', fixture: Fixture, where: string) {
  const lastTotal = 'kind: computed_trait\nkey: last_total\nentity: user\ntype: last\nevent: Order Completed\nproperty: total';
  const run = await runFixture(fixture, [lastTotal, `kind: audience\nkey: aud\nentity: user\nwhere:\n  ${where}`], { asOf: '2024-06-01T00:00:00Z', layout, engine });
  try {
    expect(run.report.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
    return await run.ids('aud');
  } finally {
    await run.close();
  }
}
const T = '2024-05-01T00:00:00Z';
const filtered = (op: string, value: string) => `event: { name: Order Completed, where: [{ property: total, op: ${op}, value: ${value} }] }`;
const trait = (key: string, op: string, value: string) => `trait: { key: ${key}, op: ${op}, value: ${value} }`;

describe.each(ENGINES)('a DOUBLE column compares as the text it is sent as, on %s (segment layout)', (engine) => {
  const fixture: Fixture = {
    events: [
      { id: 'o1', user_id: 'u1', event: 'Order Completed', timestamp: T, props: { total: 20 } },
      { id: 'o2', user_id: 'u2', event: 'Order Completed', timestamp: T, props: { total: 2.5 } },
    ],
    identifies: [
      { id: 'i1', user_id: 'u1', timestamp: T, traits: { score: 2 } },
      { id: 'i2', user_id: 'u2', timestamp: T, traits: { score: 0.5 } },
    ],
  };
  it.each([
    [filtered('eq', '"20"'), ['u1']],
    [filtered('contains', '"."'), ['u2']],
    [trait('score', 'eq', '"2"'), ['u1']],
    [trait('score', 'ends_with', '"5"'), ['u2']],
    [trait('last_total', 'eq', '"20"'), ['u1']],
    [trait('last_total', 'in', '["2.5", "7"]'), ['u2']],
  ])('%s', async (where, expected) => {
    expect(await members(engine, 'segment', fixture, where)).toEqual(expected);
  });
});

describe.each(ENGINES)('a JSON number compares as the text it is sent as, on %s (events_json layout)', (engine) => {
  const fixture: Fixture = {
    events: [
      { id: 'o1', user_id: 'u1', event: 'Order Completed', timestamp: T, props: { total: new JsonNumber('1e3') } },
      { id: 'o2', user_id: 'u2', event: 'Order Completed', timestamp: T, props: { total: new JsonNumber('1.50') } },
      { id: 'o3', user_id: 'u3', event: 'Order Completed', timestamp: T, props: { total: new JsonNumber('1e23') } },
    ],
  };
  it.each([
    [filtered('eq', '"1000"'), ['u1']],
    [filtered('eq', '"1.5"'), ['u2']],
    [filtered('eq', '"1e+23"'), ['u3']],
    [filtered('gt', '999'), ['u1', 'u3']], // numeric ops are unchanged
    [trait('last_total', 'eq', '"1000"'), ['u1']],
    [trait('last_total', 'ends_with', '"5"'), ['u2']],
    [trait('last_total', 'contains', '"e+"'), ['u3']],
  ])('%s', async (where, expected) => {
    expect(await members(engine, 'events_json', fixture, where)).toEqual(expected);
  });
});

describe.each(ENGINES)('custom traits holding JSON numbers compare as the text they are sent as, on %s (events_json layout)', (engine) => {
  const fixture: Fixture = {
    identifies: [
      { id: 'i1', user_id: 'u1', timestamp: T, traits: { p: new JsonNumber('1e3') } },
      { id: 'i2', user_id: 'u2', timestamp: T, traits: { p: new JsonNumber('1.50') } },
      { id: 'i3', user_id: 'u3', timestamp: T, traits: { p: new JsonNumber('1e-7') } },
      { id: 'i4', user_id: 'u4', timestamp: T, traits: { p: '1.50' } }, // a string is its own text
    ],
  };
  it.each([
    [trait('p', 'contains', '"."'), ['u2', 'u4']], // 1000, 1.5, 1e-7, "1.50"
    [trait('p', 'eq', '"1000"'), ['u1']],
    [trait('p', 'eq', '"1.5"'), ['u2']],
    [trait('p', 'eq', '"1.50"'), ['u4']],
    [trait('p', 'eq', '"1e-7"'), ['u3']],
    [trait('p', 'gt', '999'), ['u1']], // numbers compare as numbers
    ['trait: { key: p, op: exists }', ['u1', 'u2', 'u3', 'u4']],
  ])('%s', async (where, expected) => {
    expect(await members(engine, 'events_json', fixture, where)).toEqual(expected);
  });
});

// SPEC 2: equal counts go to the lowest value by code point, the value's text as it is sent.
describe.each(ENGINES)('most_frequent breaks ties between numbers by their text as sent, on %s', (engine) => {
  const mostFrequent = 'kind: computed_trait\nkey: mf\nentity: user\ntype: most_frequent\nevent: Measured\nproperty: v\nmin_frequency: 1';
  const events = (values: (number | JsonNumber)[]) => values.map((v, i) => ({ id: `m${i}`, user_id: 'u1', event: 'Measured', timestamp: T, props: { v } }));
  it.each([
    ['segment', [1e23, 2.5], 1e23], // '1e+23' < '2.5'; Postgres's own text of 1e23 is 9.999999999999999e+22
    ['segment', [0.1, 1e-7], 0.1], // '0.1' < '1e-7'; both engines write 1e-07
    ['events_json', [new JsonNumber('0.1'), new JsonNumber('1e-7')], 0.1],
    ['events_json', [new JsonNumber('2.5'), new JsonNumber('1e23')], 1e23],
  ] as const)('%s: %j', async (layout, values, expected) => {
    const run = await runFixture({ events: events([...values]) }, [mostFrequent], { asOf: '2024-06-01T00:00:00Z', layout, engine });
    try {
      expect(run.report.outcomes.map((o) => o.error)).toEqual([undefined]);
      expect(await run.values('mf')).toEqual({ u1: expected });
    } finally {
      await run.close();
    }
  });
});

// SPEC 3: the same results on every engine. Engines write and order an object's keys differently,
// so only scalars are listed or counted; 5 and "5" share a text, and a tie goes to the number.
describe.each(ENGINES)('events_json objects and arrays are kept by first / last but not listed or counted, on %s', (engine) => {
  const trait = (key: string, body: string) => `kind: computed_trait\nkey: ${key}\nentity: user\nevent: Measured\nproperty: v\n${body}`;
  const values = [new JsonDocument('{"b": 1, "a": 2}'), '5', new JsonNumber('5'), new JsonDocument('[1, 2]'), new JsonDocument('{"a":2,"b":1}')];
  const events = values.map((v, i) => ({ id: `m${i}`, user_id: 'u1', event: 'Measured', timestamp: `2024-05-0${i + 1}T00:00:00Z`, props: { v } }));
  it('first, unique_list, unique_list_count, most_frequent', async () => {
    const run = await runFixture({ events }, [trait('first_v', 'type: first'), trait('list_v', 'type: unique_list'),
      trait('count_v', 'type: unique_list_count'), trait('mf', 'type: most_frequent\nmin_frequency: 1')], { asOf: '2024-06-01T00:00:00Z', layout: 'events_json', engine });
    try {
      expect(run.report.outcomes.map((o) => o.error)).toEqual([undefined, undefined, undefined, undefined]);
      expect(await run.values('first_v')).toEqual({ u1: { a: 2, b: 1 } });
      expect(await run.values('list_v')).toEqual({ u1: ['5'] });
      expect(await run.values('count_v')).toEqual({ u1: 1 });
      expect(await run.values('mf')).toEqual({ u1: 5 });
    } finally {
      await run.close();
    }
  });
});
