import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/definitions/graph.js';
import { runProject } from '../../src/run/run-project.js';
import { PostgresWarehouse } from '../../src/warehouse/postgres-runner.js';
import { WarehouseError } from '../../src/warehouse/warehouse.js';
import { AS_OF, world } from '../execution/world.js';
import { definitions, ENGINES, fixtureWarehouse, project } from '../support/harness.js';

const LOGINS = 'kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In';

/*
 * SPEC 3 reads a missing event table as no events yet. A source schema that is not there (a typo
 * in roster.yml) or a table the role cannot read is another matter: read as empty, every member
 * and value would look gone, and the run would send that. It fails instead, committing nothing.
 */
describe.each(ENGINES)('the source schema, on %s', (engine) => {
  it('that does not exist fails the run, naming roster.yml source.schema; nothing is committed', async () => {
    const fx = await fixtureWarehouse(world, 'segment', engine);
    try {
      const defs = definitions([LOGINS]);
      const run = (schema: string) => runProject(project(defs, 'segment', { schema }, fx.state), buildGraph(defs), fx.wh, { asOf: new Date(AS_OF) });
      expect((await run(fx.schema)).outcomes.map((o) => o.status)).toEqual(['ok']);
      const err = await run(`${fx.schema}_typo`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WarehouseError);
      expect((err as Error).message).toMatch(/^the source schema "?\w+_typo"? does not exist .*\(roster.yml source.schema\)$/);
      expect(await fx.wh.query(`SELECT CAST(count(*) AS INTEGER) AS n FROM ${fx.wh.dialect.qualify(fx.state, '_runs')}`)).toEqual([{ n: 1 }]);
      // In another case: DuckDB's names match whatever their case; Postgres's do not, and it says which one exists.
      const upper = fx.schema.toUpperCase();
      if (engine === 'duckdb') expect((await run(upper)).outcomes.map((o) => o.status)).toEqual(['ok']);
      else expect(String(await run(upper).catch((e: unknown) => e))).toContain(`the source schema "${upper}" does not exist (roster.yml source.schema); did you mean "${fx.schema}"? names are case-sensitive`);
    } finally {
      await fx.dispose();
    }
  });
});

/*
 * An input table whose timestamp is text (a CSV loaded as it is) failed each definition reading it
 * in the engine's words ("Cannot compare values of type VARCHAR and type TIMESTAMP"), naming no
 * table. The run stops before computing, naming each such table the definitions read.
 */
describe.each(ENGINES)('an input table whose timestamp is text, on %s', (engine) => {
  it('fails the run, naming the table and its type; nothing is committed', async () => {
    const fx = await fixtureWarehouse(world, 'segment', engine);
    try {
      const defs = definitions([LOGINS]);
      const run = () => runProject(project(defs, 'segment', { schema: fx.schema }, fx.state), buildGraph(defs), fx.wh, { asOf: new Date(AS_OF) });
      expect((await run()).outcomes.map((o) => o.status)).toEqual(['ok']);
      const t = (name: string) => fx.wh.dialect.qualify(fx.schema, name);
      // A table no definition reads is not checked: an event table nobody asks for may hold anything.
      await fx.wh.exec(`ALTER TABLE ${t('order_completed')} ALTER COLUMN ${fx.wh.dialect.quoteIdent('timestamp')} TYPE VARCHAR`);
      expect((await run()).outcomes.map((o) => o.status)).toEqual(['ok']);
      await fx.wh.exec(`ALTER TABLE ${t('logged_in')} ALTER COLUMN ${fx.wh.dialect.quoteIdent('timestamp')} TYPE VARCHAR`);
      const err = await run().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WarehouseError);
      const type = engine === 'duckdb' ? 'VARCHAR' : 'CHARACTER VARYING';
      expect((err as Error).message).toBe(`${fx.schema}.logged_in.timestamp is ${type}: roster compares every input row's timestamp with as_of, so it must be a timestamp column`
        + ` (Segment's connector writes TIMESTAMP): load it as one, or point source.schema at views that cast it (roster.yml source.schema)`);
      expect(await fx.wh.query(`SELECT CAST(count(*) AS INTEGER) AS n FROM ${fx.wh.dialect.qualify(fx.state, '_runs')}`)).toEqual([{ n: 2 }]);
    } finally {
      await fx.wh.exec(`DROP SCHEMA IF EXISTS ${fx.wh.dialect.quoteIdent(`${fx.schema}_empty`)}`);
      await fx.dispose();
    }
  });
});

describe('Postgres: a materialized view in the source schema', () => {
  it('is read like a table (information_schema does not list it): not taken for a missing one', async () => {
    const fx = await fixtureWarehouse(world, 'segment', 'postgres');
    try {
      const t = (name: string) => fx.wh.dialect.qualify(fx.schema, name);
      for (const table of ['logged_in', 'identifies']) {
        await fx.wh.exec(`ALTER TABLE ${t(table)} RENAME TO ${fx.wh.dialect.quoteIdent(`${table}_raw`)}`);
        await fx.wh.exec(`CREATE MATERIALIZED VIEW ${t(table)} AS SELECT * FROM ${t(`${table}_raw`)}`);
      }
      const PLANS = 'kind: audience\nkey: pros\nentity: user\nwhere: { trait: { key: plan, op: eq, value: pro } }';
      const defs = definitions([LOGINS, PLANS]);
      const report = await runProject(project(defs, 'segment', { schema: fx.schema }, fx.state), buildGraph(defs), fx.wh, { asOf: new Date(AS_OF) });
      expect(report.outcomes.map((o) => [o.key, o.status, o.warnings])).toEqual([['logins', 'ok', []], ['pros', 'ok', []]]);
      const rows = (key: string) => fx.wh.query(`SELECT * FROM ${fx.wh.dialect.qualify(fx.state, key)} ORDER BY user_id`);
      // u1 logs in 4 times and u2 twice up to as_of; the latest plan of u1 (i1) and u2 (i4) is pro.
      expect(await rows('logins')).toEqual([{ user_id: 'u1', logins: 4 }, { user_id: 'u2', logins: 2 }]);
      expect((await rows('pros')).map((r) => r.user_id)).toEqual(['u1', 'u2']);
    } finally {
      await fx.dispose();
    }
  });
});

describe.skipIf(!process.env.ROSTER_TEST_PG_URL)('Postgres server: a role with the privileges roster needs, and one without', () => {
  it('SELECT on the source and CREATE on a state schema made for it are enough; a revoked table fails the definitions reading it', async () => {
    const admin = await fixtureWarehouse(world, 'segment', 'postgres');
    const role = `roster_limited_${process.pid}`;
    const state = `${admin.state}_limited`;
    const q = (name: string) => admin.wh.dialect.quoteIdent(name);
    try {
      for (const sql of [
        `CREATE ROLE ${q(role)} LOGIN`,
        `GRANT USAGE ON SCHEMA ${q(admin.schema)} TO ${q(role)}`,
        `GRANT SELECT ON ALL TABLES IN SCHEMA ${q(admin.schema)} TO ${q(role)}`,
        // Tables roster never reads, unreadable to the role: a partition (read through its parent) and another table.
        `CREATE TABLE ${q(admin.schema)}.visits (id varchar, "timestamp" timestamp) PARTITION BY RANGE ("timestamp")`,
        `CREATE TABLE ${q(admin.schema)}.visits_2024 PARTITION OF ${q(admin.schema)}.visits FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`,
        `GRANT SELECT ON ${q(admin.schema)}.visits TO ${q(role)}`,
        `CREATE TABLE ${q(admin.schema)}.secret (x int)`,
        `CREATE SCHEMA ${q(state)}`,
        `GRANT USAGE, CREATE ON SCHEMA ${q(state)} TO ${q(role)}`,
      ]) await admin.wh.exec(sql);
      const url = new URL(process.env.ROSTER_TEST_PG_URL!);
      url.username = role;
      url.password = '';
      const PLANS = 'kind: audience\nkey: pros\nentity: user\nwhere: { trait: { key: plan, op: eq, value: pro } }';
      const defs = definitions([LOGINS, PLANS]);
      const run = async () => {
        const wh = await PostgresWarehouse.connect(url.toString());
        try {
          return await runProject(project(defs, 'segment', { schema: admin.schema }, state), buildGraph(defs), wh, { asOf: new Date(AS_OF) });
        } finally {
          await wh.close();
        }
      };
      // No CREATE on the database: the state schema exists, so none is needed.
      expect((await run()).outcomes.map((o) => [o.key, o.status, o.error])).toEqual([['logins', 'ok', undefined], ['pros', 'ok', undefined]]);
      const logins = async () => admin.wh.query(`SELECT user_id, logins FROM ${q(state)}.logins ORDER BY user_id`);
      const before = await logins();
      expect(before.length).toBeGreaterThan(0);
      // Read as missing, logged_in would make every count 0; the definition fails instead, its state kept.
      await admin.wh.exec(`REVOKE SELECT ON ${q(admin.schema)}.logged_in FROM ${q(role)}`);
      const after = await run();
      expect(after.outcomes.map((o) => [o.key, o.status])).toEqual([['logins', 'failed'], ['pros', 'ok']]);
      expect(after.outcomes[0].error).toMatch(/permission denied for table logged_in/);
      expect(await logins()).toEqual(before);
      // A state schema the role may not make: the error says what roster was doing, and where to look.
      const wh = await PostgresWarehouse.connect(url.toString());
      try {
        const err = await runProject(project(defs, 'segment', { schema: admin.schema }, `${state}_new`), buildGraph(defs), wh, { asOf: new Date(AS_OF) }).catch((e: unknown) => e);
        expect((err as Error).message).toMatch(new RegExp(`^preparing the state schema ${state}_new \\(roster.yml state.schema\\): permission denied for database`));
      } finally {
        await wh.close();
      }
    } finally {
      for (const sql of [`DROP SCHEMA IF EXISTS ${q(state)} CASCADE`, `DROP OWNED BY ${q(role)}`, `DROP ROLE IF EXISTS ${q(role)}`]) await admin.wh.exec(sql).catch(() => undefined);
      await admin.dispose();
    }
  });
});

describe.skipIf(!process.env.ROSTER_TEST_PG_URL)('Postgres server: a role without TEMP on the database', () => {
  // Each definition failed alike ("permission denied to create temporary tables"), one error line
  // per definition, and the run log was committed. Said once, with the grant; nothing is committed.
  it('stops the run at the first scratch table, saying which grant is missing; nothing is committed', async () => {
    const admin = await PostgresWarehouse.connect(process.env.ROSTER_TEST_PG_URL!);
    const database = `roster_notemp_${process.pid}`;
    const role = `roster_notemp_${process.pid}`;
    const q = (name: string) => admin.dialect.quoteIdent(name);
    const url = (user: string) => {
      const u = new URL(process.env.ROSTER_TEST_PG_URL!);
      u.pathname = `/${database}`;
      u.username = user;
      return u.toString();
    };
    try {
      for (const sql of [`CREATE DATABASE ${q(database)}`, `CREATE ROLE ${q(role)} LOGIN`]) await admin.exec(sql);
      const owner = await PostgresWarehouse.connect(url(new URL(process.env.ROSTER_TEST_PG_URL!).username));
      try {
        for (const sql of [
          `REVOKE TEMPORARY ON DATABASE ${q(database)} FROM PUBLIC`,
          `CREATE SCHEMA src AUTHORIZATION ${q(role)}`,
          `CREATE SCHEMA state AUTHORIZATION ${q(role)}`,
          `CREATE TABLE src.logged_in (id varchar, user_id varchar, event_text varchar, "timestamp" timestamp)`,
          `INSERT INTO src.logged_in VALUES ('e1', 'u1', 'Logged In', '2024-05-01')`,
          `GRANT SELECT ON src.logged_in TO ${q(role)}`,
        ]) await owner.exec(sql);
      } finally {
        await owner.close();
      }
      const defs = definitions([LOGINS, 'kind: computed_trait\nkey: logins_again\nentity: user\ntype: event_counter\nevent: Logged In']);
      const wh = await PostgresWarehouse.connect(url(role));
      try {
        const err = await runProject(project(defs, 'segment', { schema: 'src' }, 'state'), buildGraph(defs), wh, { asOf: new Date(AS_OF) }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WarehouseError);
        expect((err as Error).message).toBe(`permission denied to create temporary tables in database "${database}": roster computes in temporary tables; GRANT TEMPORARY ON DATABASE to the role it connects as`);
        expect(await wh.query('SELECT CAST(count(*) AS INTEGER) AS n FROM state._runs')).toEqual([{ n: 0 }]);
      } finally {
        await wh.close();
      }
    } finally {
      await admin.exec(`DROP DATABASE IF EXISTS ${q(database)}`).catch(() => undefined);
      await admin.exec(`DROP ROLE IF EXISTS ${q(role)}`).catch(() => undefined);
      await admin.close();
    }
  });
});

// A definition's key is a column of its state table: validate refuses the names Postgres keeps
// for its own columns, and this checks that list against the engine.
describe('Postgres: the system column names the dialect lists', () => {
  it('are each refused as a column of a new table, and a name beside them is not', async () => {
    const fx = await fixtureWarehouse(world, 'segment', 'postgres');
    try {
      const d = fx.wh.dialect;
      const create = (column: string) => fx.wh.exec(`CREATE TABLE ${d.qualify(fx.schema, `t_${column}`)} (${d.quoteIdent(column)} INTEGER)`).then(() => 'created', (e: Error) => e.message);
      for (const column of d.systemColumns) expect(await create(column)).toBe(`column name "${column}" conflicts with a system column name`);
      expect(await create('xmin_2')).toBe('created');
      expect(await create('oid')).toBe('created');
    } finally {
      await fx.dispose();
    }
  });
});

describe.each(ENGINES)('a source schema that holds none of its tables, on %s', (engine) => {
  it('fails the run once results were committed, naming roster.yml source.schema, and commits nothing', async () => {
    const fx = await fixtureWarehouse(world, 'segment', engine);
    try {
      const defs = definitions([LOGINS]);
      const empty = `${fx.schema}_empty`;
      await fx.wh.exec(`CREATE SCHEMA ${fx.wh.dialect.quoteIdent(empty)}`);
      const run = (schema: string, asOf: string) => runProject(project(defs, 'segment', { schema }, fx.state), buildGraph(defs), fx.wh, { asOf: new Date(asOf) });
      // Nothing committed yet: an empty source is a project's first step, and runs.
      expect((await run(empty, '2024-05-01')).outcomes.map((o) => o.status)).toEqual(['ok']);
      expect((await run(fx.schema, AS_OF)).outcomes.map((o) => o.status)).toEqual(['ok']);
      const err = await run(empty, '2024-06-02').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WarehouseError);
      expect((err as Error).message).toBe(`the source schema ${empty} holds none of tracks, identifies, groups, while committed results hold members and values: read as empty, they would all look gone (roster.yml source.schema)`);
      expect(await fx.wh.query(`SELECT CAST(count(*) AS INTEGER) AS n FROM ${fx.wh.dialect.qualify(fx.state, '_runs')}`)).toEqual([{ n: 2 }]);
    } finally {
      await fx.wh.exec(`DROP SCHEMA IF EXISTS ${fx.wh.dialect.quoteIdent(`${fx.schema}_empty`)}`);
      await fx.dispose();
    }
  });
});
