import { round12 } from '../support/round12.js';
import { compileDefinition } from '../compiler/compile.js';
import { sqlTraitShape } from '../compiler/sql-trait-shape.js';
import type { Definition } from '../definitions/definition.js';
import type { DefinitionGraph } from '../definitions/graph.js';
import type { Project } from '../definitions/project.js';
import { WarehouseError, type Warehouse } from '../warehouse/warehouse.js';
import type { CompileOptions, SourceCatalog } from '../compiler/context.js';
import { compilePlan, planStepLabel, type PlanStep } from '../compiler/plan/plan.js';
import { inUserSqlLines } from './sql-trait-lines.js';

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
 * How a run computes its definitions. fused (the default): one plan sharing work between them
 * (compilePlan: users, accounts, memberships, custom traits and event features once). standalone:
 * each definition's own compiled query, one after another (`roster compile`'s SQL; the benchmark's
 * naive baseline). Both leave the same rows in the same scratch tables.
 */
export type ComputeStrategy = 'fused' | 'standalone';

export interface ComputeRun {
  readonly asOf: string;
  readonly selected: ReadonlySet<string>;
  readonly needed: ReadonlySet<string>;
  readonly strategy?: ComputeStrategy;
  readonly onProgress?: (event: { stage: string; key?: string }) => void;
  /** Told the scratch table name of each shared plan step once it is materialised (fused only). */
  readonly onShared?: (name: string) => void;
}

/**
 * Computes the `needed` definitions in dependency order, each into a scratch table that later
 * definitions read. A failed definition stops only its dependents; a failed shared step (fused)
 * fails the definitions that read it.
 */
export async function computeDefinitions(project: Project, graph: DefinitionGraph, wh: Warehouse, catalog: SourceCatalog, run: ComputeRun): Promise<ComputeOutcome[]> {
  const d = wh.dialect;
  const byKey = new Map(project.definitions.map((x) => [x.key, x]));
  const options = { dialect: d, config: project.config, definitions: project.definitions, catalog };
  const standalone = { ...options, resultTable: (k: string) => d.tempTable(runTableName(k)) };
  const steps = run.strategy === 'standalone'
    ? standaloneSteps(project, graph.order.filter((k) => run.needed.has(k)), standalone)
    : compilePlan({ ...options, order: graph.order, keys: run.needed, resultName: runTableName }).steps;
  const params = { as_of: run.asOf };
  const outcomes: ComputeOutcome[] = [];
  /** Failed definitions and shared steps, with why. */
  const failed = new Map<string, string>();
  for (const step of steps) {
    if (step.key === undefined) {
      const blocker = step.needs.find((n) => failed.has(n));
      if (blocker) {
        failed.set(step.name, `${planStepLabel(step.name)} not run: ${planStepLabel(blocker)} failed`);
        continue;
      }
      run.onProgress?.({ stage: 'features', key: planStepLabel(step.name) });
      try {
        for (const s of d.createTempTableAs(step.name, step.sql)) await wh.exec(s, params, ['as_of']);
        run.onShared?.(step.name);
      } catch (e) {
        if (e instanceof WarehouseError && e.endsRun) throw e;
        // Its first line: the warning is one line, and a reader's own query, if it fails too, shows the rest.
        failed.set(step.name, `${planStepLabel(step.name)} failed: ${(e as Error).message.split('\n')[0]}`);
      }
      continue;
    }
    const key = step.key;
    const def = byKey.get(key)!;
    const base = { key, kind: def.kind, entity: def.entity, selected: run.selected.has(key), depth: graph.depth(key) };
    const blocker = graph.deps(key).find((dep) => failed.has(dep));
    if (blocker) {
      failed.set(key, 'skipped');
      const why = graph.why(key, blocker);
      // A blocker skipped in turn was not run either: say so, the failure is named on its own line.
      const what = failed.get(blocker) === 'skipped' ? 'was not run' : 'failed';
      outcomes.push({ ...base, status: 'skipped', error: `not run: ${blocker} ${what}${why ? ` (${why})` : ''}`, warnings: [] });
      continue;
    }
    let warnings = step.warnings;
    let sql = step.sql;
    let sharedFailure = step.needs.map((n) => failed.get(n)).find((x) => x !== undefined);
    if (step.error === undefined && sharedFailure !== undefined) {
      // A shared pass serves many definitions: one whose own value cannot be computed (a sum past
      // double range on Postgres) must not fail the others. Each reader runs its own query instead.
      const [own] = standaloneSteps(project, [key], standalone);
      if (own.error === undefined) {
        [sql, warnings] = [own.sql, [...own.warnings, `computed on its own: the shared pass ${sharedFailure}`]];
        sharedFailure = undefined;
      }
    }
    if (step.error !== undefined || sharedFailure !== undefined) {
      failed.set(key, 'failed');
      outcomes.push({ ...base, status: 'failed', error: step.error ?? sharedFailure, warnings });
      continue;
    }
    run.onProgress?.({ stage: 'compute', key });
    try {
      if (def.kind === 'sql_trait') {
        warnings = [...warnings, ...await computeSqlTrait(wh, def, sql, params)];
      } else {
        for (const s of d.createTempTableAs(runTableName(key), sql)) await wh.exec(s, params, ['as_of']);
      }
      const [{ n }] = await wh.query(`SELECT count(*) AS n FROM ${d.tempTable(runTableName(key))}`);
      outcomes.push({ ...base, status: 'ok', rows: Number(n), warnings });
    } catch (e) {
      if (e instanceof WarehouseError && e.endsRun) throw e;
      failed.set(key, 'failed');
      outcomes.push({ ...base, status: 'failed', error: (e as Error).message, warnings });
    }
  }
  return outcomes;
}

/** Each definition's standalone query as a plan step of its own (nothing shared). */
function standaloneSteps(project: Project, keys: readonly string[], options: CompileOptions): PlanStep[] {
  return keys.map((key) => {
    const def = project.definitions.find((x) => x.key === key)!;
    const step = { name: runTableName(key), kind: def.kind === 'sql_trait' ? 'sql_trait' : 'definition', key, note: key, needs: [] } as const;
    try {
      const q = compileDefinition(def, options);
      return { ...step, sql: q.sql, warnings: q.warnings };
    } catch (e) {
      return { ...step, sql: '', warnings: [], error: (e as Error).message };
    }
  });
}

/**
 * Runs a SQL trait into a raw scratch table, checks its shape, then keeps its normalised rows.
 * Returns its warnings.
 */
async function computeSqlTrait(wh: Warehouse, def: Extract<Definition, { kind: 'sql_trait' }>, sql: string, params: Record<string, string>): Promise<string[]> {
  const d = wh.dialect;
  const rawName = `_raw_${def.key}`;
  const raw = d.tempTable(rawName);
  // Wrapped as a subquery, the template must be one query; run read-only, it cannot change any table.
  const steps = d.readOnlyTempTableAs(rawName, `SELECT * FROM (\n${sql}\n) AS sql_trait`);
  const exec = (s: string) => wh.exec(s, params, ['as_of']).catch((e: unknown) => {
    if (e instanceof Error) e.message = inUserSqlLines(e.message, s, sql, def);
    throw e;
  });
  for (const s of steps.create) await exec(s);
  await wh.readOnly(async () => {
    for (const s of steps.fill) await exec(s);
  });
  const columns = await wh.describe(raw);
  const shape = sqlTraitShape(d, def, raw, columns);
  if (shape.problems.length) throw new WarehouseError(shape.problems.join('; '));
  const [{ n }] = await wh.query(shape.queries!.nullIds);
  const idColumn = def.entity === 'user' ? 'user_id' : 'group_id';
  if (Number(n) > 0) throw new WarehouseError(`${n} row${Number(n) > 1 ? 's have' : ' has'} a null or empty ${idColumn} ('' is no id): leave them out, e.g. WHERE ${idColumn} IS NOT NULL AND ${idColumn} <> ''`);
  const repeatedIds = Number((await wh.query(shape.queries!.repeatedIds))[0].n) > 0;
  const conflicts = repeatedIds ? await wh.query(shape.queries!.conflicts) : [];
  if (conflicts.length) throw new WarehouseError(`conflicting values for one id: ${conflicts.map((r) => JSON.stringify(r.id)).join(', ')} (a SQL trait returns one value per id)`);
  const nonFinite = shape.queries!.nonFinite ? await wh.query(shape.queries!.nonFinite) : [];
  if (nonFinite.length) throw new WarehouseError(`a value is not a finite number or timestamp (Infinity, NaN, a number past a double's range such as 1e400, or a year outside 0001–9999), which a Segment message cannot carry, for ${nonFinite.map((r) => `${JSON.stringify(r.id)} (column ${String(r.column)})`).join(', ')}`);
  const normalised = repeatedIds ? shape.queries!.normalised : shape.queries!.normalisedDistinctRows;
  for (const s of d.createTempTableAs(runTableName(def.key), normalised)) await wh.exec(s);
  const warnings: string[] = [];
  for (const { column, sql: rounded } of shape.queries!.roundedNumbers) {
    const [row] = await wh.query(rounded);
    if (row) warnings.push(`column ${column}: ${roundingNotice(String(row.value))}`);
  }
  return warnings;
}

/** Says how a number of more than 12 significant digits is kept (SPEC 3), and how to keep an id whole. */
function roundingNotice(value: string): string {
  // As JSON writes the rounded double: a BIGINT's 12 digits, then zeros (-9223372036850000000).
  const shown = String(round12(Number(value)));
  return `${value} has more than 12 significant digits, so it is stored and sent as ${shown} (roster keeps numbers to 12); if it is an id, return it as text (CAST(... AS VARCHAR)) to keep every digit`;
}
