import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DEFAULTS, demoStatements, type DemoOptions } from '../../src/demo/generate.js';
import { DEMO_EVENTS, GROUPS_COLUMNS, IDENTIFIES_COLUMNS, TRACKS_COLUMNS } from '../../src/demo/world.js';

const SMALL: DemoOptions = { ...DEMO_DEFAULTS, users: 400, accounts: 60, days: 30 };

async function generate(opts: DemoOptions): Promise<DuckDBConnection> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  for (const sql of demoStatements(opts)) await c.run(sql);
  return c;
}

async function rows(c: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await c.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

async function one(c: DuckDBConnection, sql: string): Promise<unknown> {
  return Object.values((await rows(c, sql))[0])[0];
}

/** Order-independent fingerprint of every table the generator writes. */
async function checksums(c: DuckDBConnection, schema = 'main'): Promise<Record<string, unknown>[]> {
  const tables = ['tracks', 'identifies', 'groups', ...DEMO_EVENTS.map((e) => e.slug)];
  return rows(c, tables.map((t) => `SELECT '${t}' AS t, count(*) AS n, sum(hash(x)) AS h FROM "${schema}"."${t}" x`).join(' UNION ALL ') + ' ORDER BY t');
}

describe('demo data', () => {
  let c: DuckDBConnection;
  beforeAll(async () => { c = await generate(SMALL); });
  afterAll(() => c.closeSync());

  it('creates the Segment tables with their columns', async () => {
    const columns = async (table: string) =>
      (await rows(c, `SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = '${table}' ORDER BY ordinal_position`))
        .map((r) => r.column_name);
    expect(await columns('tracks')).toEqual([...TRACKS_COLUMNS]);
    expect(await columns('identifies')).toEqual([...IDENTIFIES_COLUMNS]);
    expect(await columns('groups')).toEqual([...GROUPS_COLUMNS]);
    for (const e of DEMO_EVENTS) expect(await columns(e.slug)).toEqual([...TRACKS_COLUMNS, ...e.properties.map((p) => p.column)]);
    const types = await rows(c, `SELECT table_name || '.' || column_name AS col, data_type FROM information_schema.columns
      WHERE table_schema = 'main' AND column_name IN ('timestamp', 'id', 'total', 'score', 'employees') ORDER BY 1`);
    for (const t of types) {
      const col = String(t.col).split('.')[1];
      expect(t.data_type, String(t.col)).toBe({ timestamp: 'TIMESTAMP', id: 'VARCHAR', total: 'DOUBLE', score: 'INTEGER', employees: 'INTEGER' }[col]);
    }
  });

  it('gives about users * days * 0.6 events with unique ids per table', async () => {
    const n = Number(await one(c, 'SELECT count(*) FROM tracks'));
    expect(n).toBeGreaterThan(SMALL.users * SMALL.days * 0.6 * 0.95);
    expect(n).toBeLessThan(SMALL.users * SMALL.days * 0.6 * 1.05);
    for (const t of ['tracks', 'identifies', 'groups']) {
      expect(await one(c, `SELECT count(*) - count(DISTINCT id) FROM ${t}`), t).toBe('0');
    }
  });

  it('is the same data for the same options, and different data for another seed', async () => {
    const again = await generate(SMALL);
    expect(await checksums(again)).toEqual(await checksums(c));
    const other = await generate({ ...SMALL, seed: 7 });
    expect(await checksums(other)).not.toEqual(await checksums(c));
  });

  it('keeps tracks exactly the union of the per-event tables', async () => {
    const union = DEMO_EVENTS.map((e) => `SELECT ${TRACKS_COLUMNS.join(', ')} FROM ${e.slug}`).join(' UNION ALL ');
    expect(await one(c, `SELECT count(*) FROM ((SELECT * FROM tracks EXCEPT ALL (${union})) UNION ALL ((${union}) EXCEPT ALL SELECT * FROM tracks))`)).toBe('0');
    for (const e of DEMO_EVENTS) {
      expect(await one(c, `SELECT count(*) FROM ${e.slug} WHERE event <> '${e.slug}' OR event_text <> '${e.text}'`)).toBe('0');
    }
  });

  it('has users in two accounts, accounts without users and users without accounts', async () => {
    expect(Number(await one(c, `SELECT count(*) FROM (SELECT user_id FROM groups WHERE user_id IS NOT NULL GROUP BY 1 HAVING count(DISTINCT group_id) = 2)`))).toBeGreaterThan(0);
    expect(Number(await one(c, `SELECT count(*) FROM (SELECT group_id FROM groups GROUP BY 1 HAVING count(user_id) = 0)`))).toBeGreaterThan(0);
    expect(Number(await one(c, `SELECT count(DISTINCT user_id) FROM identifies WHERE user_id NOT IN (SELECT user_id FROM groups WHERE user_id IS NOT NULL)`))).toBeGreaterThan(0);
    expect(await one(c, `SELECT count(DISTINCT group_id) FROM groups`)).toBe(String(SMALL.accounts));
  });

  it('has anonymous events and events with and without a group context', async () => {
    const r = (await rows(c, `SELECT count(*) FILTER (WHERE user_id IS NULL AND anonymous_id IS NOT NULL) AS anon,
      count(*) FILTER (WHERE context_group_id IS NULL) AS no_ctx, count(*) AS n FROM tracks`))[0];
    expect(Number(r.anon) / Number(r.n)).toBeGreaterThan(0.01);
    expect(Number(r.anon) / Number(r.n)).toBeLessThan(0.03);
    expect(Number(r.no_ctx)).toBeGreaterThan(Number(r.anon));
    // A context is always one of the user's accounts.
    expect(await one(c, `SELECT count(*) FROM tracks t WHERE context_group_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM groups g WHERE g.user_id = t.user_id AND g.group_id = t.context_group_id)`)).toBe('0');
  });

  it('holds the strings that break naive quoting', async () => {
    const names = (await rows(c, 'SELECT DISTINCT name FROM identifies WHERE name IS NOT NULL')).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(["Siobhán O'Brien", 'Zoë Ångström', '🚀 Rocket Raccoon', 'CORP\\jdoe', 'Robert "Bobby" Tables']));
  });

  it('has trait changes over time, partial later calls and anonymous identifies', async () => {
    expect(Number(await one(c, `SELECT count(*) FROM identifies WHERE name IS NULL AND role IS NOT NULL AND user_id IS NOT NULL`))).toBeGreaterThan(0);
    expect(Number(await one(c, `SELECT count(*) FROM identifies WHERE user_id IS NULL AND anonymous_id IS NOT NULL`))).toBeGreaterThan(0);
    expect(Number(await one(c, `SELECT count(*) FROM (SELECT group_id FROM groups WHERE plan IS NOT NULL GROUP BY 1 HAVING count(DISTINCT plan) > 1)`))).toBeGreaterThan(0);
    expect(Number(await one(c, `SELECT count(*) FROM groups WHERE industry IS NULL AND plan IS NOT NULL AND name IS NULL`))).toBeGreaterThan(0);
  });

  it('spans `days` days up to 2024-06-03, with events after 2024-06-01', async () => {
    const r = (await rows(c, `SELECT min(timestamp) AS lo, max(timestamp) AS hi, count(*) FILTER (WHERE timestamp > TIMESTAMP '2024-06-01') AS late FROM tracks`))[0];
    expect(String(r.lo) >= '2024-05-04').toBe(true);
    expect(String(r.hi) < '2024-06-03').toBe(true);
    expect(Number(r.late)).toBeGreaterThan(0);
  });

  it('writes into a quoted schema and rejects bad options', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const c2 = await db.connect();
    for (const sql of demoStatements({ ...SMALL, users: 50, accounts: 5, schema: 'odd "schema"' })) await c2.run(sql);
    expect(Number(await one(c2, `SELECT count(*) FROM "odd ""schema"""."tracks"`))).toBeGreaterThan(0);
    expect(() => demoStatements({ ...SMALL, seed: 1.5 })).toThrow(/seed/);
    expect(() => demoStatements({ ...SMALL, users: 0 })).toThrow(/users/);
  });
});

describe('demo data in the events_json layout', () => {
  let c: DuckDBConnection;
  beforeAll(async () => {
    const db = await DuckDBInstance.create(':memory:');
    c = await db.connect();
    for (const sql of demoStatements({ ...SMALL, schema: 'seg' })) await c.run(sql);
    for (const sql of demoStatements({ ...SMALL, schema: 'js' }, 'events_json')) await c.run(sql);
  });
  afterAll(() => c.closeSync());

  it('writes only events, identifies and groups, with the columns of SPEC 3', async () => {
    const columns = await rows(c, `SELECT table_name AS t, string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) AS cols
      FROM information_schema.columns WHERE table_schema = 'js' GROUP BY 1 ORDER BY 1`);
    expect(columns).toEqual([
      { t: 'events', cols: 'id VARCHAR, user_id VARCHAR, event VARCHAR, timestamp TIMESTAMP, context_group_id VARCHAR, properties JSON' },
      { t: 'groups', cols: 'id VARCHAR, user_id VARCHAR, group_id VARCHAR, timestamp TIMESTAMP, traits JSON' },
      { t: 'identifies', cols: 'id VARCHAR, user_id VARCHAR, timestamp TIMESTAMP, traits JSON' },
    ]);
  });

  it('holds the segment rows: events named as definitions name them, every property and trait in the JSON', async () => {
    expect(await one(c, `SELECT count(*) FROM js.events`)).toBe(await one(c, `SELECT count(*) FROM seg.tracks`));
    expect(await one(c, `SELECT count(*) FROM js.events e JOIN seg.tracks t USING (id)
      WHERE e.event = t.event_text AND e.user_id IS NOT DISTINCT FROM t.user_id AND e.timestamp = t.timestamp
        AND e.context_group_id IS NOT DISTINCT FROM t.context_group_id`)).toBe(await one(c, `SELECT count(*) FROM seg.tracks`));
    for (const e of DEMO_EVENTS) {
      for (const p of e.properties) {
        // A property keeps its JSON type: numbers are JSON numbers, text is a JSON string.
        const jsonType = p.type === 'VARCHAR' ? 'VARCHAR' : p.type === 'DOUBLE' ? 'DOUBLE' : 'BIGINT';
        expect(await one(c, `SELECT count(*) FROM js.events e JOIN seg.${e.slug} s USING (id)
          WHERE s.${p.column} IS NOT DISTINCT FROM CAST(e.properties ->> '${p.column}' AS ${p.type})
            AND (s.${p.column} IS NULL OR json_type(e.properties, '${p.column}') IN ('${jsonType}', 'UBIGINT'))`), `${e.slug}.${p.column}`)
          .toBe(await one(c, `SELECT count(*) FROM seg.${e.slug}`));
      }
    }
    for (const [table, traits] of [['identifies', ['email', 'name', 'role', 'title']], ['groups', ['name', 'industry', 'plan', 'employees']]] as const) {
      const same = traits.map((t) => `s.${t} IS NOT DISTINCT FROM CAST(j.traits ->> '${t}' AS ${t === 'employees' ? 'INTEGER' : 'VARCHAR'})`).join(' AND ');
      expect(await one(c, `SELECT count(*) FROM js.${table} j JOIN seg.${table} s USING (id) WHERE j.user_id IS NOT DISTINCT FROM s.user_id AND j.timestamp = s.timestamp AND ${same}`), table)
        .toBe(await one(c, `SELECT count(*) FROM seg.${table}`));
    }
  });
});
