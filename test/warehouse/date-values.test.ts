import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PG_PARSERS } from '../../src/warehouse/postgres-runner.js';
import { ENGINES, fixtureWarehouse } from '../support/harness.js';

// A DATE is read as midnight UTC, as it is sent (SPEC 3), whatever the machine's time zone:
// node-postgres's own parser made it local midnight, so preview on Postgres showed
// 2024-03-14T15:00:00.000Z for 2024-03-15 in Tokyo while run sent 2024-03-15T00:00:00.000Z.
let zone: string | undefined;
beforeEach(() => {
  zone = process.env.TZ;
  process.env.TZ = 'Asia/Tokyo';
});
afterEach(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

describe('reading a DATE in a time zone east of UTC', () => {
  it('Postgres text is read as midnight UTC, BC and infinite dates included', () => {
    const read = PG_PARSERS[1082];
    expect(read).toBeDefined();
    expect(read('2024-03-15')).toEqual(new Date('2024-03-15T00:00:00.000Z'));
    expect(read('0044-03-15')).toEqual(new Date('0044-03-15T00:00:00.000Z'));
    expect((read('0044-03-15 BC') as Date).toISOString()).toBe('-000043-03-15T00:00:00.000Z');
    expect(read('infinity')).toBe(Infinity);
    expect(read('-infinity')).toBe(-Infinity);
  });

  it.each(ENGINES)('on %s a query returns it as midnight UTC', async (engine) => {
    const fx = await fixtureWarehouse({}, 'segment', engine);
    try {
      const [row] = await fx.wh.query("SELECT CAST('2024-03-15' AS DATE) AS d");
      expect(row.d).toEqual(new Date('2024-03-15T00:00:00.000Z'));
    } finally {
      await fx.dispose();
    }
  });
});
