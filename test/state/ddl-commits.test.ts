import { describe, expect, it } from 'vitest';
import { snowflake } from '../../dialects/snowflake.js';
import type { Dialect } from '../../src/compiler/dialect.js';
import { buildGraph } from '../../src/definitions/graph.js';
import { ProjectConfig } from '../../src/definitions/project-config.js';
import type { Project } from '../../src/definitions/project.js';
import { runProject } from '../../src/run/run-project.js';
import { WarehouseError, type Warehouse } from '../../src/warehouse/warehouse.js';
import type { Fixture } from '../support/fixture.js';
import { definitions, fixtureWarehouse, type FixtureWarehouse } from '../support/harness.js';

/*
 * Where DDL commits the open transaction (Snowflake: CREATE TABLE commits what came before it,
 * then every later statement commits alone until the next BEGIN), a run's commit must still be
 * whole. No Snowflake can be reached here, so DuckDB plays one: the warehouse below commits
 * before any DDL inside a transaction, as Snowflake does, and fails its k-th statement of the
 * commit, for every k. The dialect is DuckDB's with Snowflake's own replaceRows.
 */
const at = (day: number) => `2024-05-${String(day).padStart(2, '0')}T12:00:00Z`;
const world: Fixture = {
  events: [
    { id: 'e1', user_id: 'u1', event: 'Logged In', timestamp: at(1) },
    { id: 'e2', user_id: 'u2', event: 'Logged In', timestamp: at(2) },
  ],
  groups: [
    { id: 'g1', user_id: 'u1', group_id: 'a1', timestamp: at(1) },
    { id: 'g2', user_id: 'u2', group_id: 'a2', timestamp: at(1) },
  ],
};
const DEFINITIONS = [
  'kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In',
  // A SQL trait's result is rewritten whole whenever it changes.
  'kind: sql_trait\nkey: seen\nentity: user\nsql: SELECT user_id, count(*) AS seen FROM {{source "tracks"}} GROUP BY user_id',
  'kind: audience\nkey: active\nentity: account\nwhere: { users: any, where: { event: { name: Logged In, count: { gte: 2 } } } }',
];
const NEW_DEFINITION = 'kind: computed_trait\nkey: last_login\nentity: user\ntype: last\nevent: Logged In\nproperty: id';

/** DuckDB behaving as Snowflake does with DDL in a transaction, failing the k-th statement of a transaction (0: none). */
function ddlCommitting(wh: Warehouse): Warehouse & { failAt: number; statements: string[] } {
  const dialect: Dialect = Object.assign(Object.create(wh.dialect) as Dialect, { replaceRows: snowflake.replaceRows.bind(snowflake) });
  let open = false; // a transaction is open (until a DDL statement commits it)
  let inTransaction = false; // inside transaction(fn), open or not
  const self = {
    failAt: 0,
    statements: [] as string[],
    dialect,
    async exec(sql: string, ...rest: unknown[]): Promise<void> {
      if (inTransaction) {
        self.statements.push(sql);
        // The open transaction is committed before the DDL runs, whether the DDL then fails or not.
        if (open && /^\s*(CREATE|DROP|ALTER)\b/i.test(sql) && !/^\s*CREATE\s+(OR\s+REPLACE\s+)?TEMP/i.test(sql)) {
          await wh.exec('COMMIT');
          open = false;
        }
        if (self.statements.length === self.failAt) throw new WarehouseError(`injected failure at statement ${self.failAt}`);
      }
      await (wh.exec as (...a: unknown[]) => Promise<void>)(sql, ...rest);
    },
    async query(sql: string, ...rest: unknown[]) {
      if (inTransaction) {
        self.statements.push(sql);
        if (self.statements.length === self.failAt) throw new WarehouseError(`injected failure at statement ${self.failAt}`);
      }
      return (wh.query as (...a: unknown[]) => Promise<Record<string, unknown>[]>)(sql, ...rest);
    },
    async transaction<T>(fn: () => Promise<T>): Promise<T> {
      await wh.exec('BEGIN TRANSACTION');
      [open, inTransaction] = [true, true];
      try {
        const result = await fn();
        if (open) await wh.exec('COMMIT');
        return result;
      } catch (e) {
        if (open) await wh.exec('ROLLBACK'); // after a DDL, nothing is left to roll back
        throw e;
      } finally {
        [open, inTransaction] = [false, false];
      }
    },
  };
  return new Proxy(self, {
    get: (target, name) => (name in target ? target[name as keyof typeof target] : (wh as unknown as Record<string | symbol, unknown>)[name] instanceof Function
      ? ((wh as unknown as Record<string | symbol, (...a: unknown[]) => unknown>)[name]).bind(wh) : (wh as unknown as Record<string | symbol, unknown>)[name]),
  }) as Warehouse & { failAt: number; statements: string[] };
}

function projectOf(inputs: readonly string[]): Project {
  const config = ProjectConfig.parse({ name: 'test', source: { schema: 'main' }, state: { schema: 'roster' }, destinations: [{ name: 'crm', type: 'jsonl', path: 'out/crm.jsonl' }] });
  return { dir: '/nonexistent', config, definitions: definitions(inputs) };
}

async function run(wh: Warehouse, inputs: readonly string[], asOf: string): Promise<boolean> {
  const p = projectOf(inputs);
  try {
    return (await runProject(p, buildGraph(p.definitions), wh, { asOf: new Date(asOf) })).ok;
  } catch (e) {
    // The injected failure, said as a failed commit: the engine's words alone do not say what failed.
    expect((e as Error).message).toMatch(/^committing the run to the state schema roster: injected failure at statement \d+$/);
    return false;
  }
}

/** Every table of the state schema with its rows, as text (the run log's clock columns left out). */
async function stateOf(wh: Warehouse): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of [...(await wh.catalog('roster')).keys()].sort()) {
    const rows = await wh.query(`SELECT * FROM roster."${table}"`);
    out[table] = rows.map((r) => JSON.stringify(Object.entries(r).filter(([k]) => !/_at$/.test(k)))).sort().join('\n');
  }
  return out;
}

/** Copies the state schema aside and back: the committed state before the run under test. */
async function saveState(wh: Warehouse): Promise<() => Promise<void>> {
  const tables = [...(await wh.catalog('roster')).keys()];
  await wh.exec('CREATE SCHEMA saved');
  for (const t of tables) await wh.exec(`CREATE TABLE saved."${t}" AS SELECT * FROM roster."${t}"`);
  return async () => {
    await wh.exec('DROP SCHEMA roster CASCADE');
    await wh.exec('CREATE SCHEMA roster');
    for (const t of tables) await wh.exec(`CREATE TABLE roster."${t}" AS SELECT * FROM saved."${t}"`);
  };
}

/**
 * Runs `inputs` at `asOf` once whole, from the committed state as it is, then again from that
 * same state failing the k-th statement of the commit, for every k: the states before and after
 * the whole run, its commit's statements, and the state each failed run left (failed[k - 1]).
 */
async function failingEachStatement(fx: FixtureWarehouse, wh: ReturnType<typeof ddlCommitting>, inputs: readonly string[], asOf: string) {
  const before = await stateOf(wh);
  const restore = await saveState(fx.wh);
  wh.statements.length = 0;
  expect(await run(wh, inputs, asOf)).toBe(true);
  const committed = await stateOf(wh);
  const statements = [...wh.statements];
  const failed: Record<string, string>[] = [];
  for (let k = 1; k <= statements.length; k++) {
    await restore();
    wh.statements.length = 0;
    wh.failAt = k;
    expect(await run(wh, inputs, asOf)).toBe(false);
    failed.push(await stateOf(wh));
  }
  wh.failAt = 0;
  return { before, committed, statements, failed };
}

describe('a commit where DDL commits the open transaction (Snowflake), played by DuckDB', () => {
  it('a run whose tables keep their columns commits whole or not at all, wherever it fails', async () => {
    const fx = await fixtureWarehouse(world, 'segment');
    const wh = ddlCommitting(fx.wh);
    try {
      expect(await run(wh, DEFINITIONS, at(3))).toBe(true);
      // u1 logs in twice more and u3 joins a1: every result changes, the SQL trait's is rewritten.
      await fx.wh.exec(`INSERT INTO main.tracks (id, user_id, event, event_text, timestamp) VALUES ('e3', 'u1', 'logged_in', 'Logged In', TIMESTAMP '2024-05-04 12:00:00'), ('e4', 'u3', 'logged_in', 'Logged In', TIMESTAMP '2024-05-04 13:00:00')`);
      await fx.wh.exec(`INSERT INTO main.logged_in (id, user_id, event, event_text, timestamp) VALUES ('e3', 'u1', 'logged_in', 'Logged In', TIMESTAMP '2024-05-04 12:00:00'), ('e4', 'u3', 'logged_in', 'Logged In', TIMESTAMP '2024-05-04 13:00:00')`);
      await fx.wh.exec(`INSERT INTO main.groups (id, user_id, group_id, timestamp) VALUES ('g3', 'u3', 'a1', TIMESTAMP '2024-05-04 00:00:00')`);
      const { before, committed, statements, failed } = await failingEachStatement(fx, wh, DEFINITIONS, at(5));
      expect(committed).not.toEqual(before);
      // The rewrite of the SQL trait's result replaced its rows, not its table: no DDL at all.
      expect(statements.some((s) => /^DELETE FROM "roster"\."seen"/.test(s))).toBe(true);
      expect(statements.filter((s) => /^\s*(CREATE|DROP|ALTER)\b/i.test(s))).toEqual([]);
      failed.forEach((state, i) => expect({ k: i + 1, state }).toEqual({ k: i + 1, state: before }));
    } finally {
      await fx.dispose();
    }
  });

  it('a table a definition does not have yet is made empty before the commit: a failure leaves nothing else', async () => {
    const fx = await fixtureWarehouse(world, 'segment');
    const wh = ddlCommitting(fx.wh);
    try {
      expect(await run(wh, DEFINITIONS, at(3))).toBe(true);
      const { before, statements, failed } = await failingEachStatement(fx, wh, [...DEFINITIONS, NEW_DEFINITION], at(4));
      expect(statements.some((s) => /^INSERT INTO "roster"\."last_login"/.test(s))).toBe(true);
      expect(statements.filter((s) => /^\s*(CREATE|DROP|ALTER)\b/i.test(s))).toEqual([]);
      failed.forEach((state, i) => expect({ k: i + 1, state }).toEqual({ k: i + 1, state: { ...before, last_login: '' } }));
    } finally {
      await fx.dispose();
    }
  });

  it('a table whose columns change is replaced after the run log row: a failure leaves nothing, or the whole outbox and run log', async () => {
    const fx = await fixtureWarehouse(world, 'segment');
    const wh = ddlCommitting(fx.wh);
    // The SQL trait now returns two columns: its table must be made anew.
    const reshaped = [...DEFINITIONS.slice(0, 1), 'kind: sql_trait\nkey: seen\nentity: user\ntraits: [seen, first_seen]\nsql: SELECT user_id, count(*) AS seen, min(id) AS first_seen FROM {{source "tracks"}} GROUP BY user_id', DEFINITIONS[2]];
    try {
      expect(await run(wh, DEFINITIONS, at(3))).toBe(true);
      const { before, committed, statements, failed } = await failingEachStatement(fx, wh, reshaped, at(4));
      const ddl = statements.findIndex((s) => /^\s*(CREATE|DROP|ALTER)\b/i.test(s));
      expect(statements[ddl]).toMatch(/^CREATE OR REPLACE TABLE "roster"\."seen"/);
      expect(statements.findIndex((s) => /^INSERT INTO "roster"\."_runs"/.test(s))).toBeLessThan(ddl);
      const outbox = (state: Record<string, string>) => ({ runs: state._runs, changes: state._changes, deliveries: state._deliveries, definitions: state._definitions });
      // Nothing of the run, or all of its outbox and run log (with the table not yet replaced).
      failed.forEach((state, i) => {
        if (i + 1 <= ddl) expect({ k: i + 1, state }).toEqual({ k: i + 1, state: before });
        else expect({ k: i + 1, outbox: outbox(state) }).toEqual({ k: i + 1, outbox: outbox(committed) });
      });
    } finally {
      await fx.dispose();
    }
  });
});
