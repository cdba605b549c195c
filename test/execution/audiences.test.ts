import { describe, expect, it } from 'vitest';
import { ENGINES, runFixture } from '../support/harness.js';
import { audiencesOn, members, userAudience, trait } from './audience-cases.js';
import { AS_OF, world } from './world.js';

const LAYOUTS = ['segment', 'events_json'] as const;

// The audience cases on the segment layout; audiences-events-json.test.ts runs them on the other.
describe.each(ENGINES.map((engine) => [engine, 'segment'] as const))('audiences on %s, %s layout', audiencesOn);

describe('hostile values are matched exactly', () => {
  const hostile = [
    "O'Brien", 'back\\slash', 'semi; DROP TABLE main.tracks; --', '/* comment */', 'line1\nline2', 'cr\r\nlf', 'tab\tbell\u0007',
    '🚀 emoji Zoë', 'x'.repeat(5000), '$as_of', '{{source "tracks"}}', "'); DELETE FROM main.identifies; --",
    // Many line breaks (an engine parses a chain of || only so deep), and the marks a literal's line breaks may be written with.
    `${'a\n'.repeat(3000)}b\r\n`, '~\n^\r`|¶\u0001',
  ];
  const fixture = {
    identifies: hostile.map((name, i) => ({ id: `h${i}`, user_id: `user ${i} '"\\`, timestamp: '2024-05-01T00:00:00Z', traits: { name } })),
    events: hostile.map((name, i) => ({ id: `he${i}`, user_id: `user ${i} '"\\`, event: "It's \"quoted\" 🚀", timestamp: '2024-05-01T00:00:00Z', props: { "Weird Prop's": name } })),
  };
  it.each(ENGINES.flatMap((engine) => LAYOUTS.map((layout) => [engine, layout] as const)))('on %s, %s layout, each value matches itself and nothing else, and nothing outside the query runs', async (engine, layout) => {
    for (const [i, value] of hostile.entries()) {
      const byTrait = `kind: audience\nkey: by_trait\nentity: user\nwhere: { trait: { key: name, op: eq, value: ${JSON.stringify(value)} } }`;
      const byEvent = `kind: audience\nkey: by_event\nentity: user\nwhere: { event: { name: ${JSON.stringify("It's \"quoted\" 🚀")}, where: [{ property: ${JSON.stringify("Weird Prop's")}, op: eq, value: ${JSON.stringify(value)} }] } }`;
      const run = await runFixture(fixture, [byTrait, byEvent], { asOf: AS_OF, layout, engine });
      try {
        expect(run.report.outcomes.map((o) => o.error)).toEqual([undefined, undefined]);
        expect(await run.ids('by_trait')).toEqual([`user ${i} '"\\`]);
        expect(await run.ids('by_event')).toEqual([`user ${i} '"\\`]);
      } finally {
        await run.close();
      }
    }
  });
});

// Segment's own trait names are camelCase (firstName) or free text: events_json keeps them as
// they are, the segment layout's columns are their snake_case (first_name), as for properties.
describe.each(ENGINES)('custom traits named as Segment names them, on %s', (engine) => {
  const T = '2024-05-01T00:00:00Z';
  const where = [userAudience(trait('eq', 'Ann', 'firstName'), 'anns'), userAudience(trait('eq', 'pro', '"Plan Name"'), 'pros')];
  it.each([
    ['events_json', { firstName: 'Ann', 'Plan Name': 'pro' }, { firstName: 'Bob', 'Plan Name': 'free' }],
    ['segment', { first_name: 'Ann', plan_name: 'pro' }, { first_name: 'Bob', plan_name: 'free' }],
  ] as const)('%s', async (layout, u1, u2) => {
    const fixture = { identifies: [{ id: 'i1', user_id: 'u1', timestamp: T, traits: u1 }, { id: 'i2', user_id: 'u2', timestamp: T, traits: u2 }] };
    const run = await runFixture(fixture, where, { asOf: AS_OF, layout, engine });
    try {
      expect(run.report.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
      expect(await run.ids('anns')).toEqual(['u1']);
      expect(await run.ids('pros')).toEqual(['u1']);
    } finally {
      await run.close();
    }
  });
});

// A name that already is a column name is read as it is, even where its snake_case differs.
it.each(ENGINES)('a custom trait named like a column (a__b, seats_) reads that column, on %s', async (engine) => {
  const T = '2024-05-01T00:00:00Z';
  const fixture = { identifies: [{ id: 'i1', user_id: 'u1', timestamp: T, traits: { a__b: 'x', seats_: 3 } }, { id: 'i2', user_id: 'u2', timestamp: T, traits: { a__b: 'y', seats_: 1 } }] };
  const run = await runFixture(fixture, [userAudience(trait('eq', 'x', 'a__b'), 'xs'), userAudience(trait('gte', '2', 'seats_'), 'big')], { asOf: AS_OF, layout: 'segment', engine });
  try {
    expect(run.report.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
    expect(await run.ids('xs')).toEqual(['u1']);
    expect(await run.ids('big')).toEqual(['u1']);
  } finally {
    await run.close();
  }
});

// "!!!" has no snake_case: no column can hold it, and the warning says so instead of naming an empty column.
it('a custom trait whose name has no letter or digit is null on the segment layout, with a warning that says why', async () => {
  const fixture = { identifies: [{ id: 'i1', user_id: 'u1', timestamp: '2024-05-01T00:00:00Z', traits: { plan: 'pro' } }] };
  const run = await runFixture(fixture, [userAudience(trait('exists', undefined, '"!!!"'), 'bangs')], { asOf: AS_OF, layout: 'segment' });
  try {
    expect(run.report.outcomes.map((o) => [o.status, o.warnings])).toEqual([['ok', [
      'trait "!!!": the name has no letter or digit, so no column of main.identifies holds it (Segment names columns by the snake_case of a trait\'s name); the trait is null',
    ]]]);
    expect(await run.ids('bangs')).toEqual([]);
  } finally {
    await run.close();
  }
});

// go-snakecase keeps ASCII letters and digits only: a name of none has no table to read.
it('an event whose name has no ASCII letter or digit warns that no table of it can be read', async () => {
  const fixture = { events: [{ id: 'e1', user_id: 'u1', event: 'Logged In', timestamp: '2024-05-01T00:00:00Z' }] };
  const run = await runFixture(fixture, ['kind: computed_trait\nkey: orders\nentity: user\ntype: event_counter\nevent: 注文完了'], { asOf: AS_OF, layout: 'segment' });
  try {
    expect(run.report.outcomes.map((o) => [o.status, o.warnings])).toEqual([['ok', [
      'event "注文完了": its name has no ASCII letter or digit, which Segment\'s table names are made of, so no table of it can be read; its events count as none',
    ]]]);
  } finally {
    await run.close();
  }
});

// An event named Identifies or Groups would have Segment's table of identify or group calls as its
// own: its table has no event_text to tell the calls apart, so each identify call counted as one.
it.each(ENGINES)('an event whose table would be Segment\'s table of other calls counts none, and says why (%s)', async (engine) => {
  const fixture = {
    identifies: [{ id: 'i1', user_id: 'u1', timestamp: '2024-05-01T00:00:00Z', traits: { plan: 'pro' } }],
    groups: [{ id: 'g1', user_id: 'u1', group_id: 'a1', timestamp: '2024-05-01T00:00:00Z', traits: { name: 'A' } }],
  };
  const counter = (key: string, event: string) => `kind: computed_trait\nkey: ${key}\nentity: user\ntype: event_counter\nevent: ${event}`;
  const run = await runFixture(fixture, [counter('n_identifies', 'Identifies'), counter('n_groups', 'groups')], { asOf: AS_OF, layout: 'segment', engine });
  try {
    expect(await run.values('n_identifies')).toEqual({});
    expect(await run.values('n_groups')).toEqual({});
    expect(run.report.outcomes.find((o) => o.key === 'n_identifies')?.warnings).toEqual([
      expect.stringMatching(/^event "Identifies": its table would be \w+\.identifies, which holds Segment's identifies of other calls, not track events; its events count as none$/),
    ]);
  } finally {
    await run.close();
  }
});

// A custom trait named as Segment names it reads the column go-snakecase writes, and compares as that column's type.
it.each(ENGINES)('a camelCase custom trait is compared as its column is sent; x_ reads column x (%s)', async (engine) => {
  const T = '2024-05-01T00:00:00Z';
  const fixture = { identifies: [
    { id: 'i1', user_id: 'u1', timestamp: T, traits: { nps_score: 10, x: 'v' } },
    { id: 'i2', user_id: 'u2', timestamp: T, traits: { nps_score: 9.5, x: 'w' } },
  ] };
  const run = await runFixture(fixture, [
    userAudience('trait: { key: npsScore, op: eq, value: "10" }', 'tens'),
    userAudience('trait: { key: x_, op: eq, value: v }', 'vs'),
  ], { asOf: AS_OF, layout: 'segment', engine });
  try {
    expect(run.report.outcomes.map((o) => [o.error, o.warnings])).toEqual([[undefined, []], [undefined, []]]);
    expect([await run.ids('tens'), await run.ids('vs')]).toEqual([['u1'], ['u1']]);
  } finally {
    await run.close();
  }
});

it('a property whose name has no ASCII letter or digit is null, with a warning saying why', async () => {
  const fixture = { events: [{ id: 'e1', user_id: 'u1', event: 'Logged In', timestamp: '2024-05-01T00:00:00Z' }] };
  const run = await runFixture(fixture, ['kind: computed_trait\nkey: price\nentity: user\ntype: first\nevent: Logged In\nproperty: 価格'], { asOf: AS_OF, layout: 'segment' });
  try {
    expect(run.report.outcomes.map((o) => [o.status, o.warnings])).toEqual([['ok', [
      'property "価格" of "Logged In": its name has no ASCII letter or digit, which Segment\'s column names are made of, so no column of it can be read; its value is null',
    ]]]);
  } finally {
    await run.close();
  }
});

// Keys of up to 63 characters: the audience joins each trait under an alias made from its key,
// and Postgres keeps 63 bytes of a name, so two long keys sharing a start must not share one.
describe.each(ENGINES)('an audience over traits whose long keys share their first 61 characters, on %s', (engine) => {
  it('tells their values apart: u1 has 4 logins (u2 2), and the SQL trait gives u3 alone', async () => {
    const start = 'a'.repeat(61);
    const defs = [
      `kind: computed_trait\nkey: ${start}x1\nentity: user\ntype: event_counter\nevent: Logged In`,
      `kind: sql_trait\nkey: ${start}s1\nentity: user\nsql: SELECT DISTINCT user_id, 1 AS ${start}s1 FROM {{source "identifies"}} WHERE user_id = 'u3'`,
      userAudience(`any:\n    - ${trait('gte', '3', `${start}x1`)}\n    - ${trait('gte', '1', `${start}s1`)}`, `${start}au`),
    ];
    expect(await members(engine, 'segment', defs, `${start}au`)).toEqual(['u1', 'u3']);
  });
});
