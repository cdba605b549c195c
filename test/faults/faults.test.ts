import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb-runner.js';
import { roster, rosterAsync, startRoster } from '../cli/roster-cli.js';
import { fixtureStatements, type Fixture } from '../support/fixture.js';

/*
 * Warehouse and destination faults, driven through the CLI as a user meets them: exit 2, one
 * clear message (no stack trace), committed state intact, the next run correct; and secrets
 * never printed.
 */
const world: Fixture = {
  events: [
    { id: 'l1', user_id: 'u1', event: 'Logged In', timestamp: '2024-05-30T12:00:00Z' },
    { id: 'l2', user_id: 'u2', event: 'Logged In', timestamp: '2024-05-31T12:00:00Z' },
  ],
  groups: [{ id: 'g1', user_id: 'u1', group_id: 'a1', timestamp: '2024-05-01T00:00:00Z', traits: { industry: 'Software' } }],
};
const LOGINS = 'kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In\n';
const noStack = (s: string) => expect(s).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

async function duckProject(rosterYml: string, defs: Record<string, string> = { logins: LOGINS }, dir = mkdtempSync(path.join(tmpdir(), 'roster-faults-'))): Promise<string> {
  mkdirSync(path.join(dir, 'definitions'), { recursive: true });
  writeFileSync(path.join(dir, 'roster.yml'), rosterYml);
  for (const [key, yml] of Object.entries(defs)) writeFileSync(path.join(dir, 'definitions', `${key}.yml`), yml);
  const wh = await DuckDbWarehouse.open({ path: path.join(dir, 'warehouse.duckdb') });
  for (const sql of fixtureStatements(world, 'segment')) await wh.exec(sql);
  await wh.close();
  return dir;
}

/**
 * The fixture in a fresh source schema of the Postgres server, and a project folder with the
 * logins definition; `drop` removes the schema and its state schema.
 */
async function pgProject(prefix: string) {
  const { PostgresWarehouse } = await import('../../src/warehouse/postgres-runner.js');
  const url = process.env.ROSTER_TEST_PG_URL!;
  const schema = `${prefix}${process.pid}`;
  const setup = await PostgresWarehouse.connect(url);
  for (const sql of fixtureStatements(world, 'segment', schema, 'postgres')) await setup.exec(sql);
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-faults-'));
  mkdirSync(path.join(dir, 'definitions'));
  writeFileSync(path.join(dir, 'definitions/logins.yml'), LOGINS);
  const drop = async () => {
    await setup.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await setup.exec(`DROP SCHEMA IF EXISTS ${schema}_state CASCADE`);
    await setup.close();
  };
  return { setup, schema, dir, env: { PG_URL: url }, drop };
}

describe('warehouse faults', () => {
  it('an unreachable Postgres: exit 2, the host named, the password never printed', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'roster-faults-'));
    mkdirSync(path.join(dir, 'definitions'));
    writeFileSync(path.join(dir, 'definitions/logins.yml'), LOGINS);
    writeFileSync(path.join(dir, 'roster.yml'), 'warehouse:\n  dialect: postgres\n  url: ${PG_URL}\n');
    const r = roster(['--project', dir, 'run', '--as-of', '2024-06-01'], { env: { PG_URL: 'postgres://alice:hunter2-secret@127.0.0.1:1/db' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot connect to Postgres at 127.0.0.1:1/db');
    expect(r.stderr + r.stdout).not.toContain('hunter2-secret');
    noStack(r.stderr);
  });

  it('a warehouse file that is not a database: exit 2 with a clear message', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'roster-faults-'));
    mkdirSync(path.join(dir, 'definitions'));
    writeFileSync(path.join(dir, 'definitions/logins.yml'), LOGINS);
    writeFileSync(path.join(dir, 'roster.yml'), 'name: x\n');
    writeFileSync(path.join(dir, 'warehouse.duckdb'), 'not a database');
    const r = roster(['--project', dir, 'run', '--as-of', '2024-06-01']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot open the warehouse');
    noStack(r.stderr);
  });

  it('the warehouse\'s disk full (a small tmpfs, where it can be mounted): exit 2, the last committed state intact, the next run emits as if nothing failed', async (ctx) => {
    const disk = mkdtempSync(path.join(tmpdir(), 'roster-full-disk-'));
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', disk]).status !== 0) ctx.skip(); // needs root
    try {
      const recent = 'kind: computed_trait\nkey: recent\nentity: user\ntype: event_counter\nevent: Logged In\nwindow: { last: 2 days }\n';
      const defs = { logins: LOGINS, recent };
      // The jsonl file lives off the full disk: only the warehouse meets it.
      const out = mkdtempSync(path.join(tmpdir(), 'roster-faults-out-'));
      const dir = await duckProject(`destinations: [{ name: crm, type: jsonl, path: ${out}/crm.jsonl }]\n`, defs, path.join(disk, 'p'));
      expect(roster(['--project', dir, 'run', '--as-of', '2024-06-01']).code).toBe(0);
      // A run that never fails, for comparison: the same project and state, on a normal disk.
      const control = mkdtempSync(path.join(tmpdir(), 'roster-faults-control-'));
      cpSync(dir, control, { recursive: true });
      cpSync(`${out}/crm.jsonl`, `${control}/crm.jsonl`);
      writeFileSync(path.join(control, 'roster.yml'), `destinations: [{ name: crm, type: jsonl, path: ${control}/crm.jsonl }]\n`);

      const { bavail, bsize } = statfsSync(disk);
      writeFileSync(path.join(disk, 'filler'), Buffer.alloc(Number(bavail) * Number(bsize)));
      const full = roster(['--project', dir, 'run', '--as-of', '2024-06-03']);
      expect(full.code).toBe(2);
      expect(full.stderr).toContain('No space left on device');
      noStack(full.stderr);

      rmSync(path.join(disk, 'filler'));
      expect(roster(['--project', dir, 'run', '--as-of', '2024-06-03']).code).toBe(0);
      expect(roster(['--project', control, 'run', '--as-of', '2024-06-03']).code).toBe(0);
      const sent = readFileSync(`${out}/crm.jsonl`, 'utf8');
      expect(sent).toBe(readFileSync(`${control}/crm.jsonl`, 'utf8'));
      // logins: identify + track for u1, u2 at 06-01; recent: both had 1, then 0 at 06-03 (changed).
      expect(sent.split('\n').filter(Boolean).map((l) => JSON.parse(l)).map((m) => `${m.type} ${m.userId} ${JSON.stringify(m.traits ?? m.properties)}`)).toEqual([
        'identify u1 {"logins":1}', 'identify u2 {"logins":1}', 'track u1 {"trait_key":"logins","logins":1}', 'track u2 {"trait_key":"logins","logins":1}',
        'identify u1 {"recent":1}', 'identify u2 {"recent":1}', 'track u1 {"trait_key":"recent","recent":1}', 'track u2 {"trait_key":"recent","recent":1}',
        'identify u1 {"recent":0}', 'identify u2 {"recent":0}', 'track u1 {"trait_key":"recent","recent":0}', 'track u2 {"trait_key":"recent","recent":0}',
      ]);
    } finally {
      spawnSync('umount', [disk]);
    }
  });

  it.skipIf(!process.env.ROSTER_TEST_PG_URL)('a query killed mid-run (statement timeout): exit 2, the last committed state intact, the next run correct', async () => {
    const { setup, schema, dir, env, drop } = await pgProject('faults_');
    const slow = `kind: sql_trait\nkey: slow\nentity: user\nsql: SELECT user_id, count(*) AS slow FROM {{source "tracks"}}, pg_sleep(3) WHERE user_id IS NOT NULL GROUP BY user_id\n`;
    const yml = (timeout: number) => `warehouse:\n  dialect: postgres\n  url: \${PG_URL}\n  statement_timeout_ms: ${timeout}\nsource: { schema: ${schema} }\nstate: { schema: ${schema}_state }\ndestinations: [{ name: crm, type: jsonl, path: out/crm.jsonl }]\n`;
    try {
      writeFileSync(path.join(dir, 'roster.yml'), yml(60_000));
      expect(roster(['--project', dir, 'run', '--as-of', '2024-06-01'], { env }).code).toBe(0);
      const committed = await setup.query(`SELECT * FROM ${schema}_state.logins ORDER BY user_id`);
      writeFileSync(path.join(dir, 'definitions/slow.yml'), slow);
      writeFileSync(path.join(dir, 'roster.yml'), yml(500));
      const killed = roster(['--project', dir, 'run', '--as-of', '2024-06-02'], { env });
      expect(killed.code).toBe(2);
      expect(killed.stderr).toMatch(/slow: .*statement timeout/);
      expect(await setup.query(`SELECT * FROM ${schema}_state.logins ORDER BY user_id`)).toEqual(committed);
      writeFileSync(path.join(dir, 'roster.yml'), yml(60_000));
      expect(roster(['--project', dir, 'run', '--as-of', '2024-06-02'], { env }).code).toBe(0);
      expect((await setup.query(`SELECT * FROM ${schema}_state.slow ORDER BY user_id`)).map((r) => r.slow)).toEqual([1, 1]);
    } finally {
      await drop();
    }
  });

  it.skipIf(!process.env.ROSTER_TEST_PG_URL)('the warehouse failing partway through a delivery: exit 2, what each destination got, then the error; deliver later sends nothing twice', async () => {
    const { setup, schema, dir, env, drop } = await pgProject('faults_d');
    writeFileSync(path.join(dir, 'roster.yml'), `warehouse:\n  dialect: postgres\n  url: \${PG_URL}\nsource: { schema: ${schema} }\nstate: { schema: ${schema}_state }\n`
      + 'destinations: [{ name: crm, type: jsonl, path: out/crm.jsonl }, { name: archive, type: jsonl, path: out/archive.jsonl }]\n');
    const lines = (name: string) => readFileSync(path.join(dir, `out/${name}.jsonl`), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    try {
      expect(roster(['--project', dir, 'run', '--as-of', '2024-05-30T18:00:00Z'], { env }).code).toBe(0); // u1's login
      // A real refusal by the server, as a lost connection would be: archive's next cursor cannot move.
      await setup.exec(`ALTER TABLE ${schema}_state._deliveries ADD CONSTRAINT hold_archive CHECK (destination <> 'archive' OR run_id = 1 OR done = 0)`);
      const stopped = roster(['--project', dir, 'run', '--as-of', '2024-06-01T00:00:00Z'], { env }); // u2's login
      expect(stopped.code).toBe(2);
      expect(stopped.stdout).toContain('roster run at 2024-06-01T00:00:00.000Z (run 2)');
      expect(stopped.stdout.split('\n').filter((l) => /^(crm|archive): /.test(l))).toEqual(['crm: 2 sent', 'archive: 2 sent']);
      expect(stopped.stderr).toMatch(/^error: delivery stopped: .*hold_archive/m);
      expect(stopped.stderr).toContain('stays pending in the outbox: `roster deliver` (or the next run) sends it');
      noStack(stopped.stderr);
      expect(lines('archive').map((m) => `${m.type} ${m.userId}`)).toEqual(['identify u1', 'track u1', 'identify u2', 'track u2']);

      const json = roster(['--project', dir, 'deliver', '--json', '--quiet'], { env });
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout).delivery).toMatchObject({
        ok: false, pending: null, failed: 0, failed_in_all: null, orphaned: null, error: expect.stringMatching(/^delivery stopped: .*hold_archive/),
        destinations: [
          { destination: 'crm', sent: 0, already_delivered: 0, failed: 0, pending: null, errors: [] },
          { destination: 'archive', sent: 0, already_delivered: 2, failed: 0, pending: null, errors: [] },
        ],
      });

      await setup.exec(`ALTER TABLE ${schema}_state._deliveries DROP CONSTRAINT hold_archive`);
      const deliver = roster(['--project', dir, 'deliver'], { env });
      expect(deliver.code).toBe(0);
      expect(deliver.stdout).toContain('archive: 0 sent, 2 already at the destination from an interrupted delivery');
      expect(lines('archive')).toEqual(lines('crm'));
      expect(new Set(lines('archive').map((m) => m.messageId)).size).toBe(4);
    } finally {
      await drop();
    }
  });
});

describe('destination faults', () => {
  it.skipIf(!existsSync('/dev/full'))('a full disk (writes to /dev/full fail with ENOSPC): exit 2, messages pending; deliver to a working file sends each once', async () => {
    const base = 'destinations:\n  - name: crm\n    type: jsonl\n    path: PATH\n';
    const dir = await duckProject(base.replace('PATH', '/dev/full'));
    const full = roster(['--project', dir, 'run', '--as-of', '2024-06-01']);
    expect(full.code).toBe(2);
    expect(full.stderr + full.stdout).toMatch(/pending/);
    noStack(full.stderr);
    writeFileSync(path.join(dir, 'roster.yml'), base.replace('PATH', 'out/crm.jsonl'));
    const deliver = roster(['--project', dir, 'deliver']);
    expect(deliver.code).toBe(0);
    const lines = readFileSync(path.join(dir, 'out/crm.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    // logins: u1 1, u2 1 -> identify + track each
    expect(lines.map((m) => `${m.type} ${m.userId}`)).toEqual(['identify u1', 'identify u2', 'track u1', 'track u2']);
    expect(roster(['--project', dir, 'deliver']).stdout).not.toMatch(/\d+ sent/);
  });
});

describe('interruptions', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s during delivery ends roster as the signal does, saying nothing is lost; deliver then sends what was pending', async (signal) => {
    // An endpoint that takes the request and never answers holds the run in its delivery.
    let requests = 0;
    const server = createServer(() => void requests++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const dir = await duckProject(`destinations:\n  - name: crm\n    type: jsonl\n    path: out/crm.jsonl\n  - name: sink\n    type: http\n    url: http://127.0.0.1:${port}/v1/batch\n`);
      const run = startRoster(['--project', dir, 'run', '--as-of', '2024-06-01']);
      while (requests === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      run.child.kill(signal);
      const stopped = await run.done;
      expect(stopped.signal).toBe(signal);
      expect(stopped.stderr).toContain(`roster: stopped by ${signal}; what was committed stays committed, and the next run or roster deliver sends what is still pending`);
      noStack(stopped.stderr);
      // The run committed before delivering: deliver sends the sink's messages to a file instead.
      writeFileSync(path.join(dir, 'roster.yml'), 'destinations:\n  - name: crm\n    type: jsonl\n    path: out/crm.jsonl\n  - name: sink\n    type: jsonl\n    path: out/sink.jsonl\n');
      const deliver = await rosterAsync(['--project', dir, 'deliver']);
      expect(deliver.code).toBe(0);
      expect(readFileSync(path.join(dir, 'out/sink.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(4);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('secrets', () => {
  it('an http write key never appears in output, errors or compiled files, even when the endpoint echoes it', async () => {
    const key = 'wk_live_SECRET_123';
    const basic = Buffer.from(`${key}:`).toString('base64');
    const server = createServer((req, res) => {
      // A hostile endpoint that echoes the Authorization header in its error body.
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`bad request, you sent ${req.headers.authorization}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const dir = await duckProject(`destinations:\n  - name: sink\n    type: http\n    url: http://127.0.0.1:${port}/v1/batch\n    write_key: \${SEGMENT_WRITE_KEY}\n    max_retries: 0\n`);
      const env = { SEGMENT_WRITE_KEY: key };
      // Async: the server lives in this process and must be able to answer.
      const run = await rosterAsync(['--project', dir, 'run', '--as-of', '2024-06-01'], { env });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('HTTP 400: bad request, you sent Basic [redacted]');
      const compile = roster(['--project', dir, 'compile'], { env });
      expect(compile.code).toBe(0);
      const compiled = readFileSync(path.join(dir, 'compiled/duckdb/logins.sql'), 'utf8');
      for (const text of [run.stdout, run.stderr, compile.stdout, compile.stderr, compiled]) {
        expect(text).not.toContain(key);
        expect(text).not.toContain(basic);
      }
    } finally {
      server.close();
    }
  });
});
