import type { Dialect } from '../compiler/dialect.js';
import type { CallType } from '../definitions/project-config.js';
import type { StateNames } from './state-tables.js';

/** One definition's changes routed to one destination. */
export interface OutboxInsert {
  /** The change table (columns of CHANGE_COLUMNS). */
  readonly changes: string;
  readonly runId: number;
  readonly destination: string;
  readonly definition: { readonly key: string; readonly kind: string; readonly entity: string };
  readonly depth: number;
  readonly calls: readonly CallType[];
  /** seq of the first row is seqBase + 1: rows are numbered in delivery order. */
  readonly seqBase: number;
}

/**
 * Appends the changes a destination receives (its `calls` only) to the outbox as pending rows,
 * numbered in SPEC 4 order: group, identify, track, each by id (code point order).
 */
export function insertOutboxSql(d: Dialect, s: StateNames, o: OutboxInsert): string {
  const lit = (v: string) => d.stringLiteral(v);
  const order = [
    'c.call_rank',
    d.textSortKey('CASE WHEN c.call_rank = 1 THEN c.group_id ELSE c.user_id END'),
    d.textSortKey('c.group_id'),
  ].join(', ');
  return [
    `INSERT INTO ${s.outbox} (seq, run_id, destination, definition_key, definition_kind, entity, depth, call_type, change_kind, group_id, user_id, values_json, message_id, status, error, attempts)`,
    `SELECT ${o.seqBase} + row_number() OVER (ORDER BY ${order}), ${o.runId}, ${lit(o.destination)}, ${lit(o.definition.key)}, ${lit(o.definition.kind)}, ${lit(o.definition.entity)}, ${o.depth},`,
    `  c.call_type, c.change_kind, c.group_id, c.user_id, c.values_json, CAST(NULL AS VARCHAR), ${lit('pending')}, CAST(NULL AS VARCHAR), 0`,
    `FROM ${o.changes} AS c`,
    `WHERE c.call_type IN (${o.calls.map(lit).join(', ')})`,
  ].join('\n');
}

/** Rows per (call_type, change_kind) of a change table. */
export function changeCountsSql(changes: string): string {
  return `SELECT call_type, change_kind, count(*) AS n FROM ${changes} GROUP BY call_type, change_kind`;
}

export function maxSeqSql(s: StateNames): string {
  return `SELECT coalesce(max(seq), 0) AS seq FROM ${s.outbox}`;
}

/** The next pending rows of a destination after `afterSeq`, in order, with their run's as_of. */
export function pendingBatchSql(d: Dialect, s: StateNames, destination: string, afterSeq: number, limit: number): string {
  return [
    'SELECT o.seq, o.run_id, o.definition_key, o.definition_kind, o.entity, o.call_type, o.change_kind, o.group_id, o.user_id, o.values_json, r.as_of',
    `FROM ${s.outbox} AS o JOIN ${s.runs} AS r ON r.run_id = o.run_id`,
    `WHERE o.destination = ${d.stringLiteral(destination)} AND o.status = ${d.stringLiteral('pending')} AND o.seq > ${afterSeq}`,
    `ORDER BY o.seq`,
    `LIMIT ${limit}`,
  ].join('\n');
}

export function pendingCountSql(d: Dialect, s: StateNames, destination: string): string {
  return `SELECT count(*) AS n FROM ${s.outbox} WHERE destination = ${d.stringLiteral(destination)} AND status = 'pending'`;
}

/** Pending and failed rows per destination. */
export function outboxStatusSql(s: StateNames): string {
  return `SELECT destination, status, count(*) AS n FROM ${s.outbox} WHERE status <> 'sent' GROUP BY destination, status ORDER BY destination, status`;
}

export interface OutboxMark {
  readonly seq: number;
  readonly messageId?: string;
}

/**
 * Marks rows as `status` (sent | failed | pending), records their messageIds, counts the
 * attempt and keeps `error` (null when sent).
 */
export function markOutboxSql(d: Dialect, s: StateNames, rows: readonly OutboxMark[], status: 'sent' | 'failed' | 'pending', error?: string): string {
  const values = rows.map((r) => `(${r.seq}, ${r.messageId === undefined ? 'CAST(NULL AS VARCHAR)' : d.stringLiteral(r.messageId)})`).join(', ');
  const seqs = rows.map((r) => r.seq);
  return [
    `UPDATE ${s.outbox} AS o`,
    `SET status = ${d.stringLiteral(status)}, message_id = coalesce(v.message_id, o.message_id), attempts = o.attempts + 1,`,
    `  error = ${error === undefined ? 'CAST(NULL AS VARCHAR)' : d.stringLiteral(error.slice(0, 2000))}`,
    `FROM (VALUES ${values}) AS v(seq, message_id)`,
    // The range lets the engine skip the rest of a large outbox (seq grows with insertion).
    `WHERE o.seq = v.seq AND o.seq BETWEEN ${Math.min(...seqs)} AND ${Math.max(...seqs)}`,
  ].join('\n');
}

/** Committed runs in order, to tell how often each as_of was run before (see asOfRepeats). */
export function committedRunsSql(s: StateNames): string {
  return `SELECT run_id, as_of FROM ${s.runs} WHERE committed_at IS NOT NULL ORDER BY run_id`;
}

/**
 * Marks delivered rows sent by ranges of seq (one range for a whole batch): no per-row values,
 * so marking costs one pass however large the batch. The messageId is not stored for sent rows:
 * it is derived from the row and recomputed when needed.
 */
export function markSentSql(s: StateNames, seqs: readonly number[]): string {
  const sorted = [...seqs].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const seq of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && seq === last[1] + 1) last[1] = seq;
    else ranges.push([seq, seq]);
  }
  const where = ranges.map(([a, b]) => (a === b ? `seq = ${a}` : `seq BETWEEN ${a} AND ${b}`)).join(' OR ');
  return `UPDATE ${s.outbox} SET status = 'sent', attempts = attempts + 1, error = CAST(NULL AS VARCHAR) WHERE ${where}`;
}

/** Sent rows of runs older than the last `keepRuns` are dropped: the outbox is not an archive. */
export function pruneSentSql(s: StateNames, runId: number, keepRuns: number): string {
  return `DELETE FROM ${s.outbox} WHERE status = 'sent' AND run_id <= ${runId - keepRuns}`;
}
