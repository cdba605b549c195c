import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonNumber, type Engine } from '../support/fixture.js';
import { ENGINES, fixtureWarehouse, runFixture, type FixtureWarehouse } from '../support/harness.js';

/*
 * SPEC 2: numeric ops cast the value to a number, before / after / within_last parse it as
 * ISO-8601, and a value that cannot be cast makes the leaf false; SPEC 3: every engine gives the
 * same results. So every engine reads exactly the same texts as numbers and as instants, and a
 * text that is not one (or is out of range) is NULL, never an error that fails the definition.
 */

/** Text -> the number it is (worked out by hand), or null. */
const NUMBERS: [string, number | null][] = [
  ['20', 20], [' 20 ', 20], ['\t20\n', 20], ['\v20\f', 20], ['+5', 5], ['-1.5e3', -1500], ['.5', 0.5], ['1.', 1],
  ['1E+05', 100000], ['1e-0005', 0.00001], ['12345678901234567890123', 1.2345678901234568e22],
  // the largest double, a text that rounds down to it, one that rounds past it
  ['1.7976931348623157e308', 1.7976931348623157e308], ['1.7976931348623158e308', 1.7976931348623157e308], ['1.7976931348623159e308', null],
  ['1e400', null], ['-1e400', null], ['1' + '0'.repeat(308), 1e308], ['1' + '0'.repeat(309), null],
  // too small for a double: 0, as JSON and JavaScript read it; the smallest double and what rounds to it
  ['1e-400', 0], ['0.' + '0'.repeat(400) + '1', 0], ['2e-324', 0], ['3e-324', 5e-324], ['4.9e-324', 5e-324], ['1e-310', 1e-310],
  ['0.' + '0'.repeat(300) + '1', 1e-301], ['0e999', 0], ['0.000', 0],
  // at most 1000 characters, an exponent of at most four significant digits
  ['0'.repeat(998) + '12', 12], ['0'.repeat(999) + '12', null], ['0e99999', null], ['1e99999', null],
  // what some engine's own cast reads, and no number text is
  ['NaN', null], ['nan', null], ['Infinity', null], ['inf', null], ['-Infinity', null], ['1_000', null], ['0x10', null], ['1d5', null],
  ['', null], ['.', null], ['1e', null], ['e5', null], ['--5', null], ['1,5', null], ['20 apples', null], ['abc', null],
  ['١٢', null], ['\u2003 20', null], ['20\u00a0', null],
];

/** Text -> the instant it is (worked out by hand), or null. */
const INSTANTS: [string, string | null][] = [
  ['2024-02-29', '2024-02-29T00:00:00.000Z'], ['2000-02-29', '2000-02-29T00:00:00.000Z'], ['0400-02-29', '0400-02-29T00:00:00.000Z'],
  ['2023-02-29', null], ['1900-02-29', null], ['2100-02-29', null], ['2024-02-30', null], ['2024-04-31', null], ['2023-11-31', null],
  ['2024-13-01', null], ['2024-00-10', null], ['2024-01-00', null], ['0000-01-01', null], ['0001-01-01', '0001-01-01T00:00:00.000Z'],
  ['2024-06-09T25:00:00Z', null], ['2024-06-09T24:00:00Z', null], ['2024-06-09T12:60:00Z', null], ['2024-06-09T23:59:60Z', null],
  ['2024-06-09T10:30Z', '2024-06-09T10:30:00.000Z'], ['2024-06-09 10:30', '2024-06-09T10:30:00.000Z'],
  ['2024-06-09 10:30+05:30', '2024-06-09T05:00:00.000Z'], ['2024-06-09T12:00:00+05', '2024-06-09T07:00:00.000Z'],
  ['2024-06-09T12:00:00-0530', '2024-06-09T17:30:00.000Z'], ['2024-06-09T12:00:00-15:59', '2024-06-10T03:59:00.000Z'],
  ['2024-06-09T12:00:00+16:00', null], ['2024-06-09T12:00:00+05:99', null], ['2024-06-09T12:00:00 +05:30', null],
  ['2024-06-09T12:00:00.5Z', '2024-06-09T12:00:00.500Z'], ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ['2024-06-09Z', null], ['2024-06-09+05', null], ['2024-06-09T12', null], ['2024-06-09T12:00:00.Z', null],
  ['2024-06-09t12:00:00z', '2024-06-09T12:00:00.000Z'], ['2024-06-09t10:30z', '2024-06-09T10:30:00.000Z'],
  ['2024-06-09t12:00:00.25+02:00', '2024-06-09T10:00:00.250Z'], ['2024-06-09T12:00:00x', null], ['2024-06-09T12:00:00UTC', null], [' 2024-06-09', null], ['2024-06-09 ', null],
  ['2024-6-9', null], ['June 9 2024', null], ['٢٠٢٤-06-09', null],
];

describe.each(ENGINES)('values read as numbers and instants on %s', (engine: Engine) => {
  let fx: FixtureWarehouse;
  beforeAll(async () => {
    fx = await fixtureWarehouse({}, 'segment', engine);
  });
  afterAll(() => fx.dispose());

  /** A primitive over each text, in one query. */
  async function over(texts: readonly string[], sql: (value: string) => string): Promise<unknown[]> {
    const d = fx.wh.dialect;
    const values = texts.map((t, i) => `(${i}, ${d.stringLiteral(t)})`).join(', ');
    const rows = await fx.wh.query(`SELECT i, ${sql('t')} AS v FROM (VALUES ${values}) AS x(i, t) ORDER BY i`);
    return rows.map((r) => r.v);
  }
  // -0 and 0 are one number (a negative underflow is -0 on some engines).
  const number = (v: unknown) => (v === 0 ? 0 : v);
  const instant = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

  it('tryCastDouble reads exactly the number texts within double range; anything else is NULL, never an error', async () => {
    const got = await over(NUMBERS.map(([t]) => t), (v) => fx.wh.dialect.tryCastDouble(v));
    expect(NUMBERS.map(([t], i) => [t, number(got[i])])).toEqual(NUMBERS);
  });

  it('tryCastDouble of typed values: a double or an integer as it is, a non-finite double NULL, a real as its text reads', async () => {
    const d = fx.wh.dialect;
    const [row] = await fx.wh.query(`SELECT ${[
      `CAST(2.5 AS DOUBLE PRECISION)`, `CAST('Infinity' AS DOUBLE PRECISION)`, `CAST('-Infinity' AS DOUBLE PRECISION)`, `CAST('NaN' AS DOUBLE PRECISION)`,
      `CAST(9007199254740993 AS BIGINT)`, `CAST(0.1 AS REAL)`, `CAST(NULL AS DOUBLE PRECISION)`,
    ].map((v, i) => `${d.tryCastDouble(v)} AS v${i}`).join(', ')}`);
    expect(Object.values(row)).toEqual([2.5, null, null, null, 9007199254740992, 0.1, null]);
  });

  it('tryCastInstant reads exactly the ISO-8601 texts of real dates and times; anything else is NULL, never an error', async () => {
    const got = await over(INSTANTS.map(([t]) => t), (v) => fx.wh.dialect.tryCastInstant(v));
    expect(INSTANTS.map(([t], i) => [t, instant(got[i])])).toEqual(INSTANTS);
  });

  it('tryCastInstant cuts a fraction to microseconds (Postgres would round it)', async () => {
    const d = fx.wh.dialect;
    const same = (a: string, b: string) => `${d.tryCastInstant(d.stringLiteral(a))} = ${d.tryCastInstant(d.stringLiteral(b))}`;
    const [row] = await fx.wh.query(`SELECT ${same('2024-06-09T12:00:00.1234569Z', '2024-06-09T12:00:00.123456Z')} AS a, ${same('2023-12-31T23:59:59.999999999Z', '2023-12-31 23:59:59.999999')} AS b`);
    expect(row).toEqual({ a: true, b: true });
  });

  it('tryCastInstant of typed values: timestamps and dates as they are, with or without a time zone', async () => {
    const d = fx.wh.dialect;
    const [row] = await fx.wh.query(`SELECT ${[
      `CAST('2024-03-04 05:06:07.123' AS TIMESTAMP)`, `CAST('2024-03-04' AS DATE)`, `CAST('2024-03-04 05:06:07+02' AS TIMESTAMP WITH TIME ZONE)`,
      `CAST(NULL AS TIMESTAMP)`,
    ].map((v, i) => `${d.tryCastInstant(v)} AS v${i}`).join(', ')}`);
    expect(Object.values(row).map(instant)).toEqual(['2024-03-04T05:06:07.123Z', '2024-03-04T00:00:00.000Z', '2024-03-04T03:06:07.000Z', null]);
  });
});

describe.each(ENGINES.flatMap((engine) => (['segment', 'events_json'] as const).map((layout) => [engine, layout] as const)))(
  'a value that is not a number or an instant makes the leaf false on %s, %s layout', (engine, layout) => {
    // Custom traits: age a text (or, u7, a JSON number beyond double range), signup a text. as_of 2024-06-10.
    const fixture = {
      identifies: ([
        ['u1', '20', '2024-06-09T12:00:00Z'], ['u2', '1e400', '2024-02-30'], ['u3', '1e-400', '2024-06-09T25:00:00Z'],
        ['u4', 'NaN', '2024-06-09 12:00'], ['u5', 'Infinity', 'June 9 2024'], ['u6', '1_000', '2024-06-09T12:00:00+05:00'],
        ['u7', new JsonNumber('1e400'), '2023-02-29T00:00:00Z'], ['u8', ' 5 ', '2024-06-01'],
      ] as const).map(([user, age, signup], i) => ({ id: `i${i}`, user_id: user, timestamp: '2024-05-01T00:00:00Z', traits: { age, signup } })),
    };
    const audience = (key: string, trait: string, op: string, value: string) =>
      `kind: audience\nkey: ${key}\nentity: user\nwhere: { trait: { key: ${trait}, op: ${op}, value: ${value} } }`;

    it('numbers: 1e400, NaN, Infinity and 1_000 are in neither gt nor lte; 1e-400 is 0', async () => {
      const run = await runFixture(fixture, [audience('older', 'age', 'gt', '10'), audience('younger', 'age', 'lte', '10')], { asOf: '2024-06-10T00:00:00Z', layout, engine });
      try {
        expect(run.report.outcomes.map((o) => [o.key, o.status, o.error])).toEqual([['older', 'ok', undefined], ['younger', 'ok', undefined]]);
        expect(await run.ids('older')).toEqual(['u1']);
        expect(await run.ids('younger')).toEqual(['u3', 'u8']);
      } finally {
        await run.close();
      }
    });

    it('instants: 30 February, hour 25 and free text are in neither before nor within_last', async () => {
      // u1 2024-06-09T12Z, u4 2024-06-09T12Z, u6 2024-06-09T07Z, u8 2024-06-01T00Z
      const run = await runFixture(fixture, [
        audience('early', 'signup', 'before', '"2024-06-09T08:00:00Z"'), audience('recent', 'signup', 'within_last', '5 days'),
      ], { asOf: '2024-06-10T00:00:00Z', layout, engine });
      try {
        expect(run.report.outcomes.map((o) => [o.key, o.status, o.error])).toEqual([['early', 'ok', undefined], ['recent', 'ok', undefined]]);
        expect(await run.ids('early')).toEqual(['u6', 'u8']);
        expect(await run.ids('recent')).toEqual(['u1', 'u4', 'u6']);
      } finally {
        await run.close();
      }
    });
  },
);
