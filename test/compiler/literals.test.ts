import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../dialects/index.js';

// A literal's line breaks are written as a mark replaced by chr(): one expression however many
// breaks (engines parse a chain of || only so deep), and marks every database encoding holds.
describe.each(Object.keys(DIALECTS) as (keyof typeof DIALECTS)[])('string literals with line breaks (%s)', (name) => {
  const d = DIALECTS[name];

  it('are one replace() per kind of break, however many breaks', () => {
    const sql = d.stringLiteral(`${'a\n'.repeat(5000)}b\r\n`);
    expect(sql.match(/replace\(/g)).toHaveLength(2);
    expect(sql).not.toMatch(/[\r\n]/);
  });

  it('take ASCII marks, which every database encoding holds, even when the text holds the first ones', () => {
    const sql = d.stringLiteral('¶~^\n§\r');
    expect(sql).toBe("replace(replace('¶~^`§|', '`', chr(10)), '|', chr(13))");
  });
});

// A LATIN2 (or KOI8R...) database has no ¶: the literal must still be one it can read.
describe.skipIf(!process.env.ROSTER_TEST_PG_URL)('string literals with line breaks on a LATIN2 Postgres database', () => {
  it('read back as the text they hold', async () => {
    const { PostgresWarehouse } = await import('../../src/warehouse/postgres-runner.js');
    const url = process.env.ROSTER_TEST_PG_URL!;
    const db = `latin2_${process.pid}`;
    const admin = await PostgresWarehouse.connect(url);
    try {
      await admin.exec(`CREATE DATABASE ${db} ENCODING 'LATIN2' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`);
      const wh = await PostgresWarehouse.connect(url.replace(/\/[^/?]*(\?|$)/, `/${db}$1`));
      try {
        const [{ same }] = await wh.query(`SELECT ${DIALECTS.postgres.stringLiteral('a\nb\r\nc')} = 'a' || chr(10) || 'b' || chr(13) || chr(10) || 'c' AS same`);
        expect(same).toBe(true);
      } finally {
        await wh.close();
      }
    } finally {
      await admin.exec(`DROP DATABASE IF EXISTS ${db}`);
      await admin.close();
    }
  });
});
