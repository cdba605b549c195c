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

/*
 * SPEC 3 sends a timestamp as ISO-8601, which writes years 0001 to 9999 (a SQL trait with another
 * fails). An event's timestamp property beyond them (year 12000, infinity) is a value no message
 * can carry: first / last / unique_list read it as no value, so last takes the latest one it can
 * send. It was sent as null on a first run, and listed as '12000-01-01T00:00:00.000Z'.
 */
describe.each(ENGINES)('a timestamp property no message can carry, on %s', (engine) => {
  it('is no value: first and last take the next one, lists leave it out', async () => {
    const paid = (id: string, user: string, day: number, at: string) => ({ id, user_id: user, event: 'Paid', timestamp: `2024-03-0${day}T00:00:00Z`, props: { at: new Timestamp(at) } });
    const fixture = {
      events: [
        paid('p1', 'u1', 1, '2024-03-05T00:00:00Z'), paid('p2', 'u1', 2, '12000-01-01T00:00:00Z'), paid('p3', 'u1', 3, 'infinity'),
        paid('p4', 'u2', 1, '-infinity'), paid('p5', 'u2', 2, '2024-04-01T00:00:00Z'), paid('p6', 'u2', 3, '12000-01-01T00:00:00Z'),
        paid('p7', 'u3', 1, '12000-01-01T00:00:00Z'),
      ],
    };
    const trait = (key: string, type: string) => `kind: computed_trait\nkey: ${key}\nentity: user\ntype: ${type}\nevent: Paid\nproperty: at`;
    const run = await runFixture(fixture, [trait('first_at', 'first'), trait('last_at', 'last'), trait('all_at', 'unique_list'), trait('n_at', 'unique_list_count')], { asOf: '2024-06-01T00:00:00Z', engine });
    try {
      expect(run.report.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
      const iso = async (key: string) => Object.fromEntries(Object.entries(await run.values(key)).map(([id, v]) => [id, v instanceof Date ? v.toISOString() : v]));
      expect(await iso('first_at')).toEqual({ u1: '2024-03-05T00:00:00.000Z', u2: '2024-04-01T00:00:00.000Z' });
      expect(await iso('last_at')).toEqual({ u1: '2024-03-05T00:00:00.000Z', u2: '2024-04-01T00:00:00.000Z' });
      expect(await run.values('all_at')).toEqual({ u1: ['2024-03-05T00:00:00.000Z'], u2: ['2024-04-01T00:00:00.000Z'] });
      expect(await run.values('n_at')).toEqual({ u1: 1, u2: 1 });
    } finally {
      await run.close();
    }
  });
});

// SPEC 2/3: an aggregation is of numbers. Over a timestamp column it has no value: said, not silent.
describe.each(ENGINES)('an aggregation of a timestamp property, on %s', (engine) => {
  it('has no value, and the run says why', async () => {
    const fixture = { events: [{ id: 'p1', user_id: 'u1', event: 'Paid', timestamp: '2024-03-01T00:00:00Z', props: { at: new Timestamp('2024-03-05T00:00:00Z'), n: 2 } }] };
    const max = (key: string, property: string) => `kind: computed_trait\nkey: ${key}\nentity: user\ntype: aggregation\nfunction: max\nevent: Paid\nproperty: ${property}`;
    const run = await runFixture(fixture, [max('max_at', 'at'), max('max_n', 'n')], { asOf: '2024-06-01T00:00:00Z', engine });
    try {
      expect(run.report.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
      expect(await run.values('max_at')).toEqual({});
      expect(await run.values('max_n')).toEqual({ u1: 2 });
      const warnings = (key: string) => run.report.outcomes.find((o) => o.key === key)?.warnings ?? [];
      expect(warnings('max_at')).toEqual([expect.stringMatching(/^property "at" of "Paid": column \w+\.paid\.at is TIMESTAMP( WITHOUT TIME ZONE)?, and an aggregation reads numbers, so it has no value$/)]);
      expect(warnings('max_n')).toEqual([]);
    } finally {
      await run.close();
    }
  });
});

// An infinite timestamp is no value (no message can carry it): a text op on it is false, as on a
// missing value (SPEC 2). DuckDB's strftime wrote 'infinity', where Postgres's to_char gives NULL.
describe.each(ENGINES)('text ops on an infinite timestamp, on %s', (engine) => {
  it('are false, as on a missing value', async () => {
    const fixture = {
      events: [{ id: 'e1', user_id: 'u1', event: 'Logged In', timestamp: '2024-05-31T00:00:00Z', props: { expires_at: new Timestamp('infinity') } }],
      identifies: [{ id: 'i1', user_id: 'u2', timestamp: '2024-05-31T00:00:00Z', traits: { trial_ends: new Timestamp('-infinity') } }],
    };
    const defs = [
      audience('by_event', 'event: { name: Logged In, where: [{ property: expires_at, op: neq, value: "2024-01-01T00:00:00.000Z" }] }'),
      audience('by_trait', 'trait: { key: trial_ends, op: contains, value: "n" }'),
      audience('not_by_trait', 'not: { trait: { key: trial_ends, op: contains, value: "n" } }'),
      audience('has_trial', 'trait: { key: trial_ends, op: exists }'),
      audience('has_expiry', 'event: { name: Logged In, where: [{ property: expires_at, op: exists }] }'),
      audience('no_trial', 'trait: { key: trial_ends, op: not_exists }'),
    ];
    const run = await runFixture(fixture, defs, { asOf: '2024-06-01T00:00:00Z', engine });
    try {
      expect(run.report.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
      expect(await run.ids('by_event')).toEqual([]);
      expect(await run.ids('by_trait')).toEqual([]);
      expect(await run.ids('not_by_trait')).toEqual(['u1', 'u2']);
      expect(await run.ids('has_trial')).toEqual([]);
      expect(await run.ids('has_expiry')).toEqual([]);
      expect(await run.ids('no_trial')).toEqual(['u1', 'u2']);
    } finally {
      await run.close();
    }
  });
});

// SPEC 2 orders events by (timestamp, id); an event without an id sorts after every id, on every
// engine (DuckDB put it first in last's order, Postgres last), for last and for custom traits.
describe.each(ENGINES)('ties on the timestamp with an event without an id, on %s', (engine) => {
  it.each(['fused', 'standalone'] as const)('sort it after every id (%s)', async (strategy) => {
    const T = '2024-05-31T00:00:00Z';
    const fixture = {
      events: [
        { id: 'e1', user_id: 'u1', event: 'Feature Used', timestamp: T, props: { name: 'with_id' } },
        { id: null, user_id: 'u1', event: 'Feature Used', timestamp: T, props: { name: 'without_id' } },
      ],
      identifies: [{ id: 'i1', user_id: 'u1', timestamp: T, traits: { role: 'admin' } }, { id: null, user_id: 'u1', timestamp: T, traits: { role: 'user' } }],
    };
    const trait = (key: string, type: string) => `kind: computed_trait\nkey: ${key}\nentity: user\ntype: ${type}\nevent: Feature Used\nproperty: name`;
    const run = await runFixture(fixture, [trait('first_name', 'first'), trait('last_name', 'last'), audience('users', 'trait: { key: role, op: eq, value: user }')], { asOf: '2024-06-01T00:00:00Z', engine, strategy });
    try {
      expect(run.report.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
      expect(await run.values('first_name')).toEqual({ u1: 'with_id' });
      expect(await run.values('last_name')).toEqual({ u1: 'without_id' });
      expect(await run.ids('users')).toEqual(['u1']);
    } finally {
      await run.close();
    }
  });
});

// The account's first / last fold from its users' (the run plan): each user's partial carries the
// id of the event it took, null included, so the fold ranks it as the account's own order does.
describe.each(ENGINES)('account first / last over events without ids, on %s', (engine) => {
  it.each(['fused', 'standalone'] as const)('rank an event without an id after every id, as the account\'s own order does (%s)', async (strategy) => {
    const at = (day: string) => `2024-05-${day}T00:00:00Z`;
    const used = (id: string | null, user: string, day: string, name: string) => ({ id, user_id: user, event: 'Feature Used', timestamp: at(day), props: { name } });
    const fixture = {
      events: [
        used(null, 'u1', '31', 'u1_null_at_T'), used('a0', 'u1', '30', 'u1_a0_at_T-1'), used('e9', 'u2', '31', 'u2_e9_at_T'),
        used(null, 'u1', '01', 'u1_null_at_T0'), used('a1', 'u1', '10', 'u1_a1_at_T1'), used('e5', 'u2', '01', 'u2_e5_at_T0'),
      ],
      groups: [{ id: 'g1', user_id: 'u1', group_id: 'acct', timestamp: at('01') }, { id: 'g2', user_id: 'u2', group_id: 'acct', timestamp: at('01') }],
    };
    const trait = (key: string, type: string) => `kind: computed_trait\nkey: ${key}\nentity: account\ntype: ${type}\nevent: Feature Used\nproperty: name`;
    const run = await runFixture(fixture, [trait('account_first', 'first'), trait('account_last', 'last')], { asOf: '2024-06-01T00:00:00Z', engine, strategy });
    try {
      expect(run.report.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
      // At 05-31: u1's event without an id sorts after u2's e9; at 05-01, u2's e5 before u1's.
      expect(await run.values('account_last')).toEqual({ acct: 'u1_null_at_T' });
      expect(await run.values('account_first')).toEqual({ acct: 'u2_e5_at_T0' });
    } finally {
      await run.close();
    }
  });
});

/*
 * Order ops (before, after, within_last) compare a timestamp held to the millisecond, as text ops
 * and first / last already do: a custom trait at 12:00:00.0005 was both eq and after
 * "12:00:00.000Z", and a last property at .123789 was not after ".123Z" while the same instant in
 * a custom trait was (a time review).
 */
describe.each(ENGINES.flatMap((engine) => ['TIMESTAMP', 'TIMESTAMP WITH TIME ZONE'].map((type) => [engine, type] as const)))('order ops on a timestamp, on %s, %s columns', (engine, type) => {
  it('compare it to the millisecond, whatever holds it', async () => {
    const fixture = {
      events: [
        { id: 'o1', user_id: 'u1', event: 'Order Completed', timestamp: '2024-03-02T00:00:00Z', props: { delivered_at: new Timestamp('2024-03-03T10:00:00.123789Z') } },
        { id: 'o2', user_id: 'u2', event: 'Order Completed', timestamp: '2024-03-02T00:00:00Z', props: { delivered_at: new Timestamp('2024-03-03T10:00:00.124Z') } },
      ],
      identifies: [
        { id: 'i1', user_id: 'u1', timestamp: '2024-03-01T00:00:00Z', traits: { trial_ends_at: new Timestamp('2024-03-10T12:00:00.0005Z') } },
        { id: 'i2', user_id: 'u2', timestamp: '2024-03-01T00:00:00Z', traits: { trial_ends_at: new Timestamp('2024-03-10T12:00:00.001Z') } },
        { id: 'i3', user_id: 'u3', timestamp: '2024-03-01T00:00:00Z', traits: { trial_ends_at: new Timestamp('2024-06-01T00:00:00.0004Z') } },
      ],
    };
    const defs = [
      'kind: computed_trait\nkey: first_delivered\nentity: user\ntype: first\nevent: Order Completed\nproperty: delivered_at',
      audience('a_first_after', 'trait: { key: first_delivered, op: after, value: "2024-03-03T10:00:00.123Z" }'),
      audience('a_custom_after', 'trait: { key: trial_ends_at, op: after, value: "2024-03-10T12:00:00Z" }'),
      audience('a_custom_eq_and_after', 'all:\n    - trait: { key: trial_ends_at, op: eq, value: "2024-03-10T12:00:00.000Z" }\n    - trait: { key: trial_ends_at, op: after, value: "2024-03-10T12:00:00Z" }'),
      audience('a_custom_before', 'trait: { key: trial_ends_at, op: before, value: "2024-03-10T12:00:00.001Z" }'),
      audience('a_custom_within', 'trait: { key: trial_ends_at, op: within_last, value: 1 days }'),
      audience('a_event_after', 'event: { name: Order Completed, where: [{ property: delivered_at, op: after, value: "2024-03-03T10:00:00.123Z" }] }'),
    ];
    const alter = (schema: string, table: string, column: string) => `ALTER TABLE ${schema}.${table} ALTER COLUMN ${column} TYPE ${type}`;
    const run = await runFixture(fixture, defs, {
      asOf: '2024-06-01T00:00:00Z', engine,
      prepare: (schema) => (type === 'TIMESTAMP' ? [] : [alter(schema, 'order_completed', 'delivered_at'), alter(schema, 'identifies', 'trial_ends_at')]),
    });
    try {
      expect(run.report.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
      expect(await run.ids('a_first_after')).toEqual(['u2']);
      expect(await run.ids('a_custom_after')).toEqual(['u2', 'u3']);
      expect(await run.ids('a_custom_eq_and_after')).toEqual([]);
      expect(await run.ids('a_custom_before')).toEqual(['u1']);
      // u3's 00:00:00.0004 is as_of to the millisecond, so within the last day (as_of - 1 day < v <= as_of).
      expect(await run.ids('a_custom_within')).toEqual(['u3']);
      expect(await run.ids('a_event_after')).toEqual(['u2']);
    } finally {
      await run.close();
    }
  });
});
