import type { Dialect } from '../compiler/dialect.js';
import type { StateNames } from './state-tables.js';

/** The committed definitions: key, kind, entity, fingerprint, last_run. */
export function definitionsSql(s: StateNames): string {
  return `SELECT key, kind, entity, fingerprint, last_run FROM ${s.definitions}`;
}

/** Every column: an earlier roster's table, not yet upgraded (a dry run), has no `calls`. */
export function routesSql(s: StateNames): string {
  return `SELECT * FROM ${s.routes}`;
}

/** as_of of the last run that committed something (ISO text), or null. */
export function lastAsOfSql(s: StateNames): string {
  return `SELECT max(as_of) AS as_of FROM ${s.runs} WHERE status <> 'failed'`;
}

export function nextRunIdSql(s: StateNames): string {
  return `SELECT coalesce(max(run_id), 0) + 1 AS run_id FROM ${s.runs}`;
}

/** The memberships that were valid when run `runId` committed, as a relation (group_id, user_id). */
export function accountUsersAtSql(s: StateNames, runId: number): string {
  return `(SELECT group_id, user_id FROM ${s.accountUsers} WHERE from_run <= ${runId} AND (to_run IS NULL OR to_run > ${runId}))`;
}

/** This run's memberships as text: the scratch table every account-level diff joins. */
export function accountUsersNowSql(d: Dialect, accountUsers: string): string {
  return `SELECT DISTINCT ${d.castText('au.group_id')} AS group_id, ${d.castText('au.user_id')} AS user_id FROM (\n${accountUsers}\n) AS au`;
}

/** Memberships already distinct (the fused plan's table), as text. */
export function accountUsersTextSql(d: Dialect, accountUsers: string): string {
  return `SELECT ${d.castText('au.group_id')} AS group_id, ${d.castText('au.user_id')} AS user_id FROM ${accountUsers} AS au`;
}

/** An account audience's derived users: every user of at least one member account (SPEC 4). */
export function derivedMembersSql(d: Dialect, audience: string, accountUsersNow: string): string {
  return `SELECT DISTINCT au.user_id FROM ${accountUsersNow} AS au WHERE EXISTS (SELECT 1 FROM ${audience} AS a WHERE ${d.castText('a.group_id')} = au.group_id)`;
}

/**
 * The run that last changed the membership snapshot (null when it is empty): the memberships of
 * any run since then are the open ones (to_run IS NULL).
 */
export function latestMembershipRunSql(s: StateNames): string {
  return `SELECT max(CASE WHEN to_run IS NULL THEN from_run ELSE to_run END) AS run_id FROM ${s.accountUsers}`;
}

/** The snapshot's open memberships (group_id, user_id): those of its latest run. */
export function openAccountUsersSql(s: StateNames): string {
  return `(SELECT group_id, user_id FROM ${s.accountUsers} WHERE to_run IS NULL)`;
}

/**
 * How this run's memberships differ from the open ones of the snapshot, in one join:
 * (group_id, user_id, ended) with ended false for a membership added, true for one that ended.
 */
export function accountUsersDeltaSql(s: StateNames, accountUsersNow: string): string {
  return [
    'SELECT coalesce(n.group_id, o.group_id) AS group_id, coalesce(n.user_id, o.user_id) AS user_id, n.group_id IS NULL AS ended',
    `FROM ${accountUsersNow} AS n FULL OUTER JOIN ${openAccountUsersSql(s)} AS o`,
    '  ON o.group_id = n.group_id AND o.user_id = n.user_id',
    'WHERE n.group_id IS NULL OR o.group_id IS NULL',
  ].join('\n');
}

/** This run's memberships that run `runId` did not have (a definition last committed then). */
export function accountUsersSinceSql(s: StateNames, accountUsersNow: string, runId: number): string {
  return `(SELECT n.group_id, n.user_id FROM ${accountUsersNow} AS n WHERE NOT EXISTS (SELECT 1 FROM ${accountUsersAtSql(s, runId)} AS o WHERE o.group_id = n.group_id AND o.user_id = n.user_id))`;
}

/** The memberships run `runId` had that this run does not (a definition last committed then). */
export function accountUsersGoneSql(s: StateNames, accountUsersNow: string, runId: number): string {
  return `(SELECT o.group_id, o.user_id FROM ${accountUsersAtSql(s, runId)} AS o WHERE NOT EXISTS (SELECT 1 FROM ${accountUsersNow} AS n WHERE n.group_id = o.group_id AND n.user_id = o.user_id))`;
}

/** Closes the memberships that ended and opens the added ones at `runId` (from accountUsersDeltaSql's table). */
export function updateAccountUsersSql(s: StateNames, delta: string, runId: number): string[] {
  return [
    [
      `UPDATE ${s.accountUsers} AS o SET to_run = ${runId}`,
      `WHERE o.to_run IS NULL AND EXISTS (SELECT 1 FROM ${delta} AS e WHERE e.ended AND e.group_id = o.group_id AND e.user_id = o.user_id)`,
    ].join('\n'),
    `INSERT INTO ${s.accountUsers} (group_id, user_id, from_run, to_run) SELECT a.group_id, a.user_id, ${runId}, CAST(NULL AS BIGINT) FROM ${delta} AS a WHERE NOT a.ended`,
  ];
}

/**
 * Drops memberships that ended before anything could still read them: the oldest last run of the
 * account-level definitions still defined (their next diff) and the oldest run with account-level
 * messages still to deliver (its fan-out).
 */
export function pruneAccountUsersSql(d: Dialect, s: StateNames, accountKeys: readonly string[]): string | undefined {
  if (!accountKeys.length) return undefined;
  return [
    `DELETE FROM ${s.accountUsers}`,
    `WHERE to_run IS NOT NULL AND to_run <= (SELECT min(run_id) FROM (`,
    `  SELECT last_run AS run_id FROM ${s.definitions} WHERE key IN (${accountKeys.map((k) => d.stringLiteral(k)).join(', ')})`,
    `  UNION ALL SELECT run_id FROM ${s.deliveries} WHERE entity = 'account' AND done < messages`,
    ') AS readers)',
  ].join('\n');
}

/**
 * Replaces, in a committed result, the rows of some ids (`ids`: a relation of them as text, column
 * `id`) by this run's rows of those ids: a result with few changes is patched, not rewritten.
 */
export function patchResultSql(d: Dialect, s: StateNames, key: string, current: string, patch: { ids: string; id: string }): string[] {
  const id = d.quoteIdent(patch.id);
  const changed = `(SELECT p.id FROM ${patch.ids} AS p)`;
  return [
    `DELETE FROM ${s.result(key)} WHERE ${d.castText(id)} IN ${changed}`,
    `INSERT INTO ${s.result(key)} SELECT * FROM ${current} AS n WHERE ${d.castText(`n.${id}`)} IN ${changed}`,
  ];
}

export interface DefinitionRow {
  readonly key: string;
  readonly kind: string;
  readonly entity: string;
  readonly fingerprint: string;
  /** The run's as_of, and how many runs of this definition before it had that as_of. */
  readonly asOf: string;
  readonly asOfRepeat: number;
}

/**
 * Each committed definition's last as_of and its repeat there (NULL from an earlier roster), and
 * the as_of of its last run as the run log has it (for an earlier roster's row).
 */
export function definitionRepeatsSql(s: StateNames): string {
  return `SELECT d.key, d.as_of, d.as_of_repeat, r.as_of AS last_run_as_of FROM ${s.definitions} AS d LEFT JOIN ${s.runs} AS r ON r.run_id = d.last_run`;
}

/** How many committed runs had this as_of: an earlier roster counted them for every definition. */
export function runsAtAsOfSql(d: Dialect, s: StateNames, asOf: string): string {
  return `SELECT count(*) AS n FROM ${s.runs} WHERE committed_at IS NOT NULL AND as_of = ${d.stringLiteral(asOf)}`;
}

/** A destination a definition is routed to, and the call types it takes from it now. */
export interface RouteRow {
  readonly destination: string;
  readonly calls: readonly string[];
}

/** Records what a committed result is, and the destinations (with their calls) that now hold its full state. */
export function recordDefinitionSql(d: Dialect, s: StateNames, def: DefinitionRow, runId: number, routes: readonly RouteRow[]): string[] {
  const lit = (v: string) => d.stringLiteral(v);
  return [
    `DELETE FROM ${s.definitions} WHERE key = ${lit(def.key)}`,
    `INSERT INTO ${s.definitions} (key, kind, entity, fingerprint, last_run, as_of, as_of_repeat) VALUES (${[def.key, def.kind, def.entity, def.fingerprint].map(lit).join(', ')}, ${runId}, ${lit(def.asOf)}, ${def.asOfRepeat})`,
    `DELETE FROM ${s.routes} WHERE key = ${lit(def.key)}`,
    ...(routes.length
      ? [`INSERT INTO ${s.routes} (key, destination, calls) VALUES ${routes.map((r) => `(${lit(def.key)}, ${lit(r.destination)}, ${lit(r.calls.join(','))})`).join(', ')}`]
      : []),
  ];
}

export interface RunRow {
  readonly runId: number;
  readonly asOf: string;
  readonly startedAt: string;
  readonly committedAt: string;
  readonly status: string;
  readonly counts: string;
  /** What the run read and for which project (see runSource): a state schema two projects share shows. */
  readonly source: string;
}

export function insertRunSql(d: Dialect, s: StateNames, r: RunRow): string {
  const lit = (v: string) => d.stringLiteral(v);
  return `INSERT INTO ${s.runs} (run_id, as_of, started_at, committed_at, finished_at, status, counts, source) VALUES (${r.runId}, ${lit(r.asOf)}, ${lit(r.startedAt)}, ${lit(r.committedAt)}, CAST(NULL AS VARCHAR), ${lit(r.status)}, ${lit(r.counts)}, ${lit(r.source)})`;
}

/** The source of the last run whose results were committed (NULL for a run of a roster before runs kept it). */
export function lastRunSourceSql(s: StateNames): string {
  return `SELECT source FROM ${s.runs} WHERE status <> 'failed' ORDER BY run_id DESC LIMIT 1`;
}

export function finishRunSql(d: Dialect, s: StateNames, runId: number, finishedAt: string, status: string): string {
  return `UPDATE ${s.runs} SET finished_at = ${d.stringLiteral(finishedAt)}, status = ${d.stringLiteral(status)} WHERE run_id = ${runId}`;
}
