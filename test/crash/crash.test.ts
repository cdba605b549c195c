import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb-runner.js';
import { fixtureStatements, type Fixture } from '../support/fixture.js';
import { MAIN } from '../cli/roster-cli.js';
import { readJsonl, Scenario } from '../run/support.js';

/*
 * Kills a child `roster run` at each named stage (ROSTER_CRASH_AT makes it exit 137 right
 * there, as a SIGKILL would), then runs again or delivers, and checks that the jsonl file ends
 * up exactly as after runs that never crashed: every message once, in order.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const T1 = '2024-06-01T00:00:00Z';
const T2 = '2024-06-03T00:00:00Z';

const world: Fixture = {
  events: [
    { id: 'l1', user_id: 'u1', event: 'Logged In', timestamp: '2024-05-30T12:00:00Z' },
    { id: 'l2', user_id: 'u2', event: 'Logged In', timestamp: '2024-05-31T12:00:00Z' },
    { id: 'l3', user_id: 'u3', event: 'Logged In', timestamp: '2024-06-02T12:00:00Z' },
  ],
  groups: [
    { id: 'g1', user_id: 'u1', group_id: 'a1', timestamp: '2024-05-01T00:00:00Z', traits: { industry: 'Software' } },
    { id: 'g2', user_id: 'u2', group_id: 'a1', timestamp: '2024-05-02T00:00:00Z', traits: { industry: null } },
    { id: 'g3', user_id: 'u2', group_id: 'a2', timestamp: '2024-05-03T00:00:00Z', traits: { industry: 'Finance' } },
    { id: 'g4', user_id: 'u3', group_id: 'a2', timestamp: '2024-05-04T00:00:00Z', traits: { industry: null } },
    { id: 'g5', user_id: null, group_id: 'a2', timestamp: '2024-06-02T00:00:00Z', traits: { industry: 'Software' } },
  ],
};
const DEFINITIONS: Record<string, string> = {
  software: 'kind: audience\nkey: software\nentity: account\nwhere:\n  trait: { key: industry, op: eq, value: Software }\n',
  logins: 'kind: computed_trait\nkey: logins\nentity: account\ntype: event_counter\nevent: Logged In\n',
  recent: 'kind: computed_trait\nkey: recent\nentity: user\ntype: event_counter\nevent: Logged In\nwindow: { last: 2 days }\n',
};

async function makeProject(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-crash-'));
  mkdirSync(path.join(dir, 'definitions'));
  writeFileSync(path.join(dir, 'roster.yml'), 'name: crash\nwarehouse:\n  path: ./warehouse.duckdb\ndestinations:\n  - name: crm\n    type: jsonl\n    path: out/crm.jsonl\n');
  for (const [key, yml] of Object.entries(DEFINITIONS)) writeFileSync(path.join(dir, 'definitions', `${key}.yml`), yml);
  const wh = await DuckDbWarehouse.open({ path: path.join(dir, 'warehouse.duckdb') });
  for (const sql of fixtureStatements(world, 'segment')) await wh.exec(sql);
  await wh.close();
  return dir;
}

function roster(dir: string, args: string[], crashAt?: string) {
  const r = spawnSync(process.execPath, [MAIN, '--project', dir, ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', ROSTER_CRASH_AT: crashAt ?? '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lines = (dir: string) => {
  const file = path.join(dir, 'out/crm.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
};

/** What the file holds after runs at T1 and T2 that never crashed (same code, in process). */
async function reference(): Promise<{ t1: string[]; t2: string[] }> {
  const s = await Scenario.create(world);
  try {
    const defs = Object.values(DEFINITIONS);
    await s.run(defs, T1);
    const t1 = readJsonl(s.file('crm')).map((m) => JSON.stringify(m));
    await s.run(defs, T2);
    return { t1, t2: readJsonl(s.file('crm')).map((m) => JSON.stringify(m)) };
  } finally {
    await s.close();
  }
}

async function query(dir: string, sql: string) {
  const db = await DuckDBInstance.create(path.join(dir, 'warehouse.duckdb'));
  const c = await db.connect();
  try {
    return (await c.runAndReadAll(sql)).getRowObjectsJson();
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

/** Messages committed to the outbox and not yet delivered. */
const PENDING = 'SELECT CAST(sum(messages - done) AS BIGINT) AS n FROM roster._deliveries';

describe('crash safety', async () => {
  const ref = await reference();

  it.each(['after-compute', 'before-commit'])('killed %s: nothing is committed; the next run delivers everything once', async (point) => {
    const dir = await makeProject();
    expect(roster(dir, ['run', '--as-of', T1], point).code).toBe(137);
    expect(await query(dir, 'SELECT (SELECT count(*) FROM roster._runs) AS runs, (SELECT count(*) FROM roster._changes) AS changes, (SELECT count(*) FROM roster._deliveries) AS deliveries')).toEqual([{ runs: '0', changes: '0', deliveries: '0' }]);
    expect(lines(dir)).toEqual([]);
    expect(roster(dir, ['run', '--as-of', T1]).code).toBe(0);
    expect(roster(dir, ['run', '--as-of', T2]).code).toBe(0);
    expect(lines(dir)).toEqual(ref.t2);
  });

  it('killed after the commit: deliver sends the pending messages once; a re-run emits nothing new', async () => {
    const dir = await makeProject();
    expect(roster(dir, ['run', '--as-of', T1], 'after-commit').code).toBe(137);
    expect(await query(dir, PENDING)).toEqual([{ n: String(ref.t1.length) }]);
    const deliver = roster(dir, ['deliver']);
    expect(deliver.code).toBe(0);
    expect(deliver.stdout).toContain(`crm: ${ref.t1.length} sent`);
    expect(lines(dir)).toEqual(ref.t1);
    expect(roster(dir, ['run', '--as-of', T1]).code).toBe(0);
    expect(lines(dir)).toEqual(ref.t1);
    expect(roster(dir, ['run', '--as-of', T2]).code).toBe(0);
    expect(lines(dir)).toEqual(ref.t2);
  });

  it('killed in the middle of delivery (sent, not yet marked): the next run reconciles with the file and never writes a line twice', async () => {
    const dir = await makeProject();
    expect(roster(dir, ['run', '--as-of', T1], 'mid-delivery').code).toBe(137);
    // The crash hit after the first batch (the first definition's messages) reached the file.
    const computationKey = (line: string) => JSON.parse(line).context.personas.computation_key;
    const firstBatch = ref.t1.findIndex((l) => computationKey(l) !== computationKey(ref.t1[0]));
    expect(firstBatch).toBeGreaterThan(0);
    expect(lines(dir)).toEqual(ref.t1.slice(0, firstBatch));
    expect(await query(dir, PENDING)).toEqual([{ n: String(ref.t1.length) }]);
    const next = roster(dir, ['run', '--as-of', T2]);
    expect(next.code).toBe(0);
    expect(next.stdout).toContain(`${firstBatch} already at the destination from an interrupted delivery`);
    expect(lines(dir)).toEqual(ref.t2);
    const ids = lines(dir).map((l) => JSON.parse(l).messageId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a second run while one holds the warehouse exits 2 with a clear message and writes nothing', async () => {
    const dir = await makeProject();
    const db = await DuckDBInstance.create(path.join(dir, 'warehouse.duckdb'));
    try {
      const r = roster(dir, ['run', '--as-of', T1]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/in use by another process/);
    } finally {
      db.closeSync();
    }
    expect(lines(dir)).toEqual([]);
    expect(roster(dir, ['run', '--as-of', T1]).code).toBe(0);
    expect(lines(dir)).toEqual(ref.t1);
  });
});
