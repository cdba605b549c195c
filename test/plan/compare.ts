import { expect } from 'vitest';
import { buildGraph } from '../../src/definitions/graph.js';
import type { Project } from '../../src/definitions/project.js';
import { computeDefinitions, runTableName, type ComputeOutcome, type ComputeStrategy } from '../../src/run/compute.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';

export interface Computed {
  readonly outcomes: readonly ComputeOutcome[];
  /** key -> column names and types, then every row as canonical JSON, sorted. */
  readonly tables: Record<string, { columns: string[]; rows: string[] }>;
}

const canonical = (v: unknown): unknown =>
  typeof v === 'bigint' ? `${v}n` : v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.map(canonical) : v;

/** Computes every definition of the project with one strategy and reads back whole scratch tables. */
export async function computeWith(project: Project, wh: Warehouse, asOf: string, strategy: ComputeStrategy): Promise<Computed> {
  const graph = buildGraph(project.definitions);
  const all = new Set(graph.order);
  const catalog = await wh.catalog(project.config.source.schema);
  const outcomes = await computeDefinitions(project, graph, wh, catalog, { asOf, selected: all, needed: all, strategy });
  const tables: Computed['tables'] = {};
  for (const o of outcomes.filter((x) => x.status === 'ok')) {
    const table = wh.dialect.tempTable(runTableName(o.key));
    const columns = (await wh.describe(table)).map((c) => `${c.name} ${c.type}`);
    const rows = (await wh.query(`SELECT * FROM ${table}`)).map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, canonical(v)]))).sort();
    tables[o.key] = { columns, rows };
  }
  return { outcomes, tables };
}

/** Runs both strategies on the same data and expects the same outcome and the same table per definition. */
export async function expectSameResults(project: Project, wh: Warehouse, asOf: string): Promise<Computed> {
  const standalone = await computeWith(project, wh, asOf, 'standalone');
  const fused = await computeWith(project, wh, asOf, 'fused');
  const summary = (c: Computed) => c.outcomes.map((o) => ({ key: o.key, status: o.status, rows: o.rows, error: o.error, warnings: o.warnings }));
  expect(summary(fused)).toEqual(summary(standalone));
  for (const key of Object.keys(standalone.tables)) {
    expect({ key, ...fused.tables[key] }).toEqual({ key, ...standalone.tables[key] });
  }
  return fused;
}
