import { copyTables } from '../../demo/copy-tables.js';
import { DEMO_DEFAULTS, DEMO_END, DemoOptionError, demoStatements, demoTables, validateDemoOptions } from '../../demo/generate.js';
import { loadProject } from '../../definitions/load-project.js';
import { EVENTS_TABLE } from '../../definitions/project-config.js';
import { crashPoint } from '../../run/crash-point.js';
import { openWarehouse } from '../../warehouse/open.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { lastAsOfSql } from '../../state/state-sql.js';
import { INTERNAL, stateNames } from '../../state/state-tables.js';
import { UsageError, warn } from '../errors.js';
import { parsePositiveInt } from '../options.js';

export interface DemoFlags { users?: string; accounts?: string; days?: string; seed?: string }

/** Fills the project's warehouse with deterministic synthetic Segment data, in the project's source.layout. */
export async function demoCommand(dir: string, flags: DemoFlags): Promise<number> {
  const project = await loadProject(dir);
  const dialect = project.config.warehouse.dialect;
  if (dialect === 'snowflake') throw new UsageError('demo fills a DuckDB or Postgres warehouse; load Snowflake with your own pipeline');
  const options = {
    users: parsePositiveInt('--users', flags.users, DEMO_DEFAULTS.users),
    accounts: parsePositiveInt('--accounts', flags.accounts, DEMO_DEFAULTS.accounts),
    days: parsePositiveInt('--days', flags.days, DEMO_DEFAULTS.days),
    seed: parsePositiveInt('--seed', flags.seed, DEMO_DEFAULTS.seed),
    schema: project.config.source.schema,
  };
  try {
    validateDemoOptions(options);
  } catch (e) {
    if (!(e instanceof DemoOptionError)) throw e;
    throw new UsageError(e.option === 'schema' ? `roster.yml source.schema ${e.problem}` : `--${e.option} ${e.problem}`);
  }
  const started = Date.now();
  const wh = await openWarehouse(project);
  let gen: Warehouse | undefined;
  try {
    const layout = project.config.source.layout;
    await refuseToReplaceOtherData(wh, options.schema, demoTables(layout));
    // Marked before its tables are written: a demo stopped halfway can be run again.
    await wh.exec(wh.dialect.createSchema(options.schema));
    await wh.exec(`CREATE TABLE IF NOT EXISTS ${wh.dialect.qualify(options.schema, DEMO_MARK)} AS SELECT 'roster demo' AS written_by`);
    // The generator is DuckDB SQL: for another warehouse it runs in memory, then the tables are copied.
    gen = dialect === 'duckdb' ? wh : await inMemoryDuckDb();
    if (gen !== wh) await gen.exec(gen.dialect.createSchema(options.schema));
    for (const sql of demoStatements(options, layout)) await gen.exec(sql);
    crashPoint('demo-tables-written');
    if (gen !== wh) await copyTables(gen, wh, options.schema, demoTables(layout));
    const [{ n }] = await wh.query(`SELECT count(*) AS n FROM ${wh.dialect.qualify(options.schema, EVENTS_TABLE[layout])}`);
    console.error(`demo data: ${options.users} users, ${options.accounts} accounts, ${n} events over ${options.days} days (seed ${options.seed}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // A run at the default as_of (now) would find every window (last 30 days, ...) empty.
    console.error(`the events end at ${DEMO_END.toISOString()}: run as of then, e.g. roster run --as-of ${DEMO_END.toISOString()}`);
    const last = await lastCommittedAsOf(wh, project.config.state.schema);
    if (last && last > DEMO_END.toISOString()) {
      const startOver = dialect === 'duckdb'
        ? `delete ${project.config.warehouse.path} (the demo's data with it: roster demo makes it again)`
        : `drop roster's state (DROP SCHEMA ${wh.dialect.quoteIdent(project.config.state.schema)} CASCADE)`;
      warn(`the state schema ${project.config.state.schema} already holds a run as of ${last}, after these events end: a run at an earlier as_of is refused. To run over the demo's data from the start, ${startOver}, and empty what the destinations got`);
    }
    return 0;
  } finally {
    if (gen !== undefined && gen !== wh) await gen.close();
    await wh.close();
  }
}

/** The as_of of the last committed run in the state schema, if any. */
async function lastCommittedAsOf(wh: Warehouse, stateSchema: string): Promise<string | undefined> {
  const s = stateNames(wh.dialect, stateSchema);
  if (!(await wh.catalog(stateSchema)).has(wh.dialect.catalogLookup(INTERNAL.runs))) return undefined;
  const [{ as_of }] = await wh.query(lastAsOfSql(s));
  return typeof as_of === 'string' ? as_of : undefined;
}

/** A scratch DuckDB, imported only when the demo fills another warehouse. */
async function inMemoryDuckDb(): Promise<Warehouse> {
  const { DuckDbWarehouse } = await import('../../warehouse/duckdb-runner.js');
  return DuckDbWarehouse.open({ path: ':memory:' });
}

/** A table demo leaves in the schema it filled: its tables are then its own to replace. */
const DEMO_MARK = '_roster_demo';

/**
 * demo replaces its tables: in a schema that holds Segment data it did not write (a real
 * tracks or identifies), that would be data lost. It fills only a schema without such tables,
 * or one it filled before.
 */
async function refuseToReplaceOtherData(wh: Warehouse, schema: string, tables: readonly string[]): Promise<void> {
  const catalog = await wh.catalog(schema);
  if (catalog.has(DEMO_MARK)) return;
  const existing = tables.filter((t) => catalog.has(t));
  if (!existing.length) return;
  const names = existing.slice(0, 3).map((t) => `${schema}.${t}`).join(', ') + (existing.length > 3 ? `, ... (${existing.length} tables)` : '');
  throw new UsageError(`demo would replace ${names}, which it did not write: it fills an empty schema (or one it filled). Set roster.yml source.schema to another, e.g. demo, or drop those tables yourself`);
}
