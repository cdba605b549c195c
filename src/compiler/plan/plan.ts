import type { Entity } from '../../definitions/common.js';
import type { EventCondition } from '../../definitions/condition.js';
import type { Definition } from '../../definitions/definition.js';
import { AS_OF_PARAMETER, compileDefinition } from '../compile.js';
import { CompileContext, type CompileOptions, type SharedColumn, type SharedRelations } from '../context.js';
import type { Dialect } from '../dialect.js';
import { eventSourceParts } from '../sources.js';
import { fusedComputedTrait } from './computed-trait.js';
import { EventFeatures } from './features.js';
import { RunRelations, type SharedStep } from './shared.js';
import { UsersMatching } from './users-matching.js';
import { sqlComment } from '../names.js';

export interface PlanOptions extends Omit<CompileOptions, 'resultTable' | 'shared'> {
  /** Every definition key in run order (the graph's order: dependencies first). */
  readonly order: readonly string[];
  /** The definitions to compute (default: all); a run passes the selected ones and their upstream. */
  readonly keys?: ReadonlySet<string>;
  /** The scratch table holding this run's result of a definition (default `_run_<key>`). */
  readonly resultName?: (key: string) => string;
}

/** One statement of the plan: a SELECT materialised as the scratch table `name`. */
export interface PlanStep {
  readonly name: string;
  /**
   * shared: users, accounts, memberships, custom traits; features: event aggregates of one
   * table and entity level; definition: a result; sql_trait: a result from user SQL, which
   * the run shape-checks before keeping it.
   */
  readonly kind: 'shared' | 'features' | 'definition' | 'sql_trait';
  readonly key?: string;
  readonly note: string;
  readonly sql: string;
  /** Scratch tables of other steps and definition keys it reads: a failure upstream stops it. */
  readonly needs: readonly string[];
  /** A definition's warnings (missing tables or columns), as its standalone query reports them. */
  readonly warnings: readonly string[];
  /** A definition that does not compile (e.g. a SQL trait's template): the run reports it failed. */
  readonly error?: string;
}

/** The fused plan of a run: ordered steps, `as_of` their only parameter. */
export interface RunPlan {
  readonly steps: readonly PlanStep[];
  readonly params: readonly string[];
}

/** The scratch table of a shared step (`account_users`, `all_users`, ...). */
export const planTable = (name: string) => `_plan_${name}`;
/** A plan step's table as a person reads it (page_viewed_users), for progress lines. */
export const planStepLabel = (table: string) => table.replace(/^_plan_/, '');

/**
 * Compiles a whole run into one plan that shares work between definitions: the users, accounts,
 * memberships and custom traits once, the event aggregates of all definitions in one pass per
 * input table and entity level (see EventFeatures), then each definition's result read off
 * those tables, with exactly the rows its standalone query gives. Pure and deterministic.
 *
 * @example
 * const plan = compilePlan({ dialect, config, definitions, order: graph.order });
 * for (const step of plan.steps) for (const sql of dialect.createTempTableAs(step.name, step.sql)) await run(sql);
 */
export function compilePlan(options: PlanOptions): RunPlan {
  const d = options.dialect;
  const resultName = options.resultName ?? ((key: string) => `_run_${key}`);
  const base: CompileOptions = {
    dialect: d, config: options.config, definitions: options.definitions, catalog: options.catalog,
    resultTable: (key) => d.tempTable(resultName(key)),
  };
  let uses = new Set<string>();
  let captured: Set<string> | undefined;
  const use = (name: string) => {
    uses.add(name);
    captured?.add(name);
  };
  const track = <T>(fn: () => T): [T, ReadonlySet<string>] => {
    captured = new Set();
    try {
      return [fn(), captured];
    } finally {
      captured = undefined;
    }
  };
  const relations = new RunRelations(base, planTable, use);
  // Resolves event and trait sources for the shared tables; warnings are reported per definition instead.
  const ctx = new CompileContext(base);
  const features = new EventFeatures(ctx, planTable, () => relations.universe('account_users'), use);
  let current = '';
  let users: UsersMatching | undefined = undefined;
  const shared: SharedRelations = {
    get allUsers() { return relations.relation('all_users'); },
    get allAccounts() { return relations.relation('all_accounts'); },
    get accountUsers() { return relations.relation('account_users'); },
    customTrait: (entity: Entity, name: string) => relations.customTrait(ctx, entity, name),
    eventCount: (entity: Entity, c: EventCondition, groupContext: boolean): SharedColumn | undefined => {
      const [source] = eventSourceParts(ctx, { names: [c.name], where: c.where, window: c.window, withGroupContext: groupContext });
      return source.relation ? features.request({ source, entity, kind: 'count', groupContext, by: current }) : undefined;
    },
    usersMatching: (where) => users!.request(where, current),
  };
  users = new UsersMatching({ ...base, shared }, planTable('users_matching'), () => relations.universe('account_users'), use, track);

  // A fused result's SQL is rendered once every feature is registered (see fusedComputedTrait).
  type Pending = Omit<PlanStep, 'sql'> & { readonly sql: string | (() => string) };
  const definitionStep = (def: Definition): Pending => {
    const key = def.key;
    const standalone = compileDefinition(def, base);
    let step: Pick<Pending, 'kind' | 'sql' | 'note'> & { reads: readonly string[] };
    const fused = def.kind === 'computed_trait' ? fusedComputedTrait(ctx, features, def) : undefined;
    if (def.kind === 'sql_trait') {
      step = { kind: 'sql_trait', sql: standalone.sql, reads: standalone.reads, note: `${def.kind} ${key} (${def.entity}): user SQL, shape-checked by the run` };
    } else if (fused !== undefined) {
      step = { kind: 'definition', sql: fused, reads: [], note: `${def.kind} ${key} (${def.entity}): read off the event features` };
    } else {
      const q = compileDefinition(def, { ...base, shared });
      const why = def.kind === 'computed_trait' ? ': its own query over the events (does not fold into a feature)' : '';
      step = { kind: 'definition', sql: q.sql, reads: q.reads, note: `${def.kind} ${key} (${def.entity})${why}` };
    }
    return {
      name: resultName(key), kind: step.kind, key, note: step.note, sql: step.sql,
      needs: [...new Set([...uses, ...step.reads])], warnings: standalone.warnings,
    };
  };

  const definitions: Pending[] = [];
  const byKey = new Map(options.definitions.map((x) => [x.key, x]));
  for (const key of options.order.filter((k) => !options.keys || options.keys.has(k))) {
    const def = byKey.get(key);
    if (!def) throw new Error(`no definition has the key ${key}`);
    current = key;
    uses = new Set();
    try {
      definitions.push(definitionStep(def));
    } catch (e) {
      definitions.push({ name: resultName(key), kind: 'definition', key, note: `${def.kind} ${key}: does not compile`, sql: '', needs: [], warnings: [], error: (e as Error).message });
    }
  }
  const featureSteps = features.steps(); // first: they register the memberships they read
  const usersStep = users.step();
  const resolved = definitions.map((s): PlanStep => ({ ...s, sql: typeof s.sql === 'string' ? s.sql : s.sql() }));
  return { steps: ordered(resolved, [...relations.steps(), ...featureSteps, ...(usersStep ? [usersStep] : [])]), params: ['as_of'] };
}

/** Definitions in run order, each shared step just before the first definition that reads it. */
function ordered(definitions: readonly PlanStep[], sharedSteps: readonly SharedStep[]): PlanStep[] {
  const byName = new Map(sharedSteps.map((s) => [s.name, s]));
  const keys = new Set(definitions.map((x) => x.key!));
  const out: PlanStep[] = [];
  const done = new Set<string>();
  const emit = (name: string, from: string) => {
    if (done.has(name)) return;
    const s = byName.get(name);
    if (!s) {
      if (keys.has(name)) throw new Error(`plan order: ${from} reads ${name} before it is computed`);
      return; // a definition outside the plan's keys: read from where the run left it
    }
    done.add(name);
    for (const n of s.needs) emit(n, name);
    out.push({ name, kind: s.kind, note: s.note, sql: s.render(), needs: s.needs, warnings: [] });
  };
  for (const def of definitions) {
    for (const n of def.needs) emit(n, def.key!);
    done.add(def.key!);
    out.push(def);
  }
  return out;
}

/**
 * The plan as one SQL file (`compiled/<dialect>/_run.sql`, golden/<dialect>/run/): every step as
 * the statements that materialise it, in order, each under a comment saying what it is.
 */
export function planFile(plan: RunPlan, dialect: Dialect, title: string): string {
  const header = [
    sqlComment(`roster run plan ${title}, ${dialect.name}: the whole run, sharing work between definitions.`),
    `${AS_OF_PARAMETER}, bound to each statement that names it`,
    ...(dialect.sessionNote ? [dialect.sessionNote] : []),
    `-- Each definition ends in its scratch table _run_<key>, with the rows its own file gives in a run.`,
  ];
  const body = plan.steps.map((s) => [sqlComment(s.note), ...dialect.createTempTableAs(s.name, s.sql).map((x) => terminated(x, s.kind))].join('\n'));
  return `${header.join('\n')}\n\n${body.join('\n\n')}\n`;
}

/**
 * A statement ended by `;`: on a line of its own after a SQL trait's own SQL, whose last line may
 * end in a `--` comment that would swallow it (roster's own SQL never ends in one).
 */
function terminated(statement: string, kind: PlanStep['kind']): string {
  return kind === 'sql_trait' ? `${statement}\n;` : `${statement};`;
}
