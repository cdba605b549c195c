import { afterEach, describe, expect, it } from 'vitest';
import type { Row } from '../../src/warehouse/warehouse.js';
import { ENGINES, fixtureWarehouse, type FixtureWarehouse } from '../support/harness.js';

let fx: FixtureWarehouse | undefined;
afterEach(async () => {
  await fx?.dispose();
  fx = undefined;
});

// Delivery reads an outbox's messages through stream(): in order, in exact batches, while it
// writes its cursor between batches.
describe.each(ENGINES)('Warehouse.stream on %s', (engine) => {
  const numbers = (n: number) =>
    `SELECT g.n, 'm' || CAST(g.n AS VARCHAR) AS label, CAST(TIMESTAMP '2024-06-01 00:00:00' AS TIMESTAMP) AS at FROM generate_series(1, ${n}) AS g(n) ORDER BY g.n DESC`;

  it('gives the rows of query(), in order, in batches of exactly the size asked', async () => {
    fx = await fixtureWarehouse({}, 'segment', engine);
    const batches: Row[][] = [];
    for await (const rows of fx.wh.stream(numbers(5000), 1500)) batches.push(rows);
    expect(batches.map((b) => b.length)).toEqual([1500, 1500, 1500, 500]);
    expect(batches.flat()).toEqual(await fx.wh.query(numbers(5000)));
    expect(batches[0][0]).toMatchObject({ n: 5000, label: 'm5000' });
  });

  it('lets other statements run between batches, and stops cleanly when the reader breaks off', async () => {
    fx = await fixtureWarehouse({}, 'segment', engine);
    const table = `${fx.schema}.cursor_log`;
    await fx.wh.exec(`CREATE TABLE ${table} (done BIGINT NOT NULL)`);
    const seen: number[] = [];
    for await (const rows of fx.wh.stream(numbers(10), 3)) {
      seen.push(...rows.map((r) => Number(r.n)));
      await fx.wh.transaction(() => fx!.wh.exec(`INSERT INTO ${table} (done) VALUES (${seen.length})`));
      if (seen.length >= 6) break;
    }
    expect(seen).toEqual([10, 9, 8, 7, 6, 5]);
    expect((await fx.wh.query(`SELECT done FROM ${table} ORDER BY done`)).map((r) => Number(r.done))).toEqual([3, 6]);
    // The warehouse is usable after the early stop, and a new stream starts afresh.
    const again: Row[][] = [];
    for await (const rows of fx.wh.stream(numbers(2), 5)) again.push(rows);
    expect(again.map((b) => b.map((r) => r.n))).toEqual([[2, 1]]);
  });

  it('an empty result gives no batch; a failing query throws', async () => {
    fx = await fixtureWarehouse({}, 'segment', engine);
    const batches: Row[][] = [];
    for await (const rows of fx.wh.stream(`${numbers(3).replace(' ORDER BY g.n DESC', '')} WHERE g.n > 10`, 2)) batches.push(rows);
    expect(batches).toEqual([]);
    const read = async () => {
      for await (const _ of fx!.wh.stream('SELECT * FROM no_such_table', 2)) void _;
    };
    await expect(read()).rejects.toThrow(/no_such_table/);
  });
});
