import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/definitions/graph.js';
import { runProject } from '../../src/run/run-project.js';
import { definitions, ENGINES, fixtureWarehouse, project, runFixture, type DefinitionInput } from '../support/harness.js';
import { indentedLines, displayWidth } from '../../src/support/terminal-text.js';
import { AS_OF, world } from './world.js';

const sqlTrait = (key: string, entity: string, sql: string, traits?: string[]): DefinitionInput => ({
  kind: 'sql_trait', key, entity, sql, ...(traits ? { traits } : {}),
});

async function run(defs: DefinitionInput[], layout: 'segment' | 'events_json' = 'segment') {
  return runFixture(world, defs, { asOf: AS_OF, layout });
}

describe('SQL traits', () => {
  it.each(ENGINES)('a column returned in another case than declared (1 AS Score) is the declared column where the engine matches names so (%s)', async (engine) => {
    // DuckDB keeps the alias's case, Postgres folds it: the same SQL gives the same trait on both.
    const sql = 'SELECT User_Id, count(*) AS Logins FROM {{source "tracks"}} WHERE user_id IS NOT NULL AND event = \'logged_in\' AND "timestamp" <= {{as_of}} GROUP BY user_id';
    const r = await runFixture(world, [sqlTrait('logins', 'user', sql), 'kind: audience\nkey: loyal\nentity: user\nwhere: { trait: { key: logins, op: gte, value: 2 } }'], { asOf: AS_OF, engine });
    try {
      expect(r.report.outcomes.map((o) => [o.key, o.status, o.error])).toEqual([['logins', 'ok', undefined], ['loyal', 'ok', undefined]]);
      const rows = await r.rows('logins');
      expect(Object.keys(rows[0]).sort()).toEqual(['logins', 'user_id']);
      // Logins up to as_of: u1 e01-e04, u2 e05 and e08 (u3's is after as_of).
      expect(await r.values('logins')).toEqual({ u1: 4, u2: 2 });
      expect(await r.ids('loyal')).toEqual(['u1', 'u2']);
    } finally {
      await r.close();
    }
  });

  it('a user-level SQL trait reads the source through {{source}} and {{as_of}}, and audiences use its columns', async () => {
    // events up to as_of: u1 4 logins + 4 page views + 2 orders + 7 features = 17; u2 5; u3 3
    const events = sqlTrait('event_total', 'user',
      'SELECT user_id, count(*) AS event_total FROM {{source "tracks"}} WHERE user_id IS NOT NULL AND "timestamp" <= {{as_of}} GROUP BY user_id');
    const r = await run([events, 'kind: audience\nkey: busy\nentity: user\nwhere: { trait: { key: event_total, op: gt, value: 4 } }']);
    try {
      expect(r.report.ok).toBe(true);
      expect(await r.values('event_total')).toEqual({ u1: 17, u2: 5, u3: 3 });
      expect(await r.ids('busy')).toEqual(['u1', 'u2']);
    } finally {
      await r.close();
    }
  });

  it.each(ENGINES.flatMap((engine) => (['segment', 'events_json'] as const).map((layout) => [engine, layout] as const)))(
    'a layout table Segment has not created yet is read as empty through {{source}}, with a warning (%s, %s layout)', async (engine, layout) => {
      // No group call yet, so no groups table: both traits read no rows, and are computed.
      const fx = await fixtureWarehouse(world, layout, engine);
      try {
        await fx.wh.exec(`DROP TABLE ${fx.wh.dialect.qualify(fx.schema, 'groups')}`);
        const defs = definitions([sqlTrait('in_groups', 'account', 'SELECT g.group_id, count(*) AS in_groups FROM {{source "groups"}} AS g GROUP BY g.group_id'),
          sqlTrait('group_calls', 'user', 'SELECT user_id, count(*) AS group_calls FROM {{source "groups"}} GROUP BY user_id')]);
        const report = await runProject(project(defs, layout, { schema: fx.schema }, fx.state), buildGraph(defs), fx.wh, { asOf: new Date(AS_OF) });
        expect(report.outcomes.map((o) => [o.key, o.status])).toEqual([['group_calls', 'ok'], ['in_groups', 'ok']]);
        expect(report.outcomes.flatMap((o) => o.warnings ?? [])).toContain(`{{source "groups"}}: table ${fx.schema}.groups does not exist; read as empty`);
        for (const key of ['in_groups', 'group_calls']) expect(await fx.wh.query(`SELECT count(*) AS n FROM ${fx.wh.dialect.qualify(fx.state, key)}`)).toEqual([{ n: 0 }]);
      } finally {
        await fx.dispose();
      }
    });

  it.each(ENGINES)('a SQL trait returning bytes or an interval fails: their text differs by engine, so no message could carry them alike (%s)', async (engine) => {
    for (const [type, sql] of [['bytea', "CAST('abc' AS BYTEA)"], ['interval', "CAST('1 month 2 hours' AS INTERVAL)"]] as const) {
      const r = await runFixture(world, [sqlTrait('x', 'user', `SELECT 'u1' AS user_id, ${sql} AS x`)], { asOf: AS_OF, engine });
      try {
        const [outcome] = r.report.outcomes;
        expect(outcome.status).toBe('failed');
        expect(outcome.error).toMatch(new RegExp(`column x has type ${type === 'bytea' ? '(BLOB|bytea)' : 'interval'}; trait values must be scalar`, 'i'));
      } finally {
        await r.close();
      }
    }
  });

  it('Postgres: a SQL trait returning a domain over bytes or an interval fails as the type itself does', async () => {
    for (const [type, base] of [['bytea', "'abc'"], ['interval', "'1 day'"]] as const) {
      const r = await runFixture(world, [sqlTrait('x', 'user', 'SELECT user_id, x FROM {{source "wrapped"}}')], {
        asOf: AS_OF, engine: 'postgres',
        prepare: (schema) => [
          `CREATE DOMAIN ${schema}.wrapped_d AS ${type}`,
          `CREATE TABLE ${schema}.wrapped (user_id varchar, x ${schema}.wrapped_d)`,
          `INSERT INTO ${schema}.wrapped VALUES ('u1', CAST(${base} AS ${type}))`,
        ],
      });
      try {
        expect(r.report.outcomes[0]).toMatchObject({ status: 'failed', error: expect.stringContaining(`column x has type ${type}; trait values must be scalar`) });
      } finally {
        await r.close();
      }
    }
  });

  it.each(ENGINES)('a first over several events reads an interval property that only one event table has (%s)', async (engine) => {
    // Only logged_in has the column; order_completed's rows read it as null, of the same type.
    const first = 'kind: computed_trait\nkey: first_span\nentity: user\ntype: first\nevent: [Logged In, Order Completed]\nproperty: span';
    const r = await runFixture(world, [first], {
      asOf: AS_OF, engine,
      prepare: (schema) => [`ALTER TABLE ${schema}.logged_in ADD COLUMN span INTERVAL`, `UPDATE ${schema}.logged_in SET span = CAST('1 day' AS INTERVAL) WHERE id = 'e04'`],
    });
    try {
      expect(r.report.outcomes.map((o) => [o.key, o.status, o.error])).toEqual([['first_span', 'ok', undefined]]);
      const values = await r.values('first_span');
      expect(Object.keys(values)).toEqual(['u1']);
      // e04's 1 day, as the driver reads an interval: text from PGlite, an object from pg.
      if (engine === 'postgres') expect(['1 day', '{"days":1}']).toContain(typeof values.u1 === 'string' ? values.u1 : JSON.stringify(values.u1));
    } finally {
      await r.close();
    }
  });

  it.each(ENGINES)('a table that does not exist is an event table with no events yet: empty, with the columns of tracks and a warning (SPEC 3) (%s)', async (engine) => {
    // signed_up: the table of an event Segment has not seen yet. Counting its events gives no rows;
    // naming one of its properties fails, in the engine's words: roster cannot know its columns.
    const counted = sqlTrait('signups', 'user', 'SELECT user_id, count(*) AS signups FROM {{source "signed_up"}} WHERE "timestamp" <= {{as_of}} GROUP BY user_id');
    const property = sqlTrait('signup_plan', 'user', 'SELECT user_id, plan AS signup_plan FROM {{source "signed_up"}}');
    const r = await runFixture(world, [counted, property], { asOf: AS_OF, engine });
    try {
      const by = Object.fromEntries(r.report.outcomes.map((o) => [o.key, o]));
      expect(by.signups.status).toBe('ok');
      expect(by.signups.warnings).toEqual([expect.stringMatching(/^\{\{source "signed_up"\}\}: table \w+\.signed_up does not exist; read as an event table with no events yet \(the columns of tracks, no property columns\)$/)]);
      expect(await r.values('signups')).toEqual({});
      expect(by.signup_plan.status).toBe('failed');
      expect(by.signup_plan.error).toMatch(/plan/);
    } finally {
      await r.close();
    }
  });

  it.each(ENGINES)('an account SQL trait returning NULL::VARCHAR AS user_id makes accounts of its group_ids without associating anyone (%s)', async (engine) => {
    // The cast's alias names the column: the run reads it as an associating trait, as it is.
    const flagged = sqlTrait('flagged', 'account', "SELECT 'a9' AS group_id, NULL::VARCHAR AS user_id, 1 AS flagged UNION ALL SELECT 'a1', 'u9'::VARCHAR, 2");
    // Always true for a user: `none` holds for accounts with no users (a3's group call has no user_id).
    const unstaffed = 'kind: audience\nkey: unstaffed\nentity: account\nwhere: { users: none, where: { event: { name: Logged In, count: { gte: 0 } } } }';
    const r = await runFixture(world, [flagged, unstaffed], { asOf: AS_OF, engine });
    try {
      expect(r.report.outcomes.map((o) => [o.key, o.status, o.error])).toEqual([['flagged', 'ok', undefined], ['unstaffed', 'ok', undefined]]);
      expect(await r.values('flagged')).toEqual({ a1: 2, a9: 1 });
      expect(await r.ids('unstaffed')).toEqual(['a3', 'a9']);
    } finally {
      await r.close();
    }
  });

  it.each(ENGINES)('a CTE of the user\'s own named like a helper\'s does not take the place of {{source}} or {{state}} (%s)', async (engine) => {
    // The helpers read through CTEs wrapped around the user's query: signed_up does not exist (an
    // empty CTE stands in for it) and base is a SQL trait (its non-empty rows). A user CTE of the
    // same name, in any case, would shadow them inside the query.
    const source = sqlTrait('signups', 'user', [
      "WITH Roster_Source_signed_up AS (SELECT 'u9' AS user_id)",
      'SELECT s.user_id, count(*) AS signups FROM {{source "signed_up"}} AS s GROUP BY s.user_id',
      'UNION ALL SELECT user_id, 0 FROM roster_source_signed_up',
    ].join('\n'));
    const base = sqlTrait('base', 'user', "SELECT 'u1' AS user_id, 1 AS base UNION ALL SELECT 'u2', NULL");
    const state = sqlTrait('reader', 'user', [
      "WITH roster_state_base AS (SELECT 'u9' AS user_id, 5 AS base)",
      'SELECT b.user_id, b.base AS reader FROM {{state "base"}} AS b',
    ].join('\n'));
    const r = await runFixture(world, [source, base, state], { asOf: AS_OF, engine });
    try {
      expect(r.report.outcomes.map((o) => [o.key, o.status, o.error])).toEqual([['base', 'ok', undefined], ['signups', 'ok', undefined], ['reader', 'ok', undefined]]);
      expect(await r.values('signups')).toEqual({ u9: 0 });
      expect(await r.values('reader')).toEqual({ u1: 1 });
    } finally {
      await r.close();
    }
  });

  it.each(ENGINES)('a string literal compares with a SQL trait\'s double as Postgres writes it: 3, not DuckDB\'s 3.0 (%s)', async (engine) => {
    const t = sqlTrait('st', 'user', "SELECT 'u1' AS user_id, CAST(3 AS DOUBLE PRECISION) AS st UNION ALL SELECT 'u2', CAST(2.5 AS DOUBLE PRECISION) UNION ALL SELECT 'u3', CAST(30 AS DOUBLE PRECISION) UNION ALL SELECT 'u4', CAST(1e20 AS DOUBLE PRECISION)");
    const aud = (where: string) => `kind: audience\nkey: aud\nentity: user\nwhere: { trait: { key: st, op: ${where} } }`;
    for (const [where, expected] of [['eq, value: "3"', ['u1']], ['in, value: ["2.5", "30"]', ['u2', 'u3']], ['ends_with, value: "0"', ['u3', 'u4']], ['eq, value: "1e+20"', ['u4']], ['eq, value: 3', ['u1']]] as const) {
      const r = await runFixture(world, [t, aud(where)], { asOf: AS_OF, engine });
      try {
        expect(r.report.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
        expect(await r.ids('aud')).toEqual(expected);
      } finally {
        await r.close();
      }
    }
  });

  it.each(ENGINES)('a REAL is the number its text shows and a sum of BIGINTs is rounded to 12 digits, as on every engine (%s)', async (engine) => {
    // DuckDB's sum of BIGINT is a HUGEINT, Postgres's a NUMERIC; DuckDB's REAL 0.1 is 0.10000000149 as a double.
    const t = sqlTrait('t', 'user', "SELECT 'u1' AS user_id, CAST(0.1 AS REAL) AS r, sum(CAST(1234567890123 AS BIGINT)) AS s, count(*) AS n", ['r', 's', 'n']);
    const r = await runFixture(world, [t], { asOf: AS_OF, engine });
    try {
      expect(r.report.outcomes.map((o) => o.error)).toEqual([undefined]);
      expect(await r.rows('t')).toEqual([{ user_id: 'u1', r: 0.1, s: 1234567890120, n: 1 }]);
    } finally {
      await r.close();
    }
  });

  it.each(ENGINES)('first / last of a REAL property store the number its text shows (%s)', async (engine) => {
    const fx = await fixtureWarehouse({
      events: [{ id: 'e1', user_id: 'u1', event: 'Measured', timestamp: '2024-05-01T00:00:00Z', props: { size: 0.5 } }],
    }, 'segment', engine);
    try {
      const measured = fx.wh.dialect.qualify(fx.schema, 'measured');
      await fx.wh.exec(`ALTER TABLE ${measured} ALTER COLUMN size TYPE REAL`);
      await fx.wh.exec(`UPDATE ${measured} SET size = CAST(0.1 AS REAL)`);
      const defs = definitions(['kind: computed_trait\nkey: size\nentity: user\ntype: last\nevent: Measured\nproperty: size']);
      const report = await runProject(project(defs, 'segment', { schema: fx.schema }, fx.state), buildGraph(defs), fx.wh, { asOf: new Date(AS_OF) });
      expect(report.outcomes.map((o) => o.error)).toEqual([undefined]);
      expect(await fx.wh.query(`SELECT user_id, size FROM ${fx.wh.dialect.qualify(fx.state, 'size')}`)).toEqual([{ user_id: 'u1', size: 0.1 }]);
    } finally {
      await fx.dispose();
    }
  });

  it.each(ENGINES)('a DECIMAL of scale 26 or more is rounded to 12 significant digits like any number (%s)', async (engine) => {
    // DECIMAL(38,30) holds no 10^12, the magnitude past which a rounding is warned of: that test
    // must not cast 10^12 to the column's type (DuckDB did, and failed the trait).
    const small = sqlTrait('d', 'user', [
      "SELECT 'u1' AS user_id, CAST('0.00000000000012345678901249' AS DECIMAL(38,30)) AS d",
      "UNION ALL SELECT 'u2', CAST('-1.5' AS DECIMAL(38,30))",
    ].join(' '));
    const r = await runFixture(world, [small], { asOf: AS_OF, engine });
    try {
      expect(r.report.outcomes.map((o) => o.error)).toEqual([undefined]);
      const values = Object.entries(await r.values('d')).map(([id, v]) => [id, Number(v)]);
      expect(Object.fromEntries(values)).toEqual({ u1: 1.23456789012e-13, u2: -1.5 });
      expect(r.report.outcomes[0].warnings).toEqual([]);
    } finally {
      await r.close();
    }
  });

  it.each(ENGINES)('a BIGINT is rounded to 12 significant digits and stays whole, from a SQL trait or a property (%s)', async (engine) => {
    const big = sqlTrait('b', 'user', [
      "SELECT 'u1' AS user_id, CAST(1234567890123 AS BIGINT) AS b",
      "UNION ALL SELECT 'u2', CAST(-9223372036854775807 AS BIGINT) - 1", // the smallest BIGINT
      "UNION ALL SELECT 'u3', CAST(999999999999 AS BIGINT)", // 12 digits: as it is
      "UNION ALL SELECT 'u5', CAST(999999999999500 AS BIGINT)", // rounds up to a 13th digit
    ].join(' '));
    const r = await runFixture(world, [big], { asOf: AS_OF, engine });
    try {
      expect(r.report.outcomes.map((o) => o.error)).toEqual([undefined]);
      // past 2^53 the reader gives the whole number's digits as text: the double nearest -9.22337203685e18
      const values = Object.entries(await r.values('b')).map(([id, v]) => [id, Number(v)]);
      expect(Object.fromEntries(values)).toEqual({ u1: 1234567890120, u2: -9.22337203685e18, u3: 999999999999, u5: 1000000000000000 });
      // An id returned as a number loses digits without a word: the run says so, with the smallest such value.
      expect(r.report.outcomes[0].warnings).toEqual(['column b: -9223372036854775808 has more than 12 significant digits, so it is stored and sent as -9223372036850000000'
        + ' (roster keeps numbers to 12); if it is an id, return it as text (CAST(... AS VARCHAR)) to keep every digit']);
    } finally {
      await r.close();
    }
    const fx = await fixtureWarehouse({
      events: [
        { id: 'e1', user_id: 'u1', event: 'Measured', timestamp: '2024-05-01T00:00:00Z', props: { size: 1 } },
        { id: 'e2', user_id: 'u1', event: 'Measured', timestamp: '2024-05-02T00:00:00Z', props: { size: 2 } },
      ],
    }, 'segment', engine);
    try {
      const measured = fx.wh.dialect.qualify(fx.schema, 'measured');
      await fx.wh.exec(`ALTER TABLE ${measured} ALTER COLUMN size TYPE BIGINT`);
      await fx.wh.exec(`UPDATE ${measured} SET size = CASE WHEN id = 'e1' THEN 1717200000123 ELSE 1717200000124 END`);
      const defs = definitions([
        'kind: computed_trait\nkey: size\nentity: user\ntype: last\nevent: Measured\nproperty: size',
        'kind: computed_trait\nkey: sizes\nentity: user\ntype: unique_list\nevent: Measured\nproperty: size',
      ]);
      const report = await runProject(project(defs, 'segment', { schema: fx.schema }, fx.state), buildGraph(defs), fx.wh, { asOf: new Date(AS_OF) });
      expect(report.outcomes.map((o) => o.error)).toEqual([undefined, undefined]);
      const stored = async (key: string) => fx.wh.query(`SELECT user_id, ${key} AS v FROM ${fx.wh.dialect.qualify(fx.state, key)}`);
      expect(await stored('size')).toEqual([{ user_id: 'u1', v: 1717200000120 }]);
      // both round to one value, sent as the number is
      expect(await stored('sizes')).toEqual([{ user_id: 'u1', v: ['1717200000120'] }]);
    } finally {
      await fx.dispose();
    }
  });

  it.each(ENGINES)('a SQL trait returning ids as numbers: they are user ids as text, read with the others (%s)', async (engine) => {
    const num = sqlTrait('num', 'user', 'SELECT 7 AS user_id, 1 AS num UNION ALL SELECT 8, 2');
    const everyone = 'kind: audience\nkey: everyone\nentity: user\nwhere: { not: { trait: { key: plan, op: eq, value: nope } } }';
    const both = 'kind: audience\nkey: both\nentity: user\nwhere: { all: [{ trait: { key: num, op: gte, value: 1 } }, { trait: { key: plan, op: eq, value: pro } }] }';
    const high = 'kind: audience\nkey: high\nentity: user\nwhere: { trait: { key: num, op: gte, value: 2 } }';
    // Doubles too: a whole one is the integer's text on every engine ('7', not DuckDB's '7.0').
    const dbl = sqlTrait('dbl', 'user', 'SELECT CAST(7 AS DOUBLE PRECISION) AS user_id, 3 AS dbl UNION ALL SELECT 7.5, 4');
    const r = await runFixture(world, [num, dbl, everyone, both, high], { asOf: AS_OF, engine });
    try {
      expect(r.report.outcomes.map((o) => o.error)).toEqual([undefined, undefined, undefined, undefined, undefined]);
      expect(await r.values('num')).toEqual({ 7: 1, 8: 2 });
      expect(await r.values('dbl')).toEqual({ 7: 3, '7.5': 4 });
      expect(await r.ids('everyone')).toEqual(expect.arrayContaining(['7', '8', 'u1']));
      expect(await r.ids('both')).toEqual([]);
      expect(await r.ids('high')).toEqual(['8']);
    } finally {
      await r.close();
    }
  });

  it.each(ENGINES)('a unique_list of a DECIMAL property holds each number as it is sent: no trailing zeros, rounded to 12 digits (%s)', async (engine) => {
    const sizes = ['1.50', '2.00', '2.25', '0.00', '-3.10', '1234567890123.45'];
    const fx = await fixtureWarehouse({
      events: sizes.map((_, i) => ({ id: `e${i}`, user_id: 'u1', event: 'Measured', timestamp: '2024-05-01T00:00:00Z', props: { size: i } })),
    }, 'segment', engine);
    try {
      const measured = fx.wh.dialect.qualify(fx.schema, 'measured');
      await fx.wh.exec(`ALTER TABLE ${measured} ALTER COLUMN size TYPE DECIMAL(18,2)`);
      await fx.wh.exec(`UPDATE ${measured} SET size = CASE id ${sizes.map((v, i) => `WHEN 'e${i}' THEN CAST('${v}' AS DECIMAL(18,2))`).join(' ')} END`);
      const defs = definitions([
        'kind: computed_trait\nkey: sizes\nentity: user\ntype: unique_list\nevent: Measured\nproperty: size',
        'kind: audience\nkey: has_one_and_a_half\nentity: user\nwhere: { trait: { key: sizes, op: contains, value: "1.5" } }',
      ]);
      const report = await runProject(project(defs, 'segment', { schema: fx.schema }, fx.state), buildGraph(defs), fx.wh, { asOf: new Date(AS_OF) });
      expect(report.outcomes.map((o) => o.error)).toEqual([undefined, undefined]);
      // As a first or last of the property would send them (1.5, 2, 0), sorted by code point.
      const stored = await fx.wh.query(`SELECT user_id, sizes FROM ${fx.wh.dialect.qualify(fx.state, 'sizes')}`);
      expect(stored).toEqual([{ user_id: 'u1', sizes: ['-3.1', '0', '1.5', '1234567890120', '2', '2.25'] }]);
      expect(await fx.wh.query(`SELECT user_id FROM ${fx.wh.dialect.qualify(fx.state, 'has_one_and_a_half')}`)).toEqual([{ user_id: 'u1' }]);
    } finally {
      await fx.dispose();
    }
  });

  it.each(ENGINES)('a DECIMAL value is a number rounded to 12 significant digits, like any other (%s)', async (engine) => {
    const dec = sqlTrait('x', 'user', "SELECT 'u1' AS user_id, CAST(12345678901234.5678 AS DECIMAL(18,4)) AS x UNION ALL SELECT 'u2', CAST(0.1234567890123456 AS DECIMAL(18,16))");
    const r = await runFixture(world, [dec], { asOf: AS_OF, engine });
    try {
      expect(r.report.outcomes[0]).toMatchObject({ status: 'ok' });
      expect(await r.values('x')).toEqual({ u1: 12345678901200, u2: 0.123456789012 });
    } finally {
      await r.close();
    }
  });

  const NOT_FINITE: [string, 'duckdb' | 'postgres', string, string][] = [
    ...ENGINES.map((engine): [string, 'duckdb' | 'postgres', string, string] => ['a double', engine,
      "SELECT 'u1' AS user_id, CAST('Infinity' AS DOUBLE PRECISION) AS x UNION ALL SELECT 'u2', CAST('NaN' AS DOUBLE PRECISION) UNION ALL SELECT 'u3', 1.5", '"u1" (column x), "u2" (column x)']),
    ...ENGINES.map((engine): [string, 'duckdb' | 'postgres', string, string] => ['a timestamp', engine,
      "SELECT 'u1' AS user_id, CAST('infinity' AS TIMESTAMP) AS x UNION ALL SELECT 'u2', CAST('-infinity' AS TIMESTAMP) UNION ALL SELECT 'u3', CAST('2024-01-01' AS TIMESTAMP)", '"u1" (column x), "u2" (column x)']),
    ['a NUMERIC', 'postgres', "SELECT 'u1' AS user_id, CAST('NaN' AS NUMERIC) AS x UNION ALL SELECT 'u3', CAST(1.5 AS NUMERIC)", '"u1" (column x)'],
    // 1 BC: DuckDB would write year 0000, Postgres 0001 BC; ISO-8601's four digits hold 0001 to 9999.
    ...ENGINES.map((engine): [string, 'duckdb' | 'postgres', string, string] => ['a timestamp before year 1', engine,
      "SELECT 'u1' AS user_id, CAST('0001-01-01' AS TIMESTAMP) - INTERVAL '1 day' AS x UNION ALL SELECT 'u3', CAST('2024-01-01' AS TIMESTAMP)", '"u1" (column x)']),
    // Beyond what a DuckDB TIMESTAMP holds: the same message, not a conversion error.
    ...ENGINES.map((engine): [string, 'duckdb' | 'postgres', string, string] => ['a date in year 5000000', engine,
      "SELECT 'u1' AS user_id, CAST('5000000-01-01' AS DATE) AS x UNION ALL SELECT 'u3', CAST('2024-01-01' AS DATE)", '"u1" (column x)']),
    // Past a double's range: SPEC 3 computes numbers as doubles, so no message could carry it (it was stored or sent as null).
    ['a NUMERIC of 1e400', 'postgres', "SELECT 'u1' AS user_id, CAST('1e400' AS NUMERIC) AS x UNION ALL SELECT 'u3', CAST(1.5 AS NUMERIC)", '"u1" (column x)'],
    ['a VARINT of 401 digits', 'duckdb', "SELECT 'u1' AS user_id, CAST('1' || repeat('0', 400) AS VARINT) AS x UNION ALL SELECT 'u3', CAST(15 AS VARINT)", '"u1" (column x)'],
  ];
  it.each(NOT_FINITE)('%s that is not finite (Infinity, NaN, year 0) stops the definition: no message could carry it (%s)', async (_, engine, sql, ids) => {
    const r = await runFixture(world, [sqlTrait('x', 'user', sql)], { asOf: AS_OF, engine });
    try {
      expect(r.report.outcomes[0]).toMatchObject({
        status: 'failed', error: `a value is not a finite number or timestamp (Infinity, NaN, a number past a double's range such as 1e400, or a year outside 0001–9999), which a Segment message cannot carry, for ${ids}`,
      });
    } finally {
      await r.close();
    }
  });

  it.each(ENGINES)('the message names the column of a value that is not finite, among several (%s)', async (engine) => {
    const sql = "SELECT 'u1' AS user_id, 1.5 AS a, CAST('NaN' AS DOUBLE PRECISION) AS b UNION ALL SELECT 'u2', CAST('Infinity' AS DOUBLE PRECISION), 2.5";
    const r = await runFixture(world, [sqlTrait('x', 'user', sql, ['a', 'b'])], { asOf: AS_OF, engine });
    try {
      expect(r.report.outcomes[0].error).toMatch(/cannot carry, for "u1" \(column b\), "u2" \(column a\)$/);
    } finally {
      await r.close();
    }
  });

  it('a DuckDB PIVOT, which DuckDB runs as several statements, fails with a way around it', async () => {
    const r = await run([sqlTrait('x', 'user', "SELECT user_id, x FROM (PIVOT (SELECT 'u1' AS user_id, 'x' AS k, 1 AS v) ON k USING first(v))")]);
    try {
      expect(r.report.outcomes[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('DuckDB runs this statement as several, as it does PIVOT: write the query without it, e.g. with GROUP BY and FILTER') });
    } finally {
      await r.close();
    }
  });

  it('a SQL trait that changes a Postgres session setting does not change it for the definitions after it', async () => {
    const evil = sqlTrait('evil', 'user', "SELECT 'u1' AS user_id, set_config('TimeZone', 'Asia/Tokyo', false) AS evil");
    const after = sqlTrait('after', 'user', "SELECT user_id, current_setting('TimeZone') AS after FROM {{state \"evil\"}}");
    const r = await runFixture(world, [evil, after], { asOf: AS_OF, engine: 'postgres' });
    try {
      expect(r.report.ok).toBe(true);
      expect(await r.values('evil')).toEqual({ u1: 'Asia/Tokyo' });
      expect(await r.values('after')).toEqual({ u1: 'UTC' });
    } finally {
      await r.close();
    }
  });

  it('{{state}} reads this run\'s result of another definition', async () => {
    const logins = 'kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In';
    const doubled = sqlTrait('doubled', 'user', 'SELECT user_id, logins * 2 AS doubled FROM {{state "logins"}}');
    const r = await run([logins, doubled]);
    try {
      expect(await r.values('doubled')).toEqual({ u1: 8, u2: 4 });
    } finally {
      await r.close();
    }
  });

  it.each(ENGINES)('{{state}} of a SQL trait gives its non-empty rows only; a row of nulls still makes its id a user (%s)', async (engine) => {
    const maybe = sqlTrait('maybe', 'user', "SELECT 'u1' AS user_id, 1 AS a, CAST(NULL AS VARCHAR) AS b UNION ALL SELECT 'u77', NULL, NULL", ['a', 'b']);
    const reader = sqlTrait('reader', 'user', "SELECT user_id, coalesce(CAST(a AS VARCHAR), 'none') AS reader FROM {{state \"maybe\"}}");
    const noLogins = 'kind: audience\nkey: no_logins\nentity: user\nwhere: { event: { name: Logged In, count: { eq: 0 } } }';
    const r = await runFixture(world, [maybe, reader, noLogins], { asOf: AS_OF, engine });
    try {
      expect(r.report.ok).toBe(true);
      expect(await r.values('reader')).toEqual({ u1: '1' });
      // users: u1, u2, u3 (events), u5 (group call), u6 (identify), u77 (maybe); u3's login is after as_of.
      expect(await r.ids('no_logins')).toEqual(['u3', 'u5', 'u6', 'u77']);
    } finally {
      await r.close();
    }
  });

  it.each(ENGINES)('ids a SQL trait returns through {{state}} count as users and accounts when no audience is upstream of it (%s)', async (engine) => {
    const logins = 'kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In';
    const extra = sqlTrait('extra', 'user', "SELECT user_id, 1 AS extra FROM {{state \"logins\"}} UNION ALL SELECT 'u99', 2");
    const hasExtra = 'kind: audience\nkey: has_extra\nentity: user\nwhere: { trait: { key: extra, op: exists } }';
    const noLogins = 'kind: audience\nkey: no_logins\nentity: user\nwhere: { event: { name: Logged In, count: { eq: 0 } } }';
    const base = sqlTrait('base', 'account', "SELECT 'a1' AS group_id, 1 AS base");
    const later = sqlTrait('later', 'account', 'SELECT \'z9\' AS group_id, 1 AS later FROM {{state "base"}}');
    const nobody = 'kind: audience\nkey: nobody\nentity: account\nwhere:\n  users: none\n  where: { event: { name: Logged In } }';
    const r = await runFixture(world, [logins, extra, hasExtra, noLogins, base, later, nobody], { asOf: AS_OF, engine });
    try {
      expect(r.report.ok).toBe(true);
      // logins up to as_of: u1 4, u2 2; extra adds u99, so u99 is a user (SPEC 3).
      expect(await r.ids('has_extra')).toEqual(['u1', 'u2', 'u99']);
      // users: u1, u2, u3 (events), u5 (group call), u6 (identify), u99 (extra); u3's login is after as_of.
      expect(await r.ids('no_logins')).toEqual(['u3', 'u5', 'u6', 'u99']);
      // accounts: a1 {u1, u2}, a2 {u2, u3}, a3 and z9 without users; a4 only after as_of.
      expect(await r.ids('nobody')).toEqual(['a3', 'z9']);
    } finally {
      await r.close();
    }
  });

  it.each(ENGINES)('an associating SQL trait reading user-level state runs before account audiences, and passthroughs see its users (%s)', async (engine) => {
    const logins = 'kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In';
    const assoc = sqlTrait('assoc', 'account', "SELECT 'a3' AS group_id, user_id, 1 AS assoc FROM {{state \"logins\"}} UNION ALL SELECT 'a3', 'u99', 1");
    const software = 'kind: audience\nkey: software\nentity: account\nwhere: { trait: { key: industry, op: eq, value: Software } }';
    const inSoftware = 'kind: audience\nkey: in_software\nentity: user\nwhere: { audience: { key: software } }';
    const r = await runFixture(world, [logins, assoc, software, inSoftware], { asOf: AS_OF, engine });
    try {
      expect(r.report.ok).toBe(true);
      expect(r.report.outcomes.map((o) => o.key)).toEqual(['logins', 'assoc', 'software', 'in_software']);
      // a1 (Software) = {u1, u2, u5}; a2 is Finance as of then; a3 (Software) = {u1, u2, u99} through assoc.
      expect(await r.ids('software')).toEqual(['a1', 'a3']);
      expect(await r.ids('in_software')).toEqual(['u1', 'u2', 'u5', 'u99']);
    } finally {
      await r.close();
    }
  });

  it('an account SQL trait returning group_id + user_id associates users with accounts, many to many', async () => {
    // u6 (plan enterprise) is associated with a new account a9, and u1 also with a2; a8 has no one.
    const assoc = sqlTrait('crm_accounts', 'account', [
      "SELECT 'a9' AS group_id, 'u6' AS user_id, 'gold' AS tier",
      "UNION ALL SELECT 'a2', 'u1', 'silver'",
      "UNION ALL SELECT 'a8', NULL, 'bronze'",
    ].join('\n'), ['tier']);
    const enterprise = 'kind: audience\nkey: has_enterprise_user\nentity: account\nwhere:\n  users: any\n  where: { trait: { key: plan, op: eq, value: enterprise } }';
    const logins = 'kind: computed_trait\nkey: logins\nentity: account\ntype: event_counter\nevent: Logged In';
    const everyone = 'kind: audience\nkey: all_accounts\nentity: account\nwhere: { not: { trait: { key: tier, op: eq, value: none } } }';
    const r = await run([assoc, enterprise, logins, everyone]);
    try {
      expect(r.report.ok).toBe(true);
      expect(await r.ids('has_enterprise_user')).toEqual(['a9']);
      // a2 = {u2, u3} + u1 now: u1 4 + u2 2 = 6 logins up to as_of; a1 = u1 4 + u2 2 + u5 0
      expect(await r.values('logins')).toEqual({ a1: 6, a2: 6 });
      // accounts from SQL traits count as accounts, even without users (a8)
      expect(await r.ids('all_accounts')).toEqual(['a1', 'a2', 'a3', 'a8', 'a9']);
    } finally {
      await r.close();
    }
  });

  it.each(ENGINES)('a SQL trait keeps each id once: a repeated row once, rows of ids that do not repeat as returned, and changes one per id (%s)', async (engine) => {
    // twice: u1's row twice (as a join can return it), u2's once. once: every id on one row,
    // the case the run checks without a DISTINCT over whole rows. accounts: a3 repeated per member.
    const twice = sqlTrait('twice', 'user', "SELECT 'u1' AS user_id, 'a' AS twice UNION ALL SELECT 'u1', 'a' UNION ALL SELECT 'u2', 'b'");
    const once = sqlTrait('once', 'user', "SELECT 'u1' AS user_id, 1 AS n, 'x' AS s UNION ALL SELECT 'u2', 2, CAST(NULL AS VARCHAR) UNION ALL SELECT 'u3', CAST(NULL AS INTEGER), CAST(NULL AS VARCHAR)", ['n', 's']);
    const accounts = sqlTrait('tiers', 'account', "SELECT 'a3' AS group_id, 'u5' AS user_id, 'gold' AS tier UNION ALL SELECT 'a3', 'u6', 'gold' UNION ALL SELECT 'a9', 'u6', 'tin'", ['tier']);
    const r = await runFixture(world, [twice, once, accounts], { asOf: AS_OF, engine });
    try {
      expect(r.report.ok).toBe(true);
      expect(await r.values('twice')).toEqual({ u1: 'a', u2: 'b' });
      const onceRows = (await r.rows('once')).map((x) => [x.user_id, x.n === null ? null : Number(x.n), x.s]).sort();
      expect(onceRows).toEqual([['u1', 1, 'x'], ['u2', 2, null], ['u3', null, null]]);
      const changed = Object.fromEntries(r.report.outcomes.map((o) => [o.key, o.emission?.changed]));
      // A first run: one change per id with a value (u3 has none), one per account.
      expect(changed).toEqual({ twice: 2, once: 2, tiers: 2 });
    } finally {
      await r.close();
    }
  });

  it.each(ENGINES)('an account SQL trait whose SELECT list does not name its columns (SELECT *) is taken as associating: its users count (%s)', async (engine) => {
    // Its text never says user_id; the table it reads has one. Taken for not associating, the
    // audience would run without u6 and fail to see a9 at all.
    const assoc = sqlTrait('crm', 'account', 'SELECT * FROM {{source "crm_accounts"}}', ['tier']);
    const enterprise = 'kind: audience\nkey: has_enterprise_user\nentity: account\nwhere:\n  users: any\n  where: { trait: { key: plan, op: eq, value: enterprise } }';
    const r = await runFixture(world, [assoc, enterprise], {
      asOf: AS_OF, engine,
      prepare: (schema) => [
        `CREATE TABLE ${schema}.crm_accounts (group_id VARCHAR(10), user_id VARCHAR(10), tier VARCHAR(10))`,
        `INSERT INTO ${schema}.crm_accounts VALUES ('a9', 'u6', 'gold')`,
      ],
    });
    try {
      expect(r.report.outcomes.map((o) => [o.key, o.status, o.depth])).toEqual([['crm', 'ok', 0], ['has_enterprise_user', 'ok', 1]]);
      expect(await r.ids('has_enterprise_user')).toEqual(['a9']);
    } finally {
      await r.close();
    }
  });

  it.each([
    ['no id column', "SELECT 1 AS x", 'returns no user_id column'],
    ['a missing trait column', "SELECT 'u1' AS user_id", 'trait column x missing'],
    ['an extra column', "SELECT 'u1' AS user_id, 1 AS x, 2 AS y", 'unexpected column y'],
    ['columns of its own and no traits:', "SELECT 'u1' AS user_id, 1 AS a, 2 AS b", 'trait column x missing from the result (traits: is [x] when not given); to keep the columns it returns, declare them: traits: [a, b]'],
    ['a column selected twice (DuckDB names the second x_1)', "SELECT 'u1' AS user_id, 1 AS x, 2 AS x", 'unexpected column x_1 (declare trait columns in traits:; is x selected twice? the engine named the second one so)'],
    ['a group_id on a user-level trait', "SELECT 'u1' AS user_id, 'a1' AS group_id, 1 AS x", 'the query returns group_id, which a user-level SQL trait does not (one keyed by group_id is entity: account)'],
    ['a null id', "SELECT NULL::VARCHAR AS user_id, 1 AS x", 'has a null or empty user_id'],
    ['an empty id', "SELECT '' AS user_id, 1 AS x UNION ALL SELECT 'u1', 2", '1 row has a null or empty user_id'],
    ['conflicting values', "SELECT 'u1' AS user_id, 1 AS x UNION ALL SELECT 'u1', 2", 'conflicting values for one id: "u1"'],
    ['a non-scalar column', "SELECT 'u1' AS user_id, [1, 2] AS x", 'must be scalar'],
    ['a fixed-size array column', "SELECT 'u1' AS user_id, CAST([1, 2] AS INTEGER[2]) AS x", 'column x has type INTEGER[2]; trait values must be scalar'],
    ['a statement that is not a query', 'DELETE FROM main.tracks', 'syntax error'],
    ['a second statement', 'SELECT \'u1\' AS user_id, 1 AS x; DROP TABLE main.tracks', 'syntax error'],
    ['a column of a source table that does not exist', 'SELECT user_id, plan AS x FROM {{source "signed_up"}}', 'plan'],
  ])('a SQL trait with %s stops that definition and its dependents only', async (_, sql, message) => {
    const bad = sqlTrait('x', 'user', sql);
    const dependent = 'kind: audience\nkey: uses_x\nentity: user\nwhere: { trait: { key: x, op: eq, value: 1 } }';
    const unrelated = 'kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In';
    // A user audience that does not name x still sees x's users (SPEC 3): it is stopped too, and told why.
    const everyone = 'kind: audience\nkey: everyone\nentity: user\nwhere: { event: { name: Logged In, count: { gte: 0 } } }';
    // One that can only hold for users with events never looks at x's users: it runs.
    const loggers = 'kind: audience\nkey: loggers\nentity: user\nwhere: { event: { name: Logged In } }';
    // One on another SQL trait's column reads that trait's rows, which are users whatever x does: it runs.
    const good = sqlTrait('good', 'user', "SELECT 'u1' AS user_id, 1 AS good UNION ALL SELECT 'u3', 2");
    const usesGood = 'kind: audience\nkey: uses_good\nentity: user\nwhere: { trait: { key: good, op: eq, value: 1 } }';
    // Stopped by uses_x, which was not run: that is what it says, not that uses_x failed.
    const chained = 'kind: audience\nkey: uses_uses_x\nentity: user\nwhere: { audience: { key: uses_x } }';
    const r = await run([bad, dependent, unrelated, everyone, loggers, good, usesGood, chained]);
    try {
      const by = Object.fromEntries(r.report.outcomes.map((o) => [o.key, o]));
      expect(by.x.status).toBe('failed');
      expect(by.x.error?.toLowerCase()).toContain(message.toLowerCase());
      expect(by.uses_x.status).toBe('skipped');
      expect(by.uses_x.error).toBe('not run: x failed');
      expect(by.uses_uses_x).toMatchObject({ status: 'skipped', error: 'not run: uses_x was not run' });
      expect(by.everyone).toMatchObject({ status: 'skipped', error: 'not run: x failed (its user_ids count as users)' });
      expect(by.logins.status).toBe('ok');
      expect(by.loggers).toMatchObject({ status: 'ok', depth: 0 });
      expect(await r.ids('loggers')).toEqual(['u1', 'u2']);
      expect(by.uses_good).toMatchObject({ status: 'ok', depth: 1 });
      expect(await r.ids('uses_good')).toEqual(['u1']);
      expect(r.report.ok).toBe(false);
      expect(await r.values('logins')).toEqual({ u1: 4, u2: 2 });
      // nothing the trait tried to do reached the source
      expect(await r.rows('logins')).toHaveLength(2);
    } finally {
      await r.close();
    }
  });
});

describe('failures and selection', () => {
  it('a definition reading a missing event table gets no events and a warning, not an error', async () => {
    const t = 'kind: computed_trait\nkey: signups\nentity: user\ntype: event_counter\nevent: Signed Up';
    const a = 'kind: audience\nkey: never_signed_up\nentity: user\nwhere: { event: { name: Signed Up, count: { eq: 0 } } }';
    const r = await run([t, a]);
    try {
      expect(r.report.ok).toBe(true);
      expect(await r.values('signups')).toEqual({});
      expect(await r.ids('never_signed_up')).toEqual(['u1', 'u2', 'u3', 'u5', 'u6']);
      expect(r.report.outcomes.find((o) => o.key === 'signups')?.warnings.join()).toContain('main.signed_up does not exist');
    } finally {
      await r.close();
    }
  });

  it.each(ENGINES.flatMap((engine) => (['fused', 'standalone'] as const).map((strategy) => [engine, strategy] as const)))(
    'events_json without its events table: no events and a warning, not an error (%s, %s)', async (engine, strategy) => {
      const fx = await fixtureWarehouse(world, 'events_json', engine);
      try {
        await fx.wh.exec(`DROP TABLE ${fx.wh.dialect.qualify(fx.schema, 'events')}`);
        const defs = definitions([
          'kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In',
          'kind: computed_trait\nkey: last_page\nentity: account\ntype: last\nevent: Page Viewed\nproperty: path',
          'kind: audience\nkey: never_logged_in\nentity: user\nwhere: { event: { name: Logged In, count: { eq: 0 } } }',
        ]);
        const report = await runProject(project(defs, 'events_json', { schema: fx.schema }, fx.state), buildGraph(defs), fx.wh, { asOf: new Date(AS_OF), strategy });
        expect(report.outcomes.map((o) => [o.key, o.status])).toEqual([['last_page', 'ok'], ['logins', 'ok'], ['never_logged_in', 'ok']]);
        expect(report.outcomes.find((o) => o.key === 'logins')!.warnings).toEqual([`event "Logged In": table ${fx.schema}.events does not exist; no such events yet`]);
        const ids = async (key: string, id: string) => (await fx.wh.query(`SELECT ${id} AS id FROM ${fx.wh.dialect.qualify(fx.state, key)} ORDER BY 1`)).map((r) => r.id);
        expect(await ids('logins', 'user_id')).toEqual([]);
        expect(await ids('last_page', 'group_id')).toEqual([]);
        // Users still come from identify and group calls.
        expect(await ids('never_logged_in', 'user_id')).toEqual(['u1', 'u2', 'u3', 'u5', 'u6']);
      } finally {
        await fx.dispose();
      }
    });

  it.each(ENGINES.flatMap((engine) => (['fused', 'standalone'] as const).map((strategy) => [engine, strategy] as const)))(
    'events_json without identifies and groups: custom traits are null with a warning, not an error (%s, %s)', async (engine, strategy) => {
      const fx = await fixtureWarehouse(world, 'events_json', engine);
      try {
        for (const table of ['identifies', 'groups']) await fx.wh.exec(`DROP TABLE ${fx.wh.dialect.qualify(fx.schema, table)}`);
        const defs = definitions([
          'kind: audience\nkey: admins\nentity: user\nwhere: { trait: { key: role, op: eq, value: admin } }',
          'kind: audience\nkey: no_role\nentity: user\nwhere: { trait: { key: role, op: not_exists } }',
          'kind: audience\nkey: pro\nentity: account\nwhere: { trait: { key: plan, op: eq, value: pro } }',
        ]);
        const report = await runProject(project(defs, 'events_json', { schema: fx.schema }, fx.state), buildGraph(defs), fx.wh, { asOf: new Date(AS_OF), strategy });
        expect(report.outcomes.map((o) => [o.key, o.status])).toEqual([['admins', 'ok'], ['no_role', 'ok'], ['pro', 'ok']]);
        expect(report.outcomes.find((o) => o.key === 'admins')!.warnings).toContain(`trait "role": table ${fx.schema}.identifies does not exist; treated as empty`);
        const ids = async (key: string, id: string) => (await fx.wh.query(`SELECT ${id} AS id FROM ${fx.wh.dialect.qualify(fx.state, key)} ORDER BY 1`)).map((r) => r.id);
        expect(await ids('admins', 'user_id')).toEqual([]);
        expect(await ids('pro', 'group_id')).toEqual([]);
        // Users now come from events only.
        expect(await ids('no_role', 'user_id')).toEqual(['u1', 'u2', 'u3']);
      } finally {
        await fx.dispose();
      }
    });

  it('a missing property column is null with a warning', async () => {
    const t = 'kind: computed_trait\nkey: coupons\nentity: user\ntype: unique_list\nevent: Order Completed\nproperty: coupon';
    const r = await run([t]);
    try {
      expect(r.report.ok).toBe(true);
      expect(await r.values('coupons')).toEqual({});
      expect(r.report.outcomes[0].warnings.join()).toContain('main.order_completed.coupon does not exist');
    } finally {
      await r.close();
    }
  });

  it('--select computes unselected upstream definitions for use only: they are not stored', async () => {
    const logins = 'kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In';
    const aud = 'kind: audience\nkey: active\nentity: user\nwhere: { trait: { key: logins, op: gte, value: 2 } }';
    const r = await runFixture(world, [logins, aud], { asOf: AS_OF, select: ['active'] });
    try {
      expect(await r.ids('active')).toEqual(['u1', 'u2']);
      expect(r.report.outcomes.find((o) => o.key === 'logins')?.selected).toBe(false);
      await expect(r.rows('logins')).rejects.toThrow(/does not exist/);
    } finally {
      await r.close();
    }
  });

  it('source.deduplicate keeps one row per id', async () => {
    const dup = { ...world, events: [...world.events!, { ...world.events![0] }] };
    const logins = 'kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In';
    const plain = await runFixture(dup, [logins], { asOf: AS_OF });
    const deduped = await runFixture(dup, [logins], { asOf: AS_OF, source: { deduplicate: true } });
    try {
      expect(await plain.values('logins')).toEqual({ u1: 5, u2: 2 });
      expect(await deduped.values('logins')).toEqual({ u1: 4, u2: 2 });
    } finally {
      await plain.close();
      await deduped.close();
    }
  });
});

describe('custom traits in the segment layout', () => {
  it('columns Segment writes for every call (received_at, context_*, ...) are not traits: null, with a warning', async () => {
    const fixture = { identifies: [{ id: 'i1', user_id: 'u1', timestamp: '2024-05-01T00:00:00Z', traits: { received_at: '2024-05-01', context_ip: '1.2.3.4', plan: 'pro' } }] };
    const has = (key: string, name = key) => `kind: audience\nkey: has_${key}\nentity: user\nwhere: { trait: { key: ${name}, op: exists } }`;
    const r = await runFixture(fixture, [has('received_at'), has('context_ip'), has('plan'), has('context_ip_text', 'Context IP')], { asOf: AS_OF });
    try {
      expect(await r.ids('has_received_at')).toEqual([]);
      expect(await r.ids('has_context_ip')).toEqual([]);
      expect(await r.ids('has_context_ip_text')).toEqual([]);
      expect(await r.ids('has_plan')).toEqual(['u1']);
      // A name that is such a column as written is warned about where the project loads (the
      // definitions test); one that becomes it through snake_case, by the run.
      expect(r.report.outcomes.find((o) => o.key === 'has_context_ip')?.warnings).toEqual([]);
      expect(r.report.outcomes.find((o) => o.key === 'has_context_ip_text')?.warnings.join()).toContain('identifies.context_ip is a column Segment writes for every call, not a trait');
    } finally {
      await r.close();
    }
  });
});

// Postgres keeps the first 63 bytes of a name Segment's connector creates longer; DuckDB keeps it whole.
it.each(ENGINES)('an event and a property whose snake_case is longer than 63 bytes are read as the engine keeps them (%s)', async (engine) => {
  const event = 'This Is A Very Long Event Name That Goes Well Beyond Sixty Three Characters Total';
  const property = 'aPropertyNameThatIsMuchLongerThanSixtyThreeCharactersWhenWrittenInSnakeCase';
  const fixture = { events: [{ id: 'e1', user_id: 'u1', event, timestamp: '2024-05-01T00:00:00Z', props: { [property]: 6 } }] };
  const defs = [
    `kind: computed_trait\nkey: n\nentity: user\ntype: event_counter\nevent: ${event}`,
    `kind: computed_trait\nkey: total\nentity: user\ntype: aggregation\nfunction: sum\nevent: ${event}\nproperty: ${property}`,
  ];
  const r = await runFixture(fixture, defs, { asOf: AS_OF, engine });
  try {
    expect(r.report.outcomes.map((o) => [o.error, o.warnings])).toEqual([[undefined, []], [undefined, []]]);
    expect([await r.values('n'), await r.values('total')]).toEqual([{ u1: 1 }, { u1: 6 }]);
  } finally {
    await r.close();
  }
});

// The run plan names its steps after the event's table, cut short: two tables sharing a long start are two steps.
it.each(ENGINES)('events whose tables share their first 40 characters are counted apart (%s)', async (engine) => {
  const alpha = 'Onboarding Checklist Step Completed By User Alpha';
  const beta = 'Onboarding Checklist Step Completed By User Beta';
  const at = '2024-05-01T00:00:00Z';
  const fixture = { events: [
    { id: 'a1', user_id: 'u1', event: alpha, timestamp: at, props: { n: 1 } },
    { id: 'a2', user_id: 'u1', event: alpha, timestamp: at, props: { n: 2 } },
    { id: 'b1', user_id: 'u2', event: beta, timestamp: at, props: { n: 5 } },
  ] };
  const defs = [
    `kind: computed_trait\nkey: ca\nentity: user\ntype: event_counter\nevent: ${alpha}`,
    `kind: computed_trait\nkey: cb\nentity: user\ntype: event_counter\nevent: ${beta}`,
    `kind: computed_trait\nkey: sa\nentity: user\ntype: aggregation\nfunction: sum\nproperty: n\nevent: ${alpha}`,
    `kind: computed_trait\nkey: sb\nentity: user\ntype: aggregation\nfunction: sum\nproperty: n\nevent: ${beta}`,
  ];
  const r = await runFixture(fixture, defs, { asOf: AS_OF, engine });
  try {
    expect(r.report.outcomes.map((o) => o.error)).toEqual([undefined, undefined, undefined, undefined]);
    expect([await r.values('ca'), await r.values('cb'), await r.values('sa'), await r.values('sb')]).toEqual([{ u1: 2 }, { u2: 1 }, { u1: 3 }, { u2: 5 }]);
  } finally {
    await r.close();
  }
});

// {{as_of}} is an expression: a template may also name it where SQL does not read it (a comment,
// a string). The run bound the parameter anyway, and the engine refused a value it had no place for.
describe.each(ENGINES)('{{as_of}} in a comment or a string, on %s', (engine) => {
  it.each([
    ['a -- comment', '-- all time, whatever {{as_of}} is\nSELECT user_id, count(*) AS n FROM {{source "identifies"}} GROUP BY user_id'],
    ['a /* comment */', '/* not {{as_of}} */ SELECT user_id, count(*) AS n FROM {{source "identifies"}} GROUP BY user_id'],
    ['a string', "SELECT user_id, count(*) AS n FROM {{source \"identifies\"}} WHERE '{{as_of}}' <> '' GROUP BY user_id"],
    ['a ; then a comment', 'SELECT user_id, count(*) AS n FROM {{source "identifies"}} WHERE timestamp <= {{as_of}} GROUP BY user_id; -- done'],
    ['two final ;', 'SELECT user_id, count(*) AS n FROM {{source "identifies"}} WHERE timestamp <= {{as_of}} GROUP BY user_id;;'],
    ['a name holding $1', 'SELECT user_id, count(*) AS n FROM (SELECT user_id, timestamp AS ts$1 FROM {{source "identifies"}}) AS t WHERE ts$1 <= {{as_of}} GROUP BY user_id'],
    ['-- in a dollar quote tagged with a letter', 'SELECT user_id, count(*) AS n FROM {{source "identifies"}} WHERE $é$--$é$ = $é$--$é$ AND timestamp <= {{as_of}} GROUP BY user_id'],
    ['a nested comment', 'SELECT user_id, count(*) AS n FROM {{source "identifies"}} /* outer /* inner */ {{as_of}} */ GROUP BY user_id'],
    // '--' inside a string starts no comment: the {{as_of}} after it is read.
    ['-- in a dollar-quoted string', 'SELECT user_id, count(*) AS n FROM {{source "identifies"}} WHERE $$--$$ = $$--$$ AND timestamp <= {{as_of}} GROUP BY user_id'],
  ])('%s: the trait runs, with the parameter where SQL reads it', async (_, sql) => {
    const run = await runFixture(world, [{ kind: 'sql_trait', key: 'n', entity: 'user', sql }], { asOf: AS_OF, engine });
    try {
      expect(run.report.outcomes.map((o) => o.error)).toEqual([undefined]);
      expect(Object.keys(await run.values('n')).length).toBeGreaterThan(0);
    } finally {
      await run.close();
    }
  });
});

// The engine counts the lines of the statement roster wraps the SQL in; the user knows theirs.
describe.each(ENGINES)('a syntax error in a SQL trait, on %s', (engine) => {
  const located = async (sql: string) => {
    const run = await runFixture(world, [
      'kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In',
      { kind: 'sql_trait', key: 'broken', entity: 'user', sql },
    ], { asOf: AS_OF, engine });
    try {
      const error = run.report.outcomes.find((o) => o.key === 'broken')!.error!;
      const lines = indentedLines(error).split('\n');
      const at = lines.findIndex((l) => /^ *LINE /.test(l));
      return { error, line: lines[at].trim(), caret: lines[at + 1].indexOf('^') - lines[at].indexOf('LINE') };
    } finally {
      await run.close();
    }
  };

  it('is told at the line of the user\'s SQL, with its caret under the word, naming where the SQL is', async () => {
    // Line 1 is blank; the comment of lines 3-4 and the one of line 7 render as nothing.
    const sql = '\n-- line 2\n{{!-- a comment\nof two lines --}}\nSELECT user_id, logins AS broken\n  FRM {{state "logins"}}\n{{! a note }}\n';
    const { error, line, caret } = await located(sql);
    expect(error).toMatch(/^the sql of definitions\/broken\.yml: /);
    expect(line).toMatch(/^LINE 6: +FRM /);
    expect(caret).toBe(line.indexOf('FRM'));
  });

  // Postgres gives the error's position, and roster draws the caret (DuckDB draws its own).
  it.skipIf(engine !== 'postgres')('keeps its caret under the word after wide characters and a tab', async () => {
    const { line, caret } = await located("SELECT user_id, '日本😀' AS w,\tlogins AS broken FRM {{state \"logins\"}}");
    expect(line).toMatch(/^LINE 1: /);
    expect(caret).toBe(displayWidth(line.slice(0, line.indexOf('FRM'))));
  });
});
