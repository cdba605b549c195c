import { afterEach, describe, expect, it } from 'vitest';
import { sameRowsSql } from '../../src/state/diff-sql.js';
import { ENGINES, fixtureWarehouse, type FixtureWarehouse } from '../support/harness.js';

let fx: FixtureWarehouse | undefined;
afterEach(async () => {
  await fx?.dispose();
  fx = undefined;
});

// A re-run skips the diff of a result whose rows are the committed ones: sameRowsSql decides it,
// so every kind of change a diff would see must make it false.
describe.each(ENGINES)('sameRowsSql on %s', (engine) => {
  const COMMITTED: readonly string[] = [
    "('u1', 3, 2.5, TIMESTAMP '2024-06-01 10:00:00', 'reports')",
    "('u2', 1, NULL, TIMESTAMP '2024-06-02 11:00:00', 'alerts')",
    "('u3', NULL, 0.1, NULL, NULL)",
  ];

  async function same(rows: readonly string[]): Promise<boolean> {
    fx ??= await fixtureWarehouse({}, 'segment', engine);
    const { wh, schema } = fx;
    const columns = '(user_id VARCHAR, n BIGINT, x DOUBLE PRECISION, seen_at TIMESTAMP, label VARCHAR)';
    const fill = async (table: string, values: readonly string[]) => {
      await wh.exec(`DROP TABLE IF EXISTS ${schema}.${table}`);
      await wh.exec(`CREATE TABLE ${schema}.${table} ${columns}`);
      if (values.length) await wh.exec(`INSERT INTO ${schema}.${table} VALUES ${values.join(', ')}`);
    };
    await fill('previous', COMMITTED);
    await fill('current', rows);
    const described = (await wh.describe(`${schema}.current`)).map((c) => c.name);
    const [{ same: result }] = await wh.query(sameRowsSql(wh.dialect, `${schema}.current`, `${schema}.previous`, described));
    return result === true;
  }

  it('holds for the same rows in another order, and for two empty tables', async () => {
    expect(await same([COMMITTED[2], COMMITTED[0], COMMITTED[1]])).toBe(true);
    fx ??= await fixtureWarehouse({}, 'segment', engine);
    const { wh, schema } = fx;
    await wh.exec(`CREATE TABLE ${schema}.a (user_id VARCHAR)`);
    await wh.exec(`CREATE TABLE ${schema}.b (user_id VARCHAR)`);
    const [{ same: empty }] = await wh.query(sameRowsSql(wh.dialect, `${schema}.a`, `${schema}.b`, (await wh.describe(`${schema}.a`)).map((c) => c.name)));
    expect(empty).toBe(true);
  });

  it('fails for a changed value of any type, a value that became NULL, a row gained or lost', async () => {
    const [a, b, c] = COMMITTED;
    expect(await same([a.replace('3,', '4,'), b, c])).toBe(false);
    expect(await same([a.replace('2.5', '2.5000001'), b, c])).toBe(false);
    expect(await same([a, b.replace('11:00:00', '11:00:01'), c])).toBe(false);
    expect(await same([a, b.replace("'alerts'", "'Alerts'"), c])).toBe(false);
    expect(await same([a.replace("'reports'", 'NULL'), b, c])).toBe(false);
    expect(await same([a, b, c, "('u4', NULL, NULL, NULL, NULL)"])).toBe(false);
    expect(await same([a, b])).toBe(false);
    // One row lost and another duplicated: the count alone would not see it.
    expect(await same([a, a, b])).toBe(false);
  });

  it('fails when two rows swap a value', async () => {
    const [a, b, c] = COMMITTED;
    expect(await same([a.replace("'reports'", "'alerts'"), b.replace("'alerts'", "'reports'"), c])).toBe(false);
    expect(await same([a.replace('3,', '1,'), b.replace('1,', '3,'), c])).toBe(false);
    expect(await same([a.replace("'u1'", "'u2'"), b.replace("'u2'", "'u1'"), c])).toBe(false);
  });
});
