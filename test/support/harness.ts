import { expect } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DefinitionFile, type Definition } from '../../src/definitions/definition.js';
import { buildGraph } from '../../src/definitions/graph.js';
import { ProjectConfig } from '../../src/definitions/project-config.js';
import type { Project } from '../../src/definitions/project.js';
import type { ComputeStrategy } from '../../src/run/compute.js';
import { runProject, type RunReport } from '../../src/run/run-project.js';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb-runner.js';
import { PG_PARSERS, PostgresWarehouse } from '../../src/warehouse/postgres-runner.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { fixtureStatements, type Engine, type Fixture, type Layout } from './fixture.js';

/** The engines execution tests run on: DuckDB always; Postgres on the server in ROSTER_TEST_PG_URL, else PGlite. */
export const ENGINES: readonly Engine[] = ['duckdb', 'postgres'];
export const PG_KIND = process.env.ROSTER_TEST_PG_URL ? 'server' : 'PGlite';

let shared: Promise<PostgresWarehouse> | undefined;
/** One Postgres session per test file; each fixture gets schemas of its own. */
function postgresWarehouse(): Promise<PostgresWarehouse> {
  shared ??= (async () => {
    const url = process.env.ROSTER_TEST_PG_URL;
    if (url) return PostgresWarehouse.connect(url);
    const { PGlite } = await import('@electric-sql/pglite');
    const db = new PGlite({ parsers: PG_PARSERS });
    return PostgresWarehouse.wrap(db, () => db.close());
  })();
  return shared;
}
/** Closes the test file's Postgres session, if it opened one (after each file: see after-each-file.ts). */
export async function closeSharedWarehouse(): Promise<void> {
  const session = shared;
  shared = undefined;
  if (session) await (await session).close();
}
let fixtureCount = 0;

/** Definitions written as YAML strings (as users write them) or as plain objects. */
export type DefinitionInput = string | Record<string, unknown>;

export function definitions(inputs: readonly DefinitionInput[]): Definition[] {
  return inputs.map((input, i) => {
    const raw = typeof input === 'string' ? parseYaml(input) : input;
    const def = DefinitionFile.parse(raw);
    const file = `definitions/${def.key ?? i}.yml`;
    if (def.kind === 'sql_trait') return { ...def, traits: def.traits ?? [def.key], template: def.sql ?? '', file } as Definition;
    return { ...def, file } as Definition;
  }).sort((a, b) => (a.key < b.key ? -1 : 1));
}

export function project(defs: readonly Definition[], layout: Layout = 'segment', source: Record<string, unknown> = {}, state = 'roster'): Project {
  return {
    dir: '/nonexistent',
    config: ProjectConfig.parse({ name: 'test', source: { schema: 'main', layout, ...source }, state: { schema: state } }),
    definitions: defs,
  };
}

export interface FixtureWarehouse {
  readonly wh: Warehouse;
  readonly schema: string;
  readonly state: string;
  /** Drops what the fixture made; closes the warehouse if it is the fixture's own. */
  dispose(): Promise<void>;
}

/** Loads a fixture into a fresh DuckDB (schemas main / roster) or fresh Postgres schemas. */
export async function fixtureWarehouse(fixture: Fixture, layout: Layout, engine: Engine = 'duckdb'): Promise<FixtureWarehouse> {
  if (engine === 'duckdb') {
    const wh = await DuckDbWarehouse.open({ path: ':memory:' });
    for (const sql of fixtureStatements(fixture, layout)) await wh.exec(sql);
    return { wh, schema: 'main', state: 'roster', dispose: () => wh.close() };
  }
  const wh = await postgresWarehouse();
  const schema = `fx_${process.pid}_${++fixtureCount}`;
  const state = `${schema}_state`;
  for (const sql of fixtureStatements(fixture, layout, schema, 'postgres')) await wh.exec(sql);
  return {
    wh, schema, state,
    dispose: async () => {
      await wh.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await wh.exec(`DROP SCHEMA IF EXISTS ${state} CASCADE`);
    },
  };
}

export interface Outcome {
  report: RunReport;
  /** Stored rows per key, sorted by id, values normalised. */
  rows(key: string): Promise<Record<string, unknown>[]>;
  /** Members of an audience / ids with a value, sorted. */
  ids(key: string): Promise<string[]>;
  /** id -> value of a computed trait. */
  values(key: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Runs definitions over a fixture on DuckDB and reads back what was stored. */
export async function runFixture(
  fixture: Fixture, inputs: readonly DefinitionInput[],
  options: {
    asOf: string; layout?: Layout; select?: string[]; source?: Record<string, unknown>; engine?: Engine; strategy?: ComputeStrategy;
    /** Statements run on the fixture before the run (to give a column another type, say), given its source schema. */
    prepare?: (schema: string) => string[];
  },
): Promise<Outcome> {
  const layout = options.layout ?? 'segment';
  const fx = await fixtureWarehouse(fixture, layout, options.engine);
  const wh = fx.wh;
  for (const sql of options.prepare?.(fx.schema) ?? []) await wh.exec(sql);
  const defs = definitions(inputs);
  const p = project(defs, layout, { ...options.source, schema: fx.schema }, fx.state);
  const report = await runProject(p, buildGraph(defs), wh, { asOf: new Date(options.asOf), select: options.select, strategy: options.strategy });
  const idColumn = (key: string) => (defs.find((d) => d.key === key)?.entity === 'account' ? 'group_id' : 'user_id');
  const rows = async (key: string) => {
    const table = wh.dialect.qualify(fx.state, key);
    // DuckDB hands JSON columns back as JSON text (Postgres parses jsonb): decode, as emission does.
    const json = (await wh.describe(table)).filter((c) => c.type === 'JSON').map((c) => c.name);
    const result = await wh.query(`SELECT * FROM ${table} ORDER BY ${idColumn(key)}`);
    return result.map((r) => ({ ...r, ...Object.fromEntries(json.map((c) => [c, typeof r[c] === 'string' ? JSON.parse(r[c] as string) : r[c]])) }));
  };
  return {
    report,
    rows,
    ids: async (key) => (await rows(key)).map((r) => String(r[idColumn(key)])),
    values: async (key) => Object.fromEntries((await rows(key)).map((r) => [String(r[idColumn(key)]), r[key]])),
    close: () => fx.dispose(),
  };
}

/** Runs definitions over a fixture, every one of which must succeed, and reads what `read` takes from the outcome. */
export async function readRun<T>(
  fixture: Fixture, inputs: readonly DefinitionInput[], options: Parameters<typeof runFixture>[2], read: (run: Outcome) => Promise<T>,
): Promise<T> {
  const run = await runFixture(fixture, inputs, options);
  try {
    expect(run.report.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
    return await read(run);
  } finally {
    await run.close();
  }
}
