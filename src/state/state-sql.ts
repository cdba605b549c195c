import type { Dialect } from '../compiler/dialect.js';
import type { StateNames } from './state-tables.js';

/** The committed definitions: key, kind, entity, fingerprint, last_run. */
export function definitionsSql(s: StateNames): string {
  return `SELECT key, kind, entity, fingerprint, last_run FROM ${s.definitions}`;
}

export function routesSql(s: StateNames): string {
  return `SELECT key, destination FROM ${s.routes}`;
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

/** An account audience's derived users: every user of at least one member account (SPEC 4). */
export function derivedMembersSql(d: Dialect, audience: string, accountUsersNow: string): string {
  return `SELECT DISTINCT au.user_id FROM ${accountUsersNow} AS au WHERE EXISTS (SELECT 1 FROM ${audience} AS a WHERE ${d.castText('a.group_id')} = au.group_id)`;
}

/** Closes memberships that ended and opens new ones at `runId`. */
export function updateAccountUsersSql(s: StateNames, accountUsersNow: string, runId: number): string[] {
  return [
    [
      `UPDATE ${s.accountUsers} AS o SET to_run = ${runId}`,
      `WHERE o.to_run IS NULL AND NOT EXISTS (SELECT 1 FROM ${accountUsersNow} AS n WHERE n.group_id = o.group_id AND n.user_id = o.user_id)`,
    ].join('\n'),
    [
      `INSERT INTO ${s.accountUsers} (group_id, user_id, from_run, to_run)`,
      `SELECT n.group_id, n.user_id, ${runId}, CAST(NULL AS BIGINT) FROM ${accountUsersNow} AS n`,
      `WHERE NOT EXISTS (SELECT 1 FROM ${s.accountUsers} AS o WHERE o.to_run IS NULL AND o.group_id = n.group_id AND o.user_id = n.user_id)`,
    ].join('\n'),
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

export interface DefinitionRow {
  readonly key: string;
  readonly kind: string;
  readonly entity: string;
  readonly fingerprint: string;
}

/** Records what a committed result is, and the destinations that now hold its full state. */
export function recordDefinitionSql(d: Dialect, s: StateNames, def: DefinitionRow, runId: number, destinations: readonly string[]): string[] {
  const lit = (v: string) => d.stringLiteral(v);
  return [
    `DELETE FROM ${s.definitions} WHERE key = ${lit(def.key)}`,
    `INSERT INTO ${s.definitions} (key, kind, entity, fingerprint, last_run) VALUES (${[def.key, def.kind, def.entity, def.fingerprint].map(lit).join(', ')}, ${runId})`,
    `DELETE FROM ${s.routes} WHERE key = ${lit(def.key)}`,
    ...(destinations.length
      ? [`INSERT INTO ${s.routes} (key, destination) VALUES ${destinations.map((dest) => `(${lit(def.key)}, ${lit(dest)})`).join(', ')}`]
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
}

export function insertRunSql(d: Dialect, s: StateNames, r: RunRow): string {
  const lit = (v: string) => d.stringLiteral(v);
  return `INSERT INTO ${s.runs} (run_id, as_of, started_at, committed_at, finished_at, status, counts) VALUES (${r.runId}, ${lit(r.asOf)}, ${lit(r.startedAt)}, ${lit(r.committedAt)}, CAST(NULL AS VARCHAR), ${lit(r.status)}, ${lit(r.counts)})`;
}

export function finishRunSql(d: Dialect, s: StateNames, runId: number, finishedAt: string, status: string): string {
  return `UPDATE ${s.runs} SET finished_at = ${d.stringLiteral(finishedAt)}, status = ${d.stringLiteral(status)} WHERE run_id = ${runId}`;
}
