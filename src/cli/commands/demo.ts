import { DEMO_DEFAULTS, demoStatements } from '../../demo/generate.js';
import { loadProject } from '../../definitions/load-project.js';
import { openWarehouse } from '../../warehouse/open.js';
import { UsageError } from '../errors.js';
import { parsePositiveInt } from '../options.js';

export interface DemoFlags { users?: string; accounts?: string; days?: string; seed?: string }

/** Fills the project's DuckDB warehouse with deterministic synthetic Segment-layout data. */
export async function demoCommand(dir: string, flags: DemoFlags): Promise<number> {
  const project = await loadProject(dir);
  if (project.config.warehouse.dialect !== 'duckdb') throw new UsageError('demo fills a DuckDB warehouse; this project uses ' + project.config.warehouse.dialect);
  const options = {
    users: parsePositiveInt('--users', flags.users, DEMO_DEFAULTS.users),
    accounts: parsePositiveInt('--accounts', flags.accounts, DEMO_DEFAULTS.accounts),
    days: parsePositiveInt('--days', flags.days, DEMO_DEFAULTS.days),
    seed: parsePositiveInt('--seed', flags.seed, DEMO_DEFAULTS.seed),
    schema: project.config.source.schema,
  };
  const started = Date.now();
  const wh = await openWarehouse(project, { allowMemory: true });
  try {
    await wh.exec(wh.dialect.createSchema(options.schema));
    for (const sql of demoStatements(options)) await wh.exec(sql);
    const [{ n }] = await wh.query(`SELECT count(*) AS n FROM ${wh.dialect.qualify(options.schema, 'tracks')}`);
    console.error(`demo data: ${options.users} users, ${options.accounts} accounts, ${n} events over ${options.days} days (seed ${options.seed}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } finally {
    await wh.close();
  }
}
