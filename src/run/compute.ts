import { compileDefinition } from '../compiler/compile.js';
import { sqlTraitShape } from '../compiler/sql-trait-shape.js';
import type { Definition } from '../definitions/definition.js';
import type { DefinitionGraph } from '../definitions/graph.js';
import type { Project } from '../definitions/project.js';
import { WarehouseError, type Warehouse } from '../warehouse/warehouse.js';
import type { SourceCatalog } from '../compiler/context.js';

/** This run's result of a definition lives in a scratch table until the commit. */
export const runTableName = (key: string) => `_run_${key}`;

export interface ComputeOutcome {
  readonly key: string;
  readonly kind: Definition['kind'];
  readonly entity: Definition['entity'];
  readonly status: 'ok' | 'failed' | 'skipped';
  /** Selected: stored, diffed and emitted; else computed for use only. */
  readonly selected: boolean;
  readonly rows?: number;
  readonly error?: string;
  readonly warnings: readonly string[];
  readonly depth: number;
}

/**
 * Computes the `needed` definitions in dependency order, each into a scratch table that later
 * definitions read. A failed definition stops only its dependents.
 */
export async function computeDefinitions(
  project: Project, graph: DefinitionGraph, wh: Warehouse, catalog: SourceCatalog,
  run: { asOf: string; selected: ReadonlySet<string>; needed: ReadonlySet<string>; onProgress?: (event: { stage: string; key?: string }) => void },
): Promise<ComputeOutcome[]> {
  const d = wh.dialect;
  const byKey = new Map(project.definitions.map((x) => [x.key, x]));
  const outcomes: ComputeOutcome[] = [];
  const failed = new Set<string>();
  for (const key of graph.order.filter((k) => run.needed.has(k))) {
    const def = byKey.get(key)!;
    const base = { key, kind: def.kind, entity: def.entity, selected: run.selected.has(key), depth: graph.depth(key) };
    const blocker = graph.deps(key).find((dep) => failed.has(dep));
    if (blocker) {
      failed.add(key);
      outcomes.push({ ...base, status: 'skipped', error: `not run: ${blocker} failed`, warnings: [] });
      continue;
    }
    run.onProgress?.({ stage: 'compute', key });
    let warnings: readonly string[] = [];
    try {
      const compiled = compileDefinition(def, {
        dialect: d, config: project.config, definitions: project.definitions, catalog,
        resultTable: (k) => d.tempTable(runTableName(k)),
      });
      warnings = compiled.warnings;
      const params = { as_of: run.asOf };
      if (def.kind === 'sql_trait') {
        await computeSqlTrait(wh, def, compiled.sql, params);
      } else {
        for (const s of d.createTempTableAs(runTableName(key), compiled.sql)) await wh.exec(s, params, compiled.params);
      }
      const [{ n }] = await wh.query(`SELECT count(*) AS n FROM ${d.tempTable(runTableName(key))}`);
      outcomes.push({ ...base, status: 'ok', rows: Number(n), warnings });
    } catch (e) {
      failed.add(key);
      outcomes.push({ ...base, status: 'failed', error: (e as Error).message, warnings });
    }
  }
  return outcomes;
}

/** Runs a SQL trait into a raw scratch table, checks its shape, then keeps its normalised rows. */
async function computeSqlTrait(wh: Warehouse, def: Extract<Definition, { kind: 'sql_trait' }>, sql: string, params: Record<string, string>): Promise<void> {
  const d = wh.dialect;
  const rawName = `_raw_${def.key}`;
  const raw = d.tempTable(rawName);
  // Wrapped as a subquery, the template must be one query; run read-only, it cannot change any table.
  const steps = d.readOnlyTempTableAs(rawName, `SELECT * FROM (\n${sql}\n) AS sql_trait`);
  for (const s of steps.create) await wh.exec(s, params, ['as_of']);
  await wh.readOnly(async () => {
    for (const s of steps.fill) await wh.exec(s, params, ['as_of']);
  });
  const columns = await wh.describe(raw);
  const shape = sqlTraitShape(d, def, raw, columns);
  if (shape.problems.length) throw new WarehouseError(shape.problems.join('; '));
  const [{ n }] = await wh.query(shape.queries!.nullIds);
  if (Number(n) > 0) throw new WarehouseError(`${n} row${Number(n) > 1 ? 's have' : ' has'} a null ${def.entity === 'user' ? 'user_id' : 'group_id'}`);
  const conflicts = await wh.query(shape.queries!.conflicts);
  if (conflicts.length) throw new WarehouseError(`conflicting values for one id: ${conflicts.map((r) => JSON.stringify(r.id)).join(', ')} (a SQL trait returns one value per id)`);
  for (const s of d.createTempTableAs(runTableName(def.key), shape.queries!.normalised)) await wh.exec(s);
}
