import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/definitions/graph.js';
import { runProject } from '../../src/run/run-project.js';
import { PostgresWarehouse } from '../../src/warehouse/postgres-runner.js';
import { AS_OF, world } from '../execution/world.js';
import { fixtureStatements } from '../support/fixture.js';
import { startRoster } from '../cli/roster-cli.js';
import { definitions, fixtureWarehouse, PG_KIND, project } from '../support/harness.js';

describe(`Postgres (${PG_KIND}): SQL traits run read-only`, () => {
  it('a SQL trait calling a function that deletes rows fails, names the cause, and the source is intact', async () => {
    const fx = await fixtureWarehouse(world, 'segment', 'postgres');
    try {
      const identifies = `${fx.schema}.identifies`;
      // The warehouse owner made this function; a SQL trait must still not be able to use it to write.
      await fx.wh.exec(`CREATE FUNCTION ${fx.schema}.wipe() RETURNS integer LANGUAGE sql AS $$ DELETE FROM ${identifies}; SELECT 1 $$`);
      const before = Number((await fx.wh.query(`SELECT count(*) AS n FROM ${identifies}`))[0].n);
      const defs = definitions([{ kind: 'sql_trait', key: 'evil', entity: 'user', traits: ['x'], sql: `SELECT 'u1' AS user_id, ${fx.schema}.wipe() AS x` }]);
      const report = await runProject(project(defs, 'segment', { schema: fx.schema }, fx.state), buildGraph(defs), fx.wh, { asOf: new Date(AS_OF) });
      expect(report.outcomes[0].status).toBe('failed');
      expect(report.outcomes[0].error).toMatch(/read-only transaction/);
      expect(Number((await fx.wh.query(`SELECT count(*) AS n FROM ${identifies}`))[0].n)).toBe(before);
    } finally {
      await fx.dispose();
    }
  });
});

describe(`Postgres (${PG_KIND}): a SQL trait that releases the run lock`, () => {
  // pg_advisory_unlock_all() is allowed in a read-only transaction. validate refuses it written
  // out; this is the engine-side guard for a call spelt another way.
  it('makes the run commit nothing and say why; a run without it commits', async () => {
    const fx = await fixtureWarehouse(world, 'segment', 'postgres');
    try {
      const logins = 'kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In';
      const unlock = { kind: 'sql_trait', key: 'unlock', entity: 'user', traits: ['x'], sql: `SELECT user_id, CAST(pg_advisory_unlock_all() AS TEXT) || 'x' AS x FROM ${fx.schema}.identifies WHERE user_id <> ''` };
      const defs = definitions([logins, unlock]);
      const run = (ds: typeof defs) => runProject(project(ds, 'segment', { schema: fx.schema }, fx.state), buildGraph(ds), fx.wh, { asOf: new Date(AS_OF) });
      await expect(run(defs)).rejects.toThrow(`this run no longer holds the lock on the state schema ${fx.state}: a SQL trait released it`);
      expect(Number((await fx.wh.query(`SELECT count(*) AS n FROM ${fx.state}._runs`))[0].n)).toBe(0);
      const report = await run(defs.filter((d) => d.key === 'logins'));
      expect(report.ok).toBe(true);
      expect(Number((await fx.wh.query(`SELECT count(*) AS n FROM ${fx.state}._runs`))[0].n)).toBe(1);
    } finally {
      await fx.dispose();
    }
  });
});

describe(`Postgres (${PG_KIND}): a SQL trait is one statement`, () => {
  // validate refuses such a text; this is the engine-side guard for what reaches a run anyway. The
  // shape probe runs outside the read-only transaction (it creates a temporary table), so its
  // statement must be the only one the server runs.
  it('a second statement smuggled after a closing parenthesis is refused by the server, not run', async () => {
    const fx = await fixtureWarehouse(world, 'segment', 'postgres');
    try {
      const identifies = `${fx.schema}.identifies`;
      const defs = definitions([{
        kind: 'sql_trait', key: 'smuggler', entity: 'user', traits: ['x'],
        sql: `SELECT user_id, 1 AS x FROM ${identifies}) AS s WITH NO DATA; DROP TABLE ${identifies}; CREATE TEMPORARY TABLE smuggled AS SELECT * FROM (SELECT 1`,
      }]);
      const report = await runProject(project(defs, 'segment', { schema: fx.schema }, fx.state), buildGraph(defs), fx.wh, { asOf: new Date(AS_OF) });
      expect(report.outcomes[0].status).toBe('failed');
      expect(report.outcomes[0].error).toMatch(/cannot insert multiple commands into a prepared statement/);
      expect(Number((await fx.wh.query(`SELECT count(*) AS n FROM ${identifies}`))[0].n)).toBeGreaterThan(0);
    } finally {
      await fx.dispose();
    }
  });
});

describe.skipIf(!process.env.ROSTER_TEST_PG_URL)('Postgres server: runs on one state schema are serialised', () => {
  it('a second session cannot take the run lock while the first holds it, and can once it closed', async () => {
    const url = process.env.ROSTER_TEST_PG_URL!;
    const schema = `lock_${process.pid}`;
    const first = await PostgresWarehouse.connect(url);
    const second = await PostgresWarehouse.connect(url);
    try {
      await first.lockRun(schema);
      await expect(second.lockRun(schema)).rejects.toThrow(`another roster run or deliver is using the state schema ${schema}`);
      await first.close();
      await expect(second.lockRun(schema)).resolves.toBeUndefined();
    } finally {
      await second.close();
    }
  });
});

describe.skipIf(!process.env.ROSTER_TEST_PG_URL)('Postgres server: a connection the server ends', () => {
  const terminate = async (pid: unknown) => {
    const admin = await PostgresWarehouse.connect(process.env.ROSTER_TEST_PG_URL!);
    try {
      await admin.query('SELECT pg_terminate_backend($1)', { pid }, ['pid']);
    } finally {
      await admin.close();
    }
  };

  it('fails the query it interrupted, and the next one, with a message: the process does not die of it', async () => {
    const wh = await PostgresWarehouse.connect(process.env.ROSTER_TEST_PG_URL!);
    try {
      const [{ pid }] = await wh.query('SELECT pg_backend_pid() AS pid');
      const sleeping = wh.query('SELECT pg_sleep(30)').catch((e: Error) => e);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await terminate(pid);
      expect(String(await sleeping)).toContain('the connection to Postgres was lost: terminating connection due to administrator command');
      await expect(wh.query('SELECT 1')).rejects.toThrow('the connection to Postgres was lost');
    } finally {
      await wh.close().catch(() => undefined);
    }
  });

  it('while idle (between deliveries), the next query fails with a message', async () => {
    const wh = await PostgresWarehouse.connect(process.env.ROSTER_TEST_PG_URL!);
    try {
      const [{ pid }] = await wh.query('SELECT pg_backend_pid() AS pid');
      await terminate(pid);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await expect(wh.query('SELECT 1')).rejects.toThrow('the connection to Postgres was lost: terminating connection due to administrator command');
    } finally {
      await wh.close().catch(() => undefined);
    }
  });
});

describe.skipIf(!process.env.ROSTER_TEST_PG_URL)('Postgres server: a reader of the state tables', () => {
  it('holds no run back: a run alters no table it made before (ALTER TABLE waits for every reader)', async () => {
    const fx = await fixtureWarehouse(world, 'segment', 'postgres');
    const reader = await PostgresWarehouse.connect(process.env.ROSTER_TEST_PG_URL!);
    try {
      const defs = definitions(['kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In']);
      const p = project(defs, 'segment', { schema: fx.schema }, fx.state);
      expect((await runProject(p, buildGraph(defs), fx.wh, { asOf: new Date(AS_OF) })).ok).toBe(true);
      // A dashboard's open transaction over the pending messages, as a pending-messages view holds.
      await reader.exec('BEGIN');
      await reader.query(`SELECT count(*) AS n FROM ${fx.state}._deliveries`);
      await reader.query(`SELECT count(*) AS n FROM ${fx.state}._routes`);
      const stuck = new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), 10_000));
      const next = runProject(p, buildGraph(defs), fx.wh, { asOf: new Date('2024-06-02T00:00:00Z') }).then((r) => r.ok);
      expect(await Promise.race([next, stuck])).toBe(true);
    } finally {
      await reader.exec('ROLLBACK').catch(() => undefined);
      await reader.close();
      await fx.dispose();
    }
  }, 30_000);
});

/*
 * Literals are quoted as standard SQL quotes them ('' for '): a session that reads backslashes as
 * escapes (standard_conforming_strings = off, settable per database or role) would let a value
 * end its literal early. roster sets the session's own reading of text, dates and numbers.
 */
describe(`Postgres (${PG_KIND}): a session's settings cannot change what roster's SQL means`, () => {
  it('with standard_conforming_strings off by default, a backslash in a value is still just a character', async () => {
    const url = process.env.ROSTER_TEST_PG_URL;
    const settings = ['standard_conforming_strings = off', "DateStyle = 'SQL, DMY'", 'extra_float_digits = 0'];
    let wh: PostgresWarehouse;
    if (url) {
      const options = settings.map((s) => `-c ${s.replace(/ = /, '=').replace(/'/g, '').replace(/ /g, '\\ ')}`).join(' ');
      wh = await PostgresWarehouse.connect(`${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(options)}`);
    } else {
      const { PGlite } = await import('@electric-sql/pglite');
      const db = new PGlite();
      for (const s of settings) await db.exec(`SET ${s}`);
      wh = await PostgresWarehouse.wrap(db, () => db.close());
    }
    const schema = `scs_${process.pid}`;
    try {
      const fixture = { identifies: [{ id: 'i1', user_id: 'u1', timestamp: '2024-05-01T00:00:00Z', traits: { plan: 'a\\b' } }, { id: 'i2', user_id: 'u2', timestamp: '2024-05-01T00:00:00Z', traits: { plan: 'pro' } }] };
      for (const sql of fixtureStatements(fixture, 'segment', schema, 'postgres')) await wh.exec(sql);
      const audience = (key: string, value: string) => ({ kind: 'audience', key, entity: 'user', where: { trait: { key: 'plan', op: 'eq', value } } });
      const defs = definitions([audience('injected', "x\\' OR TRUE, TRUE) --"), audience('backslash', 'a\\b')]);
      const report = await runProject(project(defs, 'segment', { schema }, `${schema}_state`), buildGraph(defs), wh, { asOf: new Date(AS_OF), dryRun: true });
      expect(report.outcomes.map((o) => [o.key, o.status, o.emission?.entered])).toEqual([['backslash', 'ok', 1], ['injected', 'ok', 0]]);
    } finally {
      await wh.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await wh.close();
    }
  });
});

/*
 * JIT-compiling the long expressions of a JSON layout's rounded numbers took gigabytes and minutes,
 * uncancellable, for a query of 0.2 s (Postgres 15): roster's session turns it off, whatever the
 * server's or role's default.
 */
describe(`Postgres (${PG_KIND}): JIT`, () => {
  it('is off in roster\'s session though the connection asks for it', async () => {
    const url = process.env.ROSTER_TEST_PG_URL;
    let wh: PostgresWarehouse;
    if (url) {
      wh = await PostgresWarehouse.connect(`${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent('-c jit=on')}`);
    } else {
      const { PGlite } = await import('@electric-sql/pglite');
      const db = new PGlite();
      await db.exec('SET jit = on');
      wh = await PostgresWarehouse.wrap(db, () => db.close());
    }
    try {
      expect(await wh.query('SHOW jit')).toEqual([{ jit: 'off' }]);
    } finally {
      await wh.close();
    }
  });
});

// set_config('role', ..., false) outlives a SQL trait's read-only transaction, and RESET ALL leaves the role.
describe(`Postgres (${PG_KIND}): a SQL trait that changes the role`, () => {
  it('leaves the rest of the run, and its commit, to roster\'s own role', async () => {
    const fx = await fixtureWarehouse(world, 'segment', 'postgres');
    const role = `lim_${process.pid}`;
    try {
      await fx.wh.exec(`CREATE ROLE ${role} NOLOGIN`);
      await fx.wh.exec(`GRANT USAGE ON SCHEMA ${fx.schema} TO ${role}`);
      await fx.wh.exec(`GRANT SELECT ON ALL TABLES IN SCHEMA ${fx.schema} TO ${role}`);
      const defs = definitions([
        { kind: 'sql_trait', key: 'as_other', entity: 'user', sql: `SELECT user_id, set_config('role', '${role}', false) AS as_other FROM {{source "identifies"}}` },
        // (PGlite's RESET SESSION AUTHORIZATION does not go back to its one user: a server's does.)
        ...(PG_KIND === 'server' ? [{ kind: 'sql_trait', key: 'as_other_session', entity: 'user', sql: `SELECT user_id, set_config('session_authorization', '${role}', false) AS as_other_session FROM {{source "identifies"}}` }] : []),
        'kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In',
      ]);
      const report = await runProject(project(defs, 'segment', { schema: fx.schema }, fx.state), buildGraph(defs), fx.wh, { asOf: new Date(AS_OF) });
      expect(report.outcomes.map((o) => [o.key, o.status, o.error])).toEqual([
        ['as_other', 'ok', undefined], ...(PG_KIND === 'server' ? [['as_other_session', 'ok', undefined]] : []), ['logins', 'ok', undefined],
      ]);
      expect((await fx.wh.query('SELECT current_user = session_user AS own'))[0].own).toBe(true);
    } finally {
      await fx.dispose();
      await fx.wh.exec(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
    }
  });
});

describe(`Postgres (${PG_KIND}): a reader of a result table`, () => {
  // Two sessions: the server only (PGlite is one connection).
  it.runIf(PG_KIND === 'server')('does not hold back a run that rewrites that table, and reads the last committed rows meanwhile', async () => {
    const fx = await fixtureWarehouse(world, 'segment', 'postgres');
    const reader = await PostgresWarehouse.connect(process.env.ROSTER_TEST_PG_URL!);
    let readerOpen = false;
    let second: Promise<unknown> | undefined;
    try {
      // Every value changes between the runs: the second run rewrites the result table whole.
      const tier = (n: number) => definitions([{ kind: 'sql_trait', key: 'tier', entity: 'user', sql: `SELECT user_id, ${n} AS tier FROM ${fx.schema}.identifies WHERE user_id <> '' GROUP BY user_id` }]);
      const run = (day: string, defs: ReturnType<typeof tier>) =>
        runProject(project(defs, 'segment', { schema: fx.schema }, fx.state), buildGraph(defs), fx.wh, { asOf: new Date(day) });
      expect((await run(AS_OF, tier(1))).ok).toBe(true);
      const result = `${fx.state}.tier`;
      // A reader's open transaction holds its lock on the table until it ends; this one reads one
      // snapshot throughout, as pg_dump does.
      await reader.exec('BEGIN ISOLATION LEVEL REPEATABLE READ');
      readerOpen = true;
      expect(await reader.query(`SELECT DISTINCT tier FROM ${result}`)).toEqual([{ tier: 1 }]);
      second = run('2024-06-02T00:00:00Z', tier(2));
      const waited = await Promise.race([second.then(() => 'done'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 15_000))]);
      expect(waited).toBe('done');
      expect((await second).ok).toBe(true);
      expect(await reader.query(`SELECT DISTINCT tier FROM ${result}`)).toEqual([{ tier: 1 }]);
      await reader.exec('COMMIT');
      readerOpen = false;
      expect(await reader.query(`SELECT DISTINCT tier FROM ${result}`)).toEqual([{ tier: 2 }]);
    } finally {
      // Ends the reader's transaction first: a run waiting on it can then finish before the schemas go.
      if (readerOpen) await reader.exec('ROLLBACK');
      await second?.catch(() => undefined);
      await reader.close();
      await fx.dispose();
    }
  }, 60_000);
});

describe(`Postgres (${PG_KIND}): a roster killed while its statement waits on a lock`, () => {
  // Two sessions and a roster process: the server only.
  it.runIf(PG_KIND === 'server')('leaves no session holding the run lock: the server sees roster gone and ends its statement', async () => {
    const fx = await fixtureWarehouse(world, 'segment', 'postgres');
    const blocker = await PostgresWarehouse.connect(process.env.ROSTER_TEST_PG_URL!);
    const dir = mkdtempSync(path.join(tmpdir(), 'roster-killed-'));
    let blocking = false;
    try {
      mkdirSync(path.join(dir, 'definitions'));
      writeFileSync(path.join(dir, 'roster.yml'), [
        'name: killed',
        `warehouse: { dialect: postgres, url: "${process.env.ROSTER_TEST_PG_URL}" }`,
        `source: { schema: ${fx.schema} }`,
        `state: { schema: ${fx.state} }`,
      ].join('\n'));
      writeFileSync(path.join(dir, 'definitions', 'logins.yml'), 'kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In\n');
      // Another session holds the events table: roster's read of it waits.
      await blocker.exec('BEGIN');
      blocking = true;
      await blocker.exec(`LOCK TABLE ${fx.schema}.logged_in IN ACCESS EXCLUSIVE MODE`);
      const roster = startRoster(['--project', dir, 'run', '--as-of', AS_OF]);
      // Asked outside the blocker's transaction, whose view of pg_stat_activity stays as it first read it.
      const waiting = async () => Number((await fx.wh.query(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`, { q: `%${fx.schema}%logged_in%` },
      ))[0].n);
      for (let i = 0; i < 150 && (await waiting()) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await waiting()).toBe(1);
      roster.child.kill('SIGKILL');
      await roster.done;
      // The run lock comes free without the blocker ending its transaction.
      const lockFree = async () => {
        const [{ locked }] = await fx.wh.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', { name: `roster:${fx.state}` });
        if (locked) await fx.wh.query('SELECT pg_advisory_unlock(hashtext($1))', { name: `roster:${fx.state}` });
        return locked;
      };
      let free = false;
      for (let i = 0; i < 40 && !free; i++) {
        free = await lockFree();
        if (!free) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(free).toBe(true);
      expect(await waiting()).toBe(0);
    } finally {
      if (blocking) await blocker.exec('ROLLBACK');
      await blocker.close();
      await fx.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
