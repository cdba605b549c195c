import type { Warehouse } from '../warehouse/warehouse.js';
import { insertChangesSql, insertDeliverySql, pruneDeliveredSql } from '../state/outbox-sql.js';
import {
  finishRunSql, insertRunSql, patchResultSql, pruneAccountUsersSql, recordDefinitionSql, updateAccountUsersSql, type RunRow,
} from '../state/state-sql.js';
import type { StateNames } from '../state/state-tables.js';
import { runTableName } from './compute.js';
import { crashPoint } from './crash-point.js';
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
 * the definitions and routes, and the run log row. Nothing of it is visible unless all is.
 */
export async function commitRun(wh: Warehouse, s: StateNames, input: CommitInput): Promise<void> {
  const d = wh.dialect;
  const exec = async (sqls: readonly string[]) => {
    for (const sql of sqls) await wh.exec(sql);
  };
  await wh.transaction(async () => {
    for (const plan of input.plans) {
      const { def } = plan;
      const routes = plan.routes.filter((r) => r.messages > 0);
      for (const mode of new Set(routes.map((r) => r.mode))) {
        const changes = routes.find((r) => r.mode === mode)!.changes;
        await wh.exec(insertChangesSql(d, s, { changes, runId: input.runId, key: def.key, mode }));
      }
      for (const route of routes) {
        await wh.exec(insertDeliverySql(d, s, {
          runId: input.runId, destination: route.destination.name, definition: def, depth: plan.depth,
          mode: route.mode, calls: route.destination.calls, messages: route.messages,
        }));
      }
      const current = d.tempTable(runTableName(def.key));
      if (plan.result === 'rewrite') await exec(d.replaceTableAs(s.result(def.key), `SELECT * FROM ${current}`));
      else if (plan.result !== 'unchanged') await exec(patchResultSql(d, s, def.key, current, { ids: plan.result.patch, id: plan.result.id }));
      if (plan.membersNow && !(plan.result === 'unchanged' && plan.membersUnchanged)) await exec(d.replaceTableAs(s.members(def.key), `SELECT user_id FROM ${plan.membersNow}`));
      else if (plan.replaces) await wh.exec(`DROP TABLE IF EXISTS ${s.members(def.key)}`);
      await exec(recordDefinitionSql(d, s, { key: def.key, kind: def.kind, entity: def.entity, fingerprint: fingerprint(def) }, input.runId, plan.routes.map((r) => r.destination.name)));
    }
    if (input.accountUsersNow?.changes) await exec(updateAccountUsersSql(s, input.accountUsersNow.delta, input.runId));
    const prune = pruneAccountUsersSql(d, s, input.accountKeys);
    if (prune) await wh.exec(prune);
    await exec(pruneDeliveredSql(s, input.runId, KEEP_DELIVERED_RUNS));
    await wh.exec(insertRunSql(d, s, { runId: input.runId, ...input.run }));
    crashPoint('before-commit');
  });
  crashPoint('after-commit');
  // Delivery reads the outbox and the membership snapshot at once: the planner needs their new sizes.
  const written = [
    ...(input.plans.some((p) => p.routes.some((r) => r.messages > 0)) ? [s.changes] : []),
    ...(input.accountUsersNow?.changes ? [s.accountUsers] : []),
  ];
  for (const sql of d.refreshStatistics(written)) await wh.exec(sql);
}

export async function finishRun(wh: Warehouse, s: StateNames, runId: number, status: string): Promise<void> {
  await wh.exec(finishRunSql(wh.dialect, s, runId, new Date().toISOString(), status));
}
