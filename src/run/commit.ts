import type { SourceCatalog } from '../compiler/context.js';
import { CALLS, type CallType } from '../definitions/project-config.js';
import { definitionEventNames, EventNameError, type EventNameKind } from '../emit/index.js';
import type { Row, Warehouse } from '../warehouse/warehouse.js';
import { freezeStateDeliveriesSql, insertChangesSql, insertDeliverySql, pendingStateRunsSql, pruneDeliveredSql } from '../state/outbox-sql.js';
import {
  definitionRepeatsSql, finishRunSql, insertRunSql, patchResultSql, pruneAccountUsersSql, recordDefinitionSql, runsAtAsOfSql, updateAccountUsersSql,
  type RouteRow, type RunRow,
} from '../state/state-sql.js';
import type { StateNames } from '../state/state-tables.js';
import { runTableName } from './compute.js';
import { crashPoint } from './crash-point.js';
import type { DeliveryReport } from './deliver-outbox.js';
import type { RunReport } from './run-project.js';
import { fingerprint, type AccountUsersNow, type EmissionPlan } from './emissions.js';

/** Delivered changes are kept for this many runs (to look at), then dropped. */
const KEEP_DELIVERED_RUNS = 10;

export interface CommitInput {
  readonly runId: number;
  /** In delivery order: depth, then key. */
  readonly plans: readonly EmissionPlan[];
  /** This run's memberships, when computed: the snapshot moves to them. */
  readonly accountUsersNow?: AccountUsersNow;
  /** Keys of the account-level definitions still defined (for pruning old memberships). */
  readonly accountKeys: readonly string[];
  readonly run: Omit<RunRow, 'runId'>;
}

/**
 * Commits in one transaction the new results, the membership snapshots, the outbox (changes and deliveries),
 * the definitions and routes, and the run log row. Nothing of it is visible unless all is (but
 * the empty tables of definitions that had none, made just before). Returns the state tables
 * whose planner statistics should be refreshed now (refreshStatisticsAfterCommit).
 */
export async function commitRun(wh: Warehouse, s: StateNames, input: CommitInput): Promise<string[]> {
  const d = wh.dialect;
  const exec = async (sqls: readonly string[]) => {
    for (const sql of sqls) await wh.exec(sql);
  };
  let stateTables: SourceCatalog | undefined;
  // The runs of the pending `state` deliveries, per definition key: read once, when first needed.
  let pendingState: Map<string, Row[]> | undefined;
  let changesWritten = false;
  // Where DDL commits the open transaction (Snowflake), the commit must hold none: a table a
  // definition does not have yet is made empty before it and filled in it, and a table whose
  // columns changed, which only a new table can replace, is replaced last, after the run log row,
  // so its DDL commits the whole run. (Elsewhere DDL is transactional: either way is whole.)
  const replacements: string[] = [];
  const membersReplaced = (plan: EmissionPlan) => plan.membersNow !== undefined && !(plan.result === 'unchanged' && plan.membersUnchanged);
  for (const plan of input.plans) {
    const current = d.tempTable(runTableName(plan.def.key));
    if (plan.result === 'rewrite' && plan.resultTable === 'absent') await exec(d.replaceTableAs(s.result(plan.def.key), `SELECT * FROM ${current} LIMIT 0`));
    if (membersReplaced(plan) && !plan.membersTableExists) await exec(d.replaceTableAs(s.members(plan.def.key), `SELECT user_id FROM ${plan.membersNow} LIMIT 0`));
  }
  await wh.transaction(async () => {
    const asOfRepeat = await asOfRepeats(wh, s, input.run.asOf);
    for (const plan of input.plans) {
      const { def } = plan;
      const repeat = asOfRepeat(def.key);
      const routes = plan.routes.filter((r) => r.messages > 0);
      const replacesMembers = membersReplaced(plan);
      if (plan.result !== 'unchanged' || replacesMembers || plan.replaces) {
        pendingState ??= groupByKey(await wh.query(pendingStateRunsSql(d, s)));
        const frozen = await freezePendingState(wh, s, def.key, pendingState.get(def.key) ?? [], stateTables);
        stateTables = frozen.stateTables;
        changesWritten ||= frozen.runs > 0;
      }
      const diff = routes.find((r) => r.mode === 'diff');
      changesWritten ||= diff !== undefined;
      if (diff) await wh.exec(insertChangesSql(d, s, { changes: diff.changes!, runId: input.runId, key: def.key, mode: 'diff' }));
      for (const route of routes) {
        await wh.exec(insertDeliverySql(d, s, {
          runId: input.runId, destination: route.destination.name, definition: def, depth: plan.depth,
          mode: route.mode, calls: route.calls, messages: route.messages, eventNames: eventNamesOf(route.destination, def), asOfRepeat: repeat,
        }));
      }
      const current = d.tempTable(runTableName(def.key));
      if (plan.result === 'rewrite' && plan.resultTable === 'other-columns') replacements.push(...d.replaceTableAs(s.result(def.key), `SELECT * FROM ${current}`));
      else if (plan.result === 'rewrite') await exec(d.replaceRows(s.result(def.key), `SELECT * FROM ${current}`));
      else if (plan.result !== 'unchanged') await exec(patchResultSql(d, s, def.key, current, { ids: plan.result.patch, id: plan.result.id }));
      if (replacesMembers) await exec(d.replaceRows(s.members(def.key), `SELECT user_id FROM ${plan.membersNow}`));
      else if (plan.replaces) replacements.push(`DROP TABLE IF EXISTS ${s.members(def.key)}`);
      const row = { key: def.key, kind: def.kind, entity: def.entity, fingerprint: fingerprint(def), asOf: input.run.asOf, asOfRepeat: repeat };
      await exec(recordDefinitionSql(d, s, row, input.runId, routesTaken(plan)));
    }
    if (input.accountUsersNow?.changes) await exec(updateAccountUsersSql(s, input.accountUsersNow.delta, input.runId));
    const prune = pruneAccountUsersSql(d, s, input.accountKeys);
    if (prune) await wh.exec(prune);
    await exec(pruneDeliveredSql(s, input.runId, KEEP_DELIVERED_RUNS));
    await wh.exec(insertRunSql(d, s, { runId: input.runId, ...input.run }));
    await exec(replacements); // DDL: last (see above)
    crashPoint('before-commit');
  });
  crashPoint('after-commit');
  return [
    ...(changesWritten ? [s.changes] : []),
    ...(input.accountUsersNow?.changes ? [s.accountUsers] : []),
  ];
}

/** Delivery reads the outbox and the membership snapshot at once: the planner needs their new sizes. */
export async function refreshStatisticsAfterCommit(wh: Warehouse, written: readonly string[]): Promise<void> {
  for (const sql of wh.dialect.refreshStatistics(written)) await wh.exec(sql);
}

/**
 * How many runs of a definition before this one had this as_of: hashed into its messageIds, so
 * a change repeated at the same as_of after the data changed (entered, exited, entered again) is
 * not taken for a duplicate, while runs of other definitions (a --select at the scheduled as_of)
 * leave its ids alone. A definition whose last run an earlier roster committed at this as_of gets
 * the count that roster used, of every committed run at it: never below what it used before.
 * (as_of only moves forward, so a last run at another as_of means none at this one.)
 */
async function asOfRepeats(wh: Warehouse, s: StateNames, asOf: string): Promise<(key: string) => number> {
  const last = new Map((await wh.query(definitionRepeatsSql(s))).map((r) => [String(r.key), r]));
  // Counted only where an earlier roster's row needs it: most commits have none.
  const legacy = [...last.values()].some((r) => (isNull(r.as_of) || isNull(r.as_of_repeat)) && String(r.last_run_as_of) === asOf);
  const runsAtAsOf = legacy ? Number((await wh.query(runsAtAsOfSql(wh.dialect, s, asOf)))[0].n) : 0;
  return (key) => {
    const row = last.get(key);
    if (!row) return 0;
    if (isNull(row.as_of) || isNull(row.as_of_repeat)) return String(row.last_run_as_of) === asOf ? runsAtAsOf : 0;
    return String(row.as_of) === asOf ? Number(row.as_of_repeat) + 1 : 0;
  };
}

const isNull = (v: unknown): v is null | undefined => v === null || v === undefined;

/**
 * Copies into the outbox the rows of the pending `state` deliveries of a definition whose
 * committed result (or derived members) this commit is about to change: until now they were made
 * from it (see DeliveryMode in outbox-sql.ts). `pending`: their runs. Returns how many runs'
 * rows it copied, and the state schema's catalog once read.
 */
async function freezePendingState(
  wh: Warehouse, s: StateNames, key: string, pending: readonly Row[], stateTables: SourceCatalog | undefined,
): Promise<{ runs: number; stateTables?: SourceCatalog }> {
  if (!pending.length) return { runs: 0, stateTables };
  const tables = stateTables ?? await wh.catalog(s.schema);
  // Without its result table (dropped by hand) a state delivery cannot be made: delivery says so.
  if (!tables.has(key)) return { runs: 0, stateTables: tables };
  const columns = await wh.describe(s.result(key));
  for (const r of pending) {
    const definition = { key, kind: String(r.definition_kind), entity: String(r.entity) };
    for (const sql of freezeStateDeliveriesSql(wh.dialect, s, { runId: Number(r.run_id), definition }, columns)) await wh.exec(sql);
  }
  return { runs: pending.length, stateTables: tables };
}

/** Each destination the definition is routed to, with every call type it now takes from it. */
function routesTaken(plan: EmissionPlan): RouteRow[] {
  const calls = new Map<string, CallType[]>();
  for (const r of plan.routes) calls.set(r.destination.name, [...(calls.get(r.destination.name) ?? []), ...r.calls]);
  return [...calls].map(([destination, taken]) => ({ destination, calls: CALLS.filter((c) => taken.includes(c)) }));
}

/** The track event names of a definition at a destination, as committed; none when a template fails (delivery reports it). */
function eventNamesOf(destination: EmissionPlan['routes'][number]['destination'], def: EmissionPlan['def']): Partial<Record<EventNameKind, string>> | undefined {
  try {
    return definitionEventNames(destination, def);
  } catch (e) {
    if (e instanceof EventNameError) return undefined;
    throw e;
  }
}

function groupByKey(rows: readonly Row[]): Map<string, Row[]> {
  const by = new Map<string, Row[]>();
  for (const r of rows) by.set(String(r.definition_key), [...(by.get(String(r.definition_key)) ?? []), r]);
  return by;
}

/**
 * How a committed run ended, for the run log: `failed` when no selected definition computed,
 * `delivered` when every one did and delivery sent all, else `incomplete`.
 */
export function runStatus(report: RunReport, delivery: DeliveryReport): string {
  if (!report.outcomes.some((o) => o.selected && o.emission)) return 'failed';
  return report.ok && delivery.ok ? 'delivered' : 'incomplete';
}

export async function finishRun(wh: Warehouse, s: StateNames, runId: number, status: string): Promise<void> {
  await wh.exec(finishRunSql(wh.dialect, s, runId, new Date().toISOString(), status));
}
