import { parse as parseYaml } from 'yaml';
import { DefinitionFile, type Definition } from '../../src/definitions/definition.js';
import { buildGraph } from '../../src/definitions/graph.js';
import { ProjectConfig } from '../../src/definitions/project-config.js';
import type { Project } from '../../src/definitions/project.js';
import { runProject, type RunReport } from '../../src/run/run-project.js';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb-runner.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { fixtureStatements, type Fixture, type Layout } from './fixture.js';

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

export function project(defs: readonly Definition[], layout: Layout = 'segment', source: Record<string, unknown> = {}): Project {
  return {
    dir: '/nonexistent',
    config: ProjectConfig.parse({ name: 'test', source: { schema: 'main', layout, ...source }, state: { schema: 'roster' } }),
    definitions: defs,
  };
}

export async function fixtureWarehouse(fixture: Fixture, layout: Layout): Promise<Warehouse> {
  const wh = await DuckDbWarehouse.open({ path: ':memory:' });
  for (const sql of fixtureStatements(fixture, layout)) await wh.exec(sql);
  return wh;
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
  options: { asOf: string; layout?: Layout; select?: string[]; source?: Record<string, unknown> },
): Promise<Outcome> {
  const layout = options.layout ?? 'segment';
  const wh = await fixtureWarehouse(fixture, layout);
  const defs = definitions(inputs);
  const p = project(defs, layout, options.source);
  const report = await runProject(p, buildGraph(defs), wh, { asOf: new Date(options.asOf), select: options.select });
  const idColumn = (key: string) => (defs.find((d) => d.key === key)?.entity === 'account' ? 'group_id' : 'user_id');
  const rows = async (key: string) => wh.query(`SELECT * FROM roster.${wh.dialect.quoteIdent(key)} ORDER BY ${idColumn(key)}`);
  return {
    report,
    rows,
    ids: async (key) => (await rows(key)).map((r) => String(r[idColumn(key)])),
    values: async (key) => Object.fromEntries((await rows(key)).map((r) => [String(r[idColumn(key)]), r[key]])),
    close: () => wh.close(),
  };
}
