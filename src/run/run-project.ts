import { isAssociating } from '../definitions/sql-trait-roles.js';
import type { Definition } from '../definitions/definition.js';
import type { DefinitionGraph } from '../definitions/graph.js';
import type { Project } from '../definitions/project.js';
import { lastAsOfSql, lastRunSourceSql, nextRunIdSql } from '../state/state-sql.js';
import { absentEventWarnings } from './absent-events.js';
import { refuseUntimedSources } from './source-timestamps.js';
import { STALE_AFTER_MS, staleSourceWarning } from './stale-source.js';
import { otherSourceWarning, runSource } from './state-owner.js';
import { createStateTables, INTERNAL, stateNames, type StateNames } from '../state/state-tables.js';
import type { SourceCatalog } from '../compiler/context.js';
import { LAYOUT_TABLES, type CallType, type ProjectConfig } from '../definitions/project-config.js';
import { WarehouseError, type Warehouse } from '../warehouse/warehouse.js';
import { planTable } from '../compiler/plan/plan.js';
import { commitRun, refreshStatisticsAfterCommit } from './commit.js';
import { computeDefinitions, runTableName, type ComputeOutcome, type ComputeStrategy } from './compute.js';
import { crashPoint } from './crash-point.js';
import { legacyPending, refuseLegacyPending } from './legacy-outbox.js';
import { buildAccountUsers, planEmission, readCommittedState, type AccountUsersNow, type EmissionPlan } from './emissions.js';

export { runTableName };

export interface RunOptions {
  readonly asOf: Date;
  /** dbt-style selectors; unselected upstream definitions are computed for use only. */
  readonly select?: readonly string[];
  /** Compute and diff in scratch tables; write nothing. */
  readonly dryRun?: boolean;
  readonly onProgress?: (event: { stage: string; key?: string }) => void;
  /** fused (default): one plan sharing work; standalone: each definition's own query (see ComputeStrategy). */
  readonly strategy?: ComputeStrategy;
  /** as_of is now because none was given: a first run then checks that the events reach near it. */
  readonly asOfIsNow?: boolean;
  /** Told what the user should know about the run as a whole (definitions carry their own warnings). */
  readonly onWarning?: (message: string) => void;
}

/** What a selected definition emits: entity-level counts and messages per destination. */
export interface EmissionSummary {
  readonly firstRun: boolean;
  readonly edited: boolean;
  readonly entered: number;
  readonly exited: number;
  readonly changed: number;
  /**
   * Per destination: messages written to the outbox; full: it got the whole state; or `fullCalls`:
   * only the call types it newly lists got their whole state (the others a diff).
   */
  readonly destinations: readonly { name: string; messages: number; full: boolean; fullCalls?: readonly CallType[] }[];
}

export interface DefinitionOutcome extends ComputeOutcome {
  /** Selected definitions that computed: what they emit (a dry run: would emit). */
  readonly emission?: EmissionSummary;
}

export interface RunReport {
  readonly asOf: Date;
  readonly outcomes: readonly DefinitionOutcome[];
  readonly ok: boolean;
  readonly dryRun: boolean;
  /** The committed run's id (not on a dry run). */
  readonly runId?: number;
}

/** The run's as_of is earlier than the last committed run's: refused (SPEC 5), unless a dry run. */
export class AsOfError extends Error {
  /** `dropState`: the statement that starts over, dropping the state schema (results, snapshots, outbox). */
  constructor(readonly asOf: Date, readonly last: string, dropState: string) {
    super(`--as-of ${asOf.toISOString()} is earlier than the last committed run (as_of ${last}); roster only moves forward`
      + ` (use --dry-run to look at the past; to start over, drop roster's state with its results and unsent messages, ${dropState},`
      + ' after which the next run is a first run and sends every member and value again)');
    this.name = 'AsOfError';
  }
}

/** SPEC 5 refuses an as_of earlier than the last committed run: one in the future holds back every run until then. */
export function futureAsOfWarning(asOf: Date): string {
  return `as_of ${asOf.toISOString()} is in the future: once committed, runs at an earlier as_of (the default, now) are refused until then`;
}

/**
 * A run (SPEC 3-5): computes the selected definitions (and their upstream) in dependency order
 * into scratch tables, diffs each selected one against its committed state in SQL, then commits
 * results, snapshots, outbox rows and the run log in one transaction. A failed definition stops
 * only its dependents; they keep their last committed state. Delivery is `deliverOutbox`'s job.
 */
export async function runProject(project: Project, graph: DefinitionGraph, wh: Warehouse, options: RunOptions): Promise<RunReport> {
  const d = wh.dialect;
  const { config } = project;
  const asOf = options.asOf.toISOString();
  const startedAt = new Date().toISOString();
  const s = stateNames(d, config.state.schema);
  const dryRun = Boolean(options.dryRun);
  const byKey = new Map(project.definitions.map((x) => [x.key, x]));

  let last: unknown;
  if (!dryRun) {
    await wh.lockRun(config.state.schema);
    last = await inStep(`preparing the state schema ${config.state.schema} (roster.yml state.schema)`, async () => {
      const existing = await wh.catalog(s.schema);
      await refuseLegacyPending(wh, s, existing);
      for (const sql of createStateTables(d, s, existing)) await wh.exec(sql);
      await warnOfOtherSource(wh, s, existing, config, options.onWarning);
      return (await wh.query(lastAsOfSql(s)))[0].as_of;
    });
    if (typeof last === 'string' && asOf < last) throw new AsOfError(options.asOf, last, `DROP SCHEMA ${d.quoteIdent(config.state.schema)} CASCADE`);
  } else {
    // A dry run diffs against the same committed state: it is warned alike, reading only.
    const existing = await wh.catalog(s.schema);
    await warnOfOtherSource(wh, s, existing, config, options.onWarning);
    const legacy = await legacyPending(wh, s, existing);
    if (legacy) options.onWarning?.(`a run (not this dry run) would stop here: ${legacy}`);
  }

  const selected = options.select?.length ? graph.select(options.select) : new Set(graph.order);
  // Account-level emissions fan out to the users of accounts: associating SQL traits must run.
  const associating = project.definitions.filter((x) => isAssociating(x)).map((x) => x.key);
  const needsAccountUsers = [...selected].some((k) => byKey.get(k)!.entity === 'account');
  const needed = graph.withUpstream([...selected, ...(needsAccountUsers ? associating : [])]);
  const catalog = await inStep(`reading the tables of the source schema ${config.source.schema} (roster.yml source.schema)`, () => wh.sourceCatalog(config.source.schema));
  const neededDefinitions = project.definitions.filter((x) => needed.has(x.key));
  refuseUntimedSources(d, config, catalog, neededDefinitions);
  if (!dryRun) await refuseEmptiedSource(wh, s, project, catalog);
  for (const w of await absentEventWarnings(wh, config, catalog, neededDefinitions)) options.onWarning?.(w);
  // Run at now over old data (the demo's), a first run commits empty windows and holds every later run to now;
  // so does a run that leaves a schedule of given as_of values (one run without --as-of) far behind.
  // A dry run warns as preview does: it is how one tries a first run.
  const leapsAhead = typeof last === 'string' && Date.parse(asOf) - Date.parse(last) > STALE_AFTER_MS;
  if (options.asOfIsNow && (dryRun || last === null || last === undefined || leapsAhead)) {
    const stale = await staleSourceWarning(wh, config, catalog, asOf);
    const lastRun = leapsAhead ? `; the last run was as of ${last}` : '';
    if (stale) options.onWarning?.(dryRun ? stale : `${stale}${lastRun}; once this run is committed, no later run may go back before it`);
  }
  const shared = new Set<string>();
  const computed = await computeDefinitions(project, graph, wh, catalog, {
    asOf, selected, needed, onProgress: options.onProgress, strategy: options.strategy, onShared: (name) => shared.add(name),
  });
  crashPoint('after-compute');

  const outcomes: DefinitionOutcome[] = [...computed];
  const failedAssociating = computed.find((o) => associating.includes(o.key) && o.status !== 'ok');
  let accountUsersNow: AccountUsersNow | undefined;
  options.onProgress?.({ stage: 'diff' }); // memberships and committed state, read for the diffs below
  const state = await readCommittedState(wh, s);
  if (needsAccountUsers && !failedAssociating) {
    // The fused plan's memberships, when it built them, are this run's: not computed twice.
    const planned = shared.has(planTable('account_users')) ? d.tempTable(planTable('account_users')) : undefined;
    accountUsersNow = await buildAccountUsers(project, wh, catalog, asOf, s, state, planned);
  }

  const plans: EmissionPlan[] = [];
  for (const [i, o] of outcomes.entries()) {
    if (!o.selected || o.status !== 'ok') continue;
    const def = byKey.get(o.key)! as Definition;
    if (def.entity === 'account' && !accountUsersNow) {
      outcomes[i] = { ...o, status: 'skipped', error: `not emitted: ${failedAssociating?.key} failed (it associates users with accounts)` };
      continue;
    }
    options.onProgress?.({ stage: 'diff', key: o.key });
    try {
      const plan = await planEmission(project, wh, s, state, def, o.depth, def.entity === 'account' ? accountUsersNow : undefined, o.rows ?? 0);
      plans.push(plan);
      outcomes[i] = { ...o, emission: summary(plan) };
    } catch (e) {
      outcomes[i] = { ...o, status: 'failed', error: `diff failed: ${(e as Error).message}` };
    }
  }
  const ok = outcomes.every((o) => o.status === 'ok');
  if (dryRun) return { asOf: options.asOf, outcomes, ok, dryRun };

  options.onProgress?.({ stage: 'commit' });
  await wh.assertRunLock(); // a SQL trait may have let another run in: then this one commits nothing
  const runId = Number((await wh.query(nextRunIdSql(s)))[0].run_id);
  const counts = Object.fromEntries(outcomes.filter((o) => o.selected).map((o) => [o.key, { status: o.status, ...(o.emission ?? {}) }]));
  const written = await inStep(`committing the run to the state schema ${config.state.schema}`, () => commitRun(wh, s, {
    runId, plans,
    accountUsersNow,
    accountKeys: project.definitions.filter((x) => x.entity === 'account').map((x) => x.key),
    run: {
      asOf, startedAt, committedAt: new Date().toISOString(),
      status: plans.length === 0 && outcomes.some((o) => o.selected) ? 'failed' : ok ? 'committed' : 'partial',
      counts: JSON.stringify(counts),
      source: runSource(config),
    },
  }));
  await inStep(`run ${runId} is committed; then refreshing the planner statistics of ${written.join(', ')}`, () => refreshStatisticsAfterCommit(wh, written));
  return { asOf: options.asOf, outcomes, ok, dryRun, runId };
}

function summary(plan: EmissionPlan): EmissionSummary {
  return {
    firstRun: plan.firstRun, edited: plan.edited, entered: plan.entered, exited: plan.exited, changed: plan.changed,
    destinations: [...new Set(plan.routes.map((r) => r.destination.name))].map((name) => {
      const routes = plan.routes.filter((r) => r.destination.name === name);
      const messages = routes.reduce((a, r) => a + r.messages, 0);
      const fullCalls = routes.filter((r) => r.full).flatMap((r) => r.calls);
      return routes.every((r) => r.full) ? { name, messages, full: true }
        : { name, messages, full: false, ...(fullCalls.length ? { fullCalls } : {}) };
    }),
  };
}

/**
 * A warehouse failure of a step no definition owns, said with the step: the engine's own words
 * alone ("permission denied for database x", "canceling statement due to statement timeout")
 * do not say what roster was doing.
 */
async function inStep<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    // A message of roster's own already says where to look (it names roster.yml).
    if (e instanceof WarehouseError && !e.message.includes('roster.yml')) throw new WarehouseError(`${what}: ${e.message}`, e.cause ?? e);
    throw e;
  }
}

/**
 * Warns when the state schema's last committed run was another project's, or read another source
 * (see state-owner). `existing`: the state schema's tables as they were before this run made or
 * upgraded any; a run log without its source column has nothing to compare.
 */
async function warnOfOtherSource(wh: Warehouse, s: StateNames, existing: SourceCatalog, config: ProjectConfig, onWarning?: (message: string) => void): Promise<void> {
  if (!existing.get(INTERNAL.runs)?.has('source')) return;
  const [lastRun] = await wh.query(lastRunSourceSql(s));
  const warning = otherSourceWarning(lastRun?.source as string | null | undefined, config);
  if (warning) onWarning?.(warning);
}

/**
 * A source schema that holds none of its layout's tables (roster.yml pointed at another schema,
 * a dropped schema re-created empty) while committed results hold members or values: read as
 * empty, every member and value would look gone, and the run would send that. It fails instead,
 * committing nothing. (An empty source with nothing committed, a project's first steps, runs.)
 */
async function refuseEmptiedSource(wh: Warehouse, s: StateNames, project: Project, catalog: SourceCatalog): Promise<void> {
  const { source } = project.config;
  const tables = LAYOUT_TABLES[source.layout];
  if (tables.some((t) => catalog.has(t))) return;
  const committed = await wh.catalog(s.schema);
  for (const { key } of project.definitions) {
    if (!committed.has(key)) continue;
    const [{ n }] = await wh.query(`SELECT count(*) AS n FROM (SELECT 1 FROM ${s.result(key)} LIMIT 1) AS kept`);
    if (Number(n) > 0) {
      throw new WarehouseError(`the source schema ${source.schema} holds none of ${tables.join(', ')}, while committed results hold members and values: read as empty, they would all look gone (roster.yml source.schema)`);
    }
  }
}
