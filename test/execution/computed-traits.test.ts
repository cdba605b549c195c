import { describe, expect, it } from 'vitest';
import { Timestamp, type Engine } from '../support/fixture.js';
import { ENGINES, readRun, runFixture, type DefinitionInput } from '../support/harness.js';

const LAYOUTS = ['segment', 'events_json'] as const;
import { AS_OF, world } from './world.js';

/** Runs definitions over the hand-made world and returns the stored values of one. */
function values(engine: Engine, layout: 'segment' | 'events_json', defs: DefinitionInput[], key: string): Promise<Record<string, unknown>> {
  return readRun(world, defs, { asOf: AS_OF, layout, engine }, (run) => run.values(key));
}

const trait = (key: string, entity: string, body: string) => `kind: computed_trait\nkey: ${key}\nentity: ${entity}\n${body}`;

describe.each(ENGINES.flatMap((engine) => LAYOUTS.map((layout) => [engine, layout] as const)))('computed traits on %s, %s layout', (engine, layout) => {
  it('event_counter counts events in the last 30 days: the lower bound is exclusive, as_of inclusive, anonymous and later events ignored', async () => {
    // u1: e01, e02, e03 (= as_of); e04 is 60 days old. u2: e05; e08 is exactly 30 days old. u3 only after as_of.
    expect(await values(engine, layout, [trait('logins', 'user', 'type: event_counter\nevent: Logged In\nwindow: { last: 30 days }')], 'logins'))
      .toEqual({ u1: 3, u2: 1 });
  });

  it('account event_counter counts the events of all the account\'s users, a user in two accounts counting in both', async () => {
    // a1 = {u1: 3, u2: 1, u5: 0}; a2 = {u2: 1, u3: 0}; a3 has no users: no value.
    expect(await values(engine, layout, [trait('logins', 'account', 'type: event_counter\nevent: Logged In\nwindow: { last: 30 days }')], 'logins'))
      .toEqual({ a1: 4, a2: 1 });
  });

  it('scope: group_context keeps only events whose context_group_id is the account', async () => {
    // a1: u1's e01, e02 (context a1); e03 has no context; u2's e05 is in a2's context. a2: u2's e05.
    expect(await values(engine, layout, [trait('logins', 'account', 'type: event_counter\nevent: Logged In\nwindow: { last: 30 days }\nscope: group_context')], 'logins'))
      .toEqual({ a1: 2, a2: 1 });
  });

  it('aggregation sum / avg / min / max skip null properties; an entity with only nulls has no value', async () => {
    const agg = (fn: string) => trait(`total_${fn}`, 'user', `type: aggregation\nevent: Order Completed\nproperty: total\nfunction: ${fn}`);
    expect(await values(engine, layout, [agg('sum')], 'total_sum')).toEqual({ u1: 30.5, u2: 5 });
    expect(await values(engine, layout, [agg('avg')], 'total_avg')).toEqual({ u1: 15.25, u2: 5 });
    expect(await values(engine, layout, [agg('min')], 'total_min')).toEqual({ u1: 10.5, u2: 5 });
    expect(await values(engine, layout, [agg('max')], 'total_max')).toEqual({ u1: 20, u2: 5 });
  });

  it('account aggregation sums over the account\'s users', async () => {
    // a1 = u1 30.5 + u2 5; a2 = u2 5 + u3 (null)
    expect(await values(engine, layout, [trait('revenue', 'account', 'type: aggregation\nevent: Order Completed\nproperty: total\nfunction: sum')], 'revenue'))
      .toEqual({ a1: 35.5, a2: 5 });
  });

  it('first / last take the earliest / latest non-null property, timestamp ties broken by id', async () => {
    // u1: p09 is null (skipped); p10 and p11 share a timestamp, p10 is the smaller id.
    expect(await values(engine, layout, [trait('first_page', 'user', 'type: first\nevent: Page Viewed\nproperty: path')], 'first_page'))
      .toEqual({ u1: '/pricing', u2: '/home' });
    expect(await values(engine, layout, [trait('last_page', 'user', 'type: last\nevent: Page Viewed\nproperty: path')], 'last_page'))
      .toEqual({ u1: "/o'brien", u2: '/home' });
    // a1 = {u1, u2, u5}: u1's p10 is the earliest; a2 = {u2, u3}: u3's only view is after as_of.
    expect(await values(engine, layout, [trait('first_page', 'account', 'type: first\nevent: Page Viewed\nproperty: path')], 'first_page'))
      .toEqual({ a1: '/pricing', a2: '/home' });
  });

  it('most_frequent needs min_frequency and breaks ties to the lowest value by code point', async () => {
    // u1: reports 3, dashboards 3, alerts 1 -> dashboards; u2: api once (< 2); u3: "Zoë's 🚀" twice.
    expect(await values(engine, layout, [trait('fav', 'user', 'type: most_frequent\nevent: Feature Used\nproperty: feature_name')], 'fav'))
      .toEqual({ u1: 'dashboards', u3: "Zoë's 🚀" });
    expect(await values(engine, layout, [trait('fav', 'user', 'type: most_frequent\nevent: Feature Used\nproperty: feature_name\nmin_frequency: 4')], 'fav'))
      .toEqual({});
    // a2 = u2 (api 1) + u3 (Zoë's 2)
    expect(await values(engine, layout, [trait('fav', 'account', 'type: most_frequent\nevent: Feature Used\nproperty: feature_name')], 'fav'))
      .toEqual({ a1: 'dashboards', a2: "Zoë's 🚀" });
  });

  it('unique_list is sorted by code point (upper case before lower) and unique_list_count counts it', async () => {
    expect(await values(engine, layout, [trait('features', 'user', 'type: unique_list\nevent: Feature Used\nproperty: feature_name')], 'features'))
      .toEqual({ u1: ['alerts', 'dashboards', 'reports'], u2: ['api'], u3: ["Zoë's 🚀"] });
    expect(await values(engine, layout, [trait('features', 'account', 'type: unique_list\nevent: Feature Used\nproperty: feature_name')], 'features'))
      .toEqual({ a1: ['alerts', 'api', 'dashboards', 'reports'], a2: ["Zoë's 🚀", 'api'] }); // 'Z' (U+005A) sorts before 'a' (U+0061)
    expect(await values(engine, layout, [trait('n_features', 'user', 'type: unique_list_count\nevent: Feature Used\nproperty: feature_name')], 'n_features'))
      .toEqual({ u1: 3, u2: 1, u3: 1 });
  });

  it('a { from, to } window includes from and excludes to', async () => {
    // o01 05-10T10, o02 05-11T10 in; o03 05-12T10 is past `to`.
    expect(await values(engine, layout, [trait('orders', 'user', 'type: event_counter\nevent: Order Completed\nwindow: { from: 2024-05-10, to: "2024-05-12" }')], 'orders'))
      .toEqual({ u1: 2 });
  });

  it('property filters: text equality and numeric comparison', async () => {
    expect(await values(engine, layout, [trait('usd', 'user', 'type: event_counter\nevent: Order Completed\nwhere: [{ property: currency, op: eq, value: USD }]')], 'usd'))
      .toEqual({ u1: 1, u2: 1, u3: 1 });
    expect(await values(engine, layout, [trait('big', 'user', 'type: event_counter\nevent: Order Completed\nwhere: [{ property: total, op: gt, value: 10 }]')], 'big'))
      .toEqual({ u1: 2 });
  });

  it('first / last of a numeric property keep the number (in events_json, JSON values keep their JSON type)', async () => {
    // u1: o01 10.5 then o02 20; u2: o03 5; u3's only total is null
    expect(await values(engine, layout, [trait('first_total', 'user', 'type: first\nevent: Order Completed\nproperty: total')], 'first_total'))
      .toEqual({ u1: 10.5, u2: 5 });
    expect(await values(engine, layout, [trait('last_total', 'user', 'type: last\nevent: Order Completed\nproperty: total')], 'last_total'))
      .toEqual({ u1: 20, u2: 5 });
    // and a condition on such a trait compares its value, not its JSON text
    const pro = 'kind: audience\nkey: big_first\nentity: user\nwhere: { trait: { key: first_total, op: gt, value: 10 } }';
    const path = 'kind: audience\nkey: pricing_first\nentity: user\nwhere: { trait: { key: first_page, op: eq, value: /pricing } }';
    const run = await runFixture(world, [trait('first_total', 'user', 'type: first\nevent: Order Completed\nproperty: total'), pro,
      trait('first_page', 'user', 'type: first\nevent: Page Viewed\nproperty: path'), path], { asOf: AS_OF, layout, engine });
    try {
      expect(await run.ids('big_first')).toEqual(['u1']);
      expect(await run.ids('pricing_first')).toEqual(['u1']);
    } finally {
      await run.close();
    }
  });

  it('a list of event names counts them together', async () => {
    // u1: 4 logins + 2 orders; u2: 2 logins + 1 order; u3: 1 order (its login is after as_of)
    expect(await values(engine, layout, [trait('acts', 'user', 'type: event_counter\nevent: [Logged In, Order Completed]')], 'acts'))
      .toEqual({ u1: 6, u2: 3, u3: 1 });
  });
});

describe.each(ENGINES)('unique_list of typed properties on %s, segment layout', (engine) => {
  // Paid: amount a DOUBLE column, at a TIMESTAMP column. a1 = {u1, u2}. as_of 2024-06-01.
  const fixture = {
    events: ([
      ['p1', 'u1', 10, '2024-03-04T05:06:07Z'], ['p2', 'u1', 2, '2024-03-04T05:06:07.123456Z'], ['p3', 'u1', 2.5, '2024-03-04T05:06:07Z'],
      ['p4', 'u2', 0.1 + 0.2, null], ['p5', 'u2', 0.3, null], ['p6', 'u2', 1e-7, null], ['p7', 'u2', 1e21, null], ['p8', 'u2', 123456789012.5, null], ['p9', 'u2', 0, null],
    ] as const).map(([id, user, amount, at]) => ({
      id, user_id: user, event: 'Paid', timestamp: '2024-05-01T00:00:00Z', props: { amount, at: at === null ? null : new Timestamp(at) },
    })),
    groups: [{ id: 'g1', user_id: 'u1', group_id: 'a1', timestamp: '2024-04-01T00:00:00Z' }, { id: 'g2', user_id: 'u2', group_id: 'a1', timestamp: '2024-04-01T00:00:00Z' }],
  };
  const list = (key: string, entity: string, property: string, type = 'unique_list') => trait(key, entity, `type: ${type}\nevent: Paid\nproperty: ${property}`);
  const contains = (key: string, value: string) => `kind: audience\nkey: ${key}\nentity: user\nwhere: { trait: { key: amounts, op: contains, value: ${value} } }`;

  it('a number is held as it is sent: rounded to 12 significant digits, integers without a fraction, exponents as JSON writes them', async () => {
    const run = await runFixture(fixture, [
      list('amounts', 'user', 'amount'), list('n_amounts', 'user', 'amount', 'unique_list_count'), list('account_amounts', 'account', 'amount'),
      contains('has_10', '10'), contains('has_03', '0.3'), contains('has_tiny', '1e-7'), contains('has_big', '123456789012.5'),
    ], { asOf: '2024-06-01T00:00:00Z', engine });
    try {
      expect(run.report.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
      // u2: 0.1 + 0.2 and 0.3 are one number to 12 digits; 123456789012.5 rounds away from zero; sorted by code point
      expect(await run.values('amounts')).toEqual({ u1: ['10', '2', '2.5'], u2: ['0', '0.3', '123456789013', '1e+21', '1e-7'] });
      expect(await run.values('n_amounts')).toEqual({ u1: 3, u2: 5 });
      expect(await run.values('account_amounts')).toEqual({ a1: ['0', '0.3', '10', '123456789013', '1e+21', '1e-7', '2', '2.5'] });
      expect([await run.ids('has_10'), await run.ids('has_03'), await run.ids('has_tiny')]).toEqual([['u1'], ['u2'], ['u2']]);
      // The literal is rounded as the list's numbers are.
      expect(await run.ids('has_big')).toEqual(['u2']);
    } finally {
      await run.close();
    }
  });

  it('a timestamp is held as it is sent: ISO-8601 UTC with milliseconds and Z', async () => {
    const run = await runFixture(fixture, [list('paid_at', 'user', 'at'), list('n_paid_at', 'user', 'at', 'unique_list_count')], { asOf: '2024-06-01T00:00:00Z', engine });
    try {
      expect(run.report.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
      // p1 and p3 are one instant; u2 has none
      expect(await run.values('paid_at')).toEqual({ u1: ['2024-03-04T05:06:07.000Z', '2024-03-04T05:06:07.123Z'] });
      expect(await run.values('n_paid_at')).toEqual({ u1: 2 });
    } finally {
      await run.close();
    }
  });
});

// SPEC 3: a property column Segment has not created in one table holds nulls there. A trait over
// several events reads the others' values as they are, on every engine (Postgres refused a text
// null next to a number; DuckDB turned the number and the timestamp into text).
describe.each(ENGINES)('a property missing from one of several event tables, on %s', (engine) => {
  const at = (day: number) => `2024-05-0${day}T00:00:00Z`;
  const fixture = {
    events: [
      { id: 'l1', user_id: 'u1', event: 'Logged In', timestamp: at(1), props: { via: 'web' } },
      { id: 'l2', user_id: 'u1', event: 'Logged In', timestamp: at(4), props: { via: 'app' } },
      { id: 'f1', user_id: 'u1', event: 'Feature Used', timestamp: at(2), props: { score: 2.5, seen: new Timestamp('2024-04-28T21:00:00Z') } },
      { id: 'f2', user_id: 'u1', event: 'Feature Used', timestamp: at(3), props: { score: 1.25, seen: new Timestamp('2024-04-29T08:30:00Z') } },
    ],
  };
  const over = (key: string, body: string) => `kind: computed_trait\nkey: ${key}\nentity: user\nevent: [Logged In, Feature Used]\n${body}`;
  const defs = [
    over('last_score', 'type: last\nproperty: score'), // l2 (day 4) has no score: f2's
    over('first_seen', 'type: first\nproperty: seen'),
    over('max_score', 'type: aggregation\nfunction: max\nproperty: score'),
    over('scores', 'type: unique_list\nproperty: score'),
    // no table for Never Happened at all
    'kind: computed_trait\nkey: last_or_never\nentity: user\nevent: [Never Happened, Feature Used]\ntype: last\nproperty: score',
  ];
  it.each(['fused', 'standalone'] as const)('(%s)', async (strategy) => {
    const run = await runFixture(fixture, defs, { asOf: '2024-06-01T00:00:00Z', engine, strategy });
    try {
      expect(run.report.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
      expect(run.report.outcomes.flatMap((o) => o.warnings ?? [])).toContainEqual(expect.stringMatching(/^property "score" of "Logged In": column \w+\.logged_in\.score does not exist; its value is null$/));
      expect(await run.values('last_score')).toEqual({ u1: 1.25 });
      expect(await run.values('max_score')).toEqual({ u1: 2.5 });
      expect(await run.values('last_or_never')).toEqual({ u1: 1.25 });
      expect(await run.values('scores')).toEqual({ u1: ['1.25', '2.5'] });
      const [first] = await run.rows('first_seen');
      expect(new Date(first.first_seen as string | Date).toISOString()).toBe('2024-04-28T21:00:00.000Z');
    } finally {
      await run.close();
    }
  });
});

// A property whose column is text in one event table and a number in another: the union of their
// rows is text on every engine (Postgres refused it; DuckDB made it text, writing 20 as '20.0').
describe.each(ENGINES)('a property typed differently in two event tables, on %s', (engine) => {
  const at = (day: number) => `2024-05-0${day}T00:00:00Z`;
  const fixture = {
    events: [
      { id: 'a1', user_id: 'u1', event: 'Alpha', timestamp: at(1), props: { total: '7' } },
      { id: 'b1', user_id: 'u1', event: 'Beta', timestamp: at(2), props: { total: 20 } },
      { id: 'b2', user_id: 'u2', event: 'Beta', timestamp: at(2), props: { total: 2.5 } },
    ],
  };
  const over = (key: string, body: string) => `kind: computed_trait\nkey: ${key}\nentity: user\nevent: [Alpha, Beta]\nproperty: total\n${body}`;
  it.each(['fused', 'standalone'] as const)('(%s)', async (strategy) => {
    // The number's table named first: the value is still the text, whichever table comes first.
    const favorite = over('favorite_total', 'type: most_frequent\nmin_frequency: 1').replace('[Alpha, Beta]', '[Beta, Alpha]');
    const run = await runFixture(fixture, [over('last_total', 'type: last'), over('max_total', 'type: aggregation\nfunction: max'), over('totals', 'type: unique_list'), favorite],
      { asOf: '2024-06-01T00:00:00Z', engine, strategy });
    try {
      expect(run.report.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
      expect(await run.values('favorite_total')).toEqual({ u1: '20', u2: '2.5' }); // a tie: '20' < '7'
      expect(await run.values('last_total')).toEqual({ u1: '20', u2: '2.5' }); // text, as sent
      expect(await run.values('max_total')).toEqual({ u1: 20, u2: 2.5 }); // numbers read from the text
      expect(await run.values('totals')).toEqual({ u1: ['20', '7'], u2: ['2.5'] });
    } finally {
      await run.close();
    }
  });
});

// Postgres's avg(double precision) also sums the squares, which overflows past about 1e154.
describe.each(ENGINES)('avg of values past 1e154, on %s', (engine) => {
  const fixture = {
    events: [
      { id: 'm1', user_id: 'u1', event: 'Measured', timestamp: '2024-05-01T00:00:00Z', props: { d: 1e300 } },
      { id: 'm2', user_id: 'u1', event: 'Measured', timestamp: '2024-05-02T00:00:00Z', props: { d: 0.5 } },
    ],
  };
  it.each(['fused', 'standalone'] as const)('(%s)', async (strategy) => {
    const avg = (key: string, entity: string) => `kind: computed_trait\nkey: ${key}\nentity: ${entity}\ntype: aggregation\nfunction: avg\nevent: Measured\nproperty: d`;
    const run = await runFixture({ ...fixture, groups: [{ id: 'g1', user_id: 'u1', group_id: 'a1', timestamp: '2024-04-01T00:00:00Z' }] },
      [avg('avg_d', 'user'), avg('account_avg_d', 'account')], { asOf: '2024-06-01T00:00:00Z', engine, strategy });
    try {
      expect(run.report.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
      expect(await run.values('avg_d')).toEqual({ u1: 5e299 });
      expect(await run.values('account_avg_d')).toEqual({ a1: 5e299 });
    } finally {
      await run.close();
    }
  });
});

// SPEC 3 sends timestamps with milliseconds: values that differ by microseconds are sent alike,
// so they are one value (most_frequent counts them together) and stored as they are sent.
describe.each(ENGINES)('timestamp properties are held to the millisecond, on %s', (engine) => {
  const at = (day: number, t: string) => ({ id: `m${day}`, user_id: 'u1', event: 'Measured', timestamp: `2024-05-0${day}T00:00:00Z`, props: { t: new Timestamp(t) } });
  const fixture = { events: [at(1, '2024-04-01T10:00:00.000001Z'), at(2, '2024-04-01T10:00:00.000002Z'), at(3, '2024-04-02T10:00:00.000999Z')] };
  it.each(['fused', 'standalone'] as const)('(%s)', async (strategy) => {
    const trait = (key: string, body: string) => `kind: computed_trait\nkey: ${key}\nentity: user\nevent: Measured\nproperty: t\n${body}`;
    const run = await runFixture(fixture, [trait('usual_t', 'type: most_frequent'), trait('last_t', 'type: last')], { asOf: '2024-06-01T00:00:00Z', engine, strategy });
    try {
      expect(run.report.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
      expect(await run.values('usual_t')).toEqual({ u1: new Date('2024-04-01T10:00:00.000Z') });
      expect(await run.values('last_t')).toEqual({ u1: new Date('2024-04-02T10:00:00.000Z') });
    } finally {
      await run.close();
    }
  });
});

// events_json wants JSON columns, but a loader may write them as text (a CSV load): DuckDB's JSON
// functions read text as JSON, and so does roster on Postgres, which gives the same results then.
describe.each(ENGINES)('events_json with properties and traits held as text, on %s', (engine) => {
  const asText = (schema: string) => ['events.properties', 'identifies.traits', 'groups.traits'].map((column) => {
    const [table, name] = column.split('.');
    return `ALTER TABLE ${schema}.${table} ALTER COLUMN ${name} TYPE VARCHAR USING CAST(${name} AS VARCHAR)`;
  });

  it('aggregations, numeric filters and first read the text as JSON, as from a JSON column', async () => {
    const defs = [
      trait('total_sum', 'user', 'type: aggregation\nevent: Order Completed\nproperty: total\nfunction: sum'),
      trait('big', 'user', 'type: event_counter\nevent: Order Completed\nwhere: [{ property: total, op: gt, value: 10 }]'),
      trait('first_total', 'user', 'type: first\nevent: Order Completed\nproperty: total'),
      'kind: audience\nkey: many_seats\nentity: user\nwhere: { trait: { key: seats, op: gte, value: 10 } }',
      'kind: audience\nkey: software\nentity: account\nwhere: { trait: { key: industry, op: eq, value: Software } }',
    ];
    const run = await runFixture(world, defs, { asOf: AS_OF, layout: 'events_json', engine, prepare: asText });
    try {
      expect(run.report.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
      // the same figures as over JSON columns above: u1 10.5 + 20 (+ a null), u2 5
      expect(await run.values('total_sum')).toEqual({ u1: 30.5, u2: 5 });
      expect(await run.values('big')).toEqual({ u1: 2 });
      expect(await run.values('first_total')).toEqual({ u1: 10.5, u2: 5 });
      // custom traits from the text traits: u1's latest seats 12 (u3 has 3); a1 and a3 are Software
      // (a1's later group calls carry null), a2's Software call comes after as_of
      expect(await run.ids('many_seats')).toEqual(['u1']);
      expect(await run.ids('software')).toEqual(['a1', 'a3']);
    } finally {
      await run.close();
    }
  });
});
