import { rmSync } from 'node:fs';
import path from 'node:path';
import { duckdb } from '../dialects/duckdb.js';
import { compileDefinition } from '../src/compiler/compile.js';
import { compilePlan } from '../src/compiler/plan/plan.js';
import { StageClock, stageBucket } from '../src/cli/progress.js';
import type { Destination } from '../src/definitions/project-config.js';
import { buildGraph } from '../src/definitions/graph.js';
import { loadProject } from '../src/definitions/load-project.js';
import type { Project } from '../src/definitions/project.js';
import { finishRun } from '../src/run/commit.js';
import { computeDefinitions, type ComputeStrategy } from '../src/run/compute.js';
import { deliverOutbox } from '../src/run/deliver-outbox.js';
import { runProject } from '../src/run/run-project.js';
import { openDeliveriesSql } from '../src/state/outbox-sql.js';
import { stateNames } from '../src/state/state-tables.js';
import { DuckDbWarehouse } from '../src/warehouse/duckdb-runner.js';
import { openWarehouse } from '../src/warehouse/open.js';

const now = () => performance.now();

/** The event tables the project's compiled queries read (tracks first), for the floor. */
export async function eventTablesUsed(project: Project): Promise<string[]> {
  const wh = await openWarehouse(project);
  try {
    const schema = project.config.source.schema;
    const catalog = await wh.catalog(schema);
    const sqls = project.definitions.map((def) => compileDefinition(def, { dialect: wh.dialect, config: project.config, definitions: project.definitions, catalog }).sql);
    const used = [...catalog.keys()].filter((t) => !['identifies', 'groups'].includes(t) && catalog.get(t)!.has('user_id') && sqls.some((sql) => sql.includes(wh.dialect.qualify(schema, t))));
    return ['tracks', ...used.filter((t) => t !== 'tracks').sort()];
  } finally {
    await wh.close();
  }
}

export interface FloorResult { readonly totalMs: number; readonly tracksMs: number; readonly perTable: Record<string, number> }

/**
 * The floor: one aggregate scan per event table, materialised like a run's results are
 * (CREATE TEMP TABLE ... AS), on a freshly opened instance (cold DuckDB buffers; the OS page
 * cache is warm for every measurement alike).
 */
export async function measureFloor(file: string, memoryLimit: string, schema: string, tables: readonly string[]): Promise<FloorResult> {
  const wh = await DuckDbWarehouse.open({ path: file, memoryLimit });
  const perTable: Record<string, number> = {};
  try {
    for (const [i, t] of tables.entries()) {
      const started = now();
      await wh.exec(`CREATE TEMP TABLE floor_${i} AS SELECT user_id, count(*) AS n, max(timestamp) AS last_at FROM ${wh.dialect.qualify(schema, t)} GROUP BY user_id`);
      perTable[t] = now() - started;
    }
  } finally {
    await wh.close();
  }
  const totalMs = Object.values(perTable).reduce((a, b) => a + b, 0);
  return { totalMs, tracksMs: perTable.tracks, perTable };
}

/** Naive: every definition's standalone compiled query, one after another (compute only). */
export async function measureNaive(projectDir: string, asOf: Date): Promise<{ ms: number; ok: boolean }> {
  const project = await loadProject(projectDir);
  const graph = buildGraph(project.definitions);
  const wh = await openWarehouse(project);
  try {
    const started = now();
    const catalog = await wh.catalog(project.config.source.schema);
    const all = new Set(graph.order);
    const outcomes = await computeDefinitions(project, graph, wh, catalog, { asOf: asOf.toISOString(), selected: all, needed: all, strategy: 'standalone' });
    return { ms: now() - started, ok: outcomes.every((o) => o.status === 'ok') };
  } finally {
    await wh.close();
  }
}

export interface RunResult {
  readonly totalMs: number;
  readonly stages: Record<string, number>;
  readonly messages: number;
  readonly sent: number;
  readonly ok: boolean;
}

/**
 * A run end to end as `roster run` does it (load, open, compute, diff, commit, deliver when
 * asked, finish, close), timed per stage from the run's progress events.
 */
export async function measureRun(projectDir: string, asOf: Date, options: { deliver: boolean; strategy?: ComputeStrategy }): Promise<RunResult> {
  const started = now();
  let kinds = new Map<string, string>();
  const clock = new StageClock(stageBucket((k) => kinds.get(k)));
  clock.mark('setup');
  const project = await loadProject(projectDir);
  kinds = new Map(project.definitions.map((d) => [d.key, d.kind]));
  const graph = buildGraph(project.definitions);
  const wh = await openWarehouse(project);
  let messages = 0;
  let sent = 0;
  let ok = false;
  try {
    const report = await runProject(project, graph, wh, { asOf, strategy: options.strategy, onProgress: (e) => clock.mark(e) });
    for (const o of report.outcomes) for (const x of o.emission?.destinations ?? []) messages += x.messages;
    ok = report.ok;
    if (options.deliver) {
      clock.mark('delivery');
      const delivery = await deliverOutbox(project, wh);
      sent = delivery.destinations.reduce((a, x) => a + x.sent, 0);
      ok &&= delivery.ok;
    }
    clock.mark('finish');
    await finishRun(wh, stateNames(wh.dialect, project.config.state.schema), report.runId!, ok ? 'delivered' : 'incomplete');
    clock.mark('close');
  } finally {
    await wh.close();
  }
  return { totalMs: now() - started, stages: clock.finish(), messages, sent, ok };
}

/**
 * Every delivery of the outbox back to its first message (nothing sent, no failures recorded).
 * Returns how many messages the measurement sends: whole deliveries, in delivery order, until at
 * least `limit`. A delivery's fixed cost (expanding its change rows into its ordered messages)
 * is then counted with all the messages it serves, as when roster drains an outbox. Done on its
 * own instance, so the timed delivery opens a fresh one.
 */
export async function prepareDelivery(projectDir: string, limit: number): Promise<number> {
  const project = await loadProject(projectDir);
  const wh = await openWarehouse(project);
  try {
    const s = stateNames(wh.dialect, project.config.state.schema);
    await wh.exec(`UPDATE ${s.deliveries} SET done = 0`);
    await wh.exec(`DELETE FROM ${s.failedMessages}`);
    let whole = 0;
    for (const r of await wh.query(openDeliveriesSql(wh.dialect, s, project.config.destinations[0].name))) {
      if (whole >= limit) break;
      whole += Number(r.messages);
    }
    return whole;
  } finally {
    await wh.close();
  }
}

/** After the delivery measurements: the whole outbox counts as delivered (the re-runs start clean). */
export async function settleOutbox(projectDir: string): Promise<void> {
  const project = await loadProject(projectDir);
  const wh = await openWarehouse(project);
  try {
    const s = stateNames(wh.dialect, project.config.state.schema);
    await wh.exec(`UPDATE ${s.deliveries} SET done = messages`);
  } finally {
    await wh.close();
  }
}

/** Delivery of what is pending to `destination` (default: the project's own), timed. */
export async function measureDelivery(projectDir: string, limit: number, destination?: Destination): Promise<{ ms: number; sent: number; ok: boolean }> {
  let project = await loadProject(projectDir);
  if (destination) project = { ...project, config: { ...project.config, destinations: [destination] } };
  rmSync(path.join(projectDir, 'out'), { recursive: true, force: true });
  const wh = await openWarehouse(project);
  try {
    const started = now();
    const report = await deliverOutbox(project, wh, { maxMessages: limit });
    return { ms: now() - started, sent: report.destinations.reduce((a, x) => a + x.sent, 0), ok: report.ok };
  } finally {
    await wh.close();
  }
}

/**
 * A small change: `perTable` new events in each of a few event tables (and tracks), copies of
 * existing users' events moved to just after `after`. They are picked before they are numbered: a
 * window over the whole table sorted all of it (4 – 5 s and 1.7 GiB of RSS at the large size, the
 * bench process's peak), for the same rows.
 */
export async function insertNewEvents(projectDir: string, after: Date, perTable: number): Promise<number> {
  const project = await loadProject(projectDir);
  const wh = await openWarehouse(project);
  const schema = project.config.source.schema;
  const q = (t: string) => wh.dialect.qualify(schema, t);
  const start = wh.dialect.timestampLiteral(after);
  let n = 0;
  try {
    const tracksColumns = (await wh.describe(q('tracks'))).map((c) => wh.dialect.quoteIdent(c.name)).join(', ');
    for (const t of ['logged_in', 'feature_used', 'page_viewed']) {
      await wh.exec(`CREATE OR REPLACE TEMP TABLE bench_new AS
SELECT * EXCLUDE (rn) REPLACE ('bench_' || id AS id, ${start} + to_seconds(rn * 7) AS "timestamp")
FROM (SELECT *, row_number() OVER (ORDER BY md5(id)) AS rn
  FROM (SELECT * FROM ${q(t)} WHERE user_id IS NOT NULL ORDER BY md5(id) LIMIT ${perTable}))`);
      await wh.exec(`INSERT INTO ${q(t)} SELECT * FROM bench_new`);
      await wh.exec(`INSERT INTO ${q('tracks')} SELECT ${tracksColumns} FROM bench_new`);
      n += Number((await wh.query('SELECT count(*) AS n FROM bench_new'))[0].n);
    }
  } finally {
    await wh.close();
  }
  return n;
}

export interface CompileResult { readonly loadMs: number; readonly compileMs: number; readonly planMs?: number; readonly definitions: number }

/** Load + validate, then compile every definition's standalone SQL, then the fused run plan. */
export async function measureCompile(projectDir: string): Promise<CompileResult> {
  const started = now();
  const project = await loadProject(projectDir);
  const graph = buildGraph(project.definitions);
  const loaded = now();
  const options = { dialect: duckdb, config: project.config, definitions: project.definitions };
  for (const def of project.definitions) compileDefinition(def, options);
  const compiled = now();
  compilePlan({ ...options, order: graph.order });
  return { loadMs: loaded - started, compileMs: compiled - loaded, planMs: now() - compiled, definitions: project.definitions.length };
}

export async function duckdbVersion(): Promise<string> {
  const wh = await DuckDbWarehouse.open({ path: ':memory:' });
  try {
    return String((await wh.query('SELECT version() AS v'))[0].v);
  } finally {
    await wh.close();
  }
}

export const peakRssBytes = () => process.resourceUsage().maxRSS * 1024;
