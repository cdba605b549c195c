import type { Dialect } from '../compiler/dialect.js';
import type { Entity } from '../definitions/common.js';
import { CALLS, type CallType } from '../definitions/project-config.js';
import type { DefinitionKind } from '../definitions/definition.js';
import type { EventNameKind } from '../emit/event-names.js';
import { changesSql } from './diff-sql.js';
import { accountUsersAtSql } from './state-sql.js';
import type { StateNames } from './state-tables.js';
import type { Column } from './values-json.js';
import { unicodeEscape } from '../support/unicode-escape.js';

/**
 * The outbox is two tables (state-tables.ts): `_changes`, one row per changed entity, and
 * `_deliveries`, one row per (run, destination, definition) with a cursor over its messages (or
 * one per run of its calls, when a destination newly lists a call type: see RoutePlan).
 * Messages are the changes expanded (expandedMessagesSql) in SPEC 4 order and numbered 1..n:
 * the same rows and memberships always give the same numbering, so `done` says exactly which
 * messages are behind.
 *
 * A delivery's mode says where its change rows are:
 * - `diff`, `full`: in `_changes`, under the same run, key and mode;
 * - `state`: a full state (a first run, a new route) not copied into `_changes`: its rows are
 *   made at delivery from the committed result (and derived members) it is the state of, with
 *   the memberships of its run. A commit that is about to change that result first copies the
 *   rows of its pending `state` deliveries into `_changes` and makes them `full`
 *   (freezeStateDeliveriesSql), so they always read what their run committed.
 */
export type DeliveryMode = 'diff' | 'full' | 'state';

/** One definition's changes of one mode, kept for delivery. */
export interface ChangesInsert {
  /** The change table (columns of CHANGE_COLUMNS). */
  readonly changes: string;
  readonly runId: number;
  readonly key: string;
  readonly mode: Exclude<DeliveryMode, 'state'>;
}

/** `c.changes` may be a table or a parenthesized SELECT. */
export function insertChangesSql(d: Dialect, s: StateNames, c: ChangesInsert): string {
  return [
    `INSERT INTO ${s.changes} (run_id, definition_key, mode, part, change_kind, group_id, user_id, values_json)`,
    `SELECT ${c.runId}, ${d.stringLiteral(c.key)}, ${d.stringLiteral(c.mode)}, c.part, c.change_kind, c.group_id, c.user_id, c.values_json`,
    `FROM ${c.changes} AS c`,
  ].join('\n');
}

/** A definition's messages for one destination in one run: what delivery works through. */
export interface Delivery {
  readonly runId: number;
  readonly destination: string;
  readonly definition: { readonly key: string; readonly kind: string; readonly entity: string };
  readonly depth: number;
  readonly mode: DeliveryMode;
  /** The destination's calls when the run committed (a later edit of roster.yml does not renumber). */
  readonly calls: readonly CallType[];
  readonly messages: number;
  /** The track event names its templates gave when the run committed; undefined: rendered at delivery. */
  readonly eventNames?: Partial<Record<EventNameKind, string>>;
  /** How many runs of the definition before this one had its as_of (hashed into its messageIds). */
  readonly asOfRepeat: number;
}

export function insertDeliverySql(d: Dialect, s: StateNames, x: Delivery): string {
  const lit = (v: string) => d.stringLiteral(v);
  const values = [
    String(x.runId), lit(x.destination), lit(x.definition.key), lit(x.definition.kind), lit(x.definition.entity),
    String(x.depth), lit(x.mode), lit(x.calls.join(',')), String(x.messages), '0',
    x.eventNames ? lit(asciiJson(x.eventNames)) : 'NULL', String(x.asOfRepeat),
  ];
  return `INSERT INTO ${s.deliveries} (run_id, destination, definition_key, definition_kind, entity, depth, mode, calls, messages, done, event_names, as_of_repeat) VALUES (${values.join(', ')})`;
}

/**
 * JSON with every character outside ASCII escaped (\uXXXX): a template or description may hold
 * characters a Postgres database in LATIN1 (or another encoding) cannot store, and the commit
 * of the whole run would fail on them. JSON.parse gives the same text back.
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, unicodeEscape);
}

/**
 * How many (account change, user) pairs an account trait's change table fans out to: one
 * identify and one track each. `accountSizes`: users per account (accountSizesSql).
 */
export function fanOutCountSql(d: Dialect, changes: string, accountSizes: string): string {
  return `SELECT coalesce(sum(s.n), 0) AS n FROM ${changes} AS c JOIN ${accountSizes} AS s ON s.group_id = c.group_id WHERE c.part = ${d.stringLiteral('account')}`;
}

/**
 * Users per account of this run's memberships, (group_id, n): counting an account trait's
 * fan-out joins its rows with these, one per account, instead of with every membership (a SQL
 * trait of a row per member: 0.34 - 0.6 s against 60 ms over 1M memberships).
 */
export function accountSizesSql(accountUsers: string): string {
  return `SELECT group_id, count(*) AS n FROM ${accountUsers} GROUP BY group_id`;
}

/** Rows per (part, change_kind) of a change table. */
export function changeCountsSql(changes: string): string {
  return `SELECT part, change_kind, count(*) AS n FROM ${changes} GROUP BY part, change_kind`;
}

/**
 * The messages of one delivery, numbered in SPEC 4 order (group, then identify, then track, each
 * by id; a user reached through two accounts by group_id): columns position, call_type,
 * change_kind, group_id, user_id and the `ref` of the change row whose values it sends, read from
 * the delivery's scratch table (createDeliveryChangesSql). An account trait's account rows reach
 * every user the account had in that run, read from the membership snapshot.
 *
 * The identify and track sections hold the same rows in the same order, so the user rows are
 * sorted once and each user call takes its own block of positions after the group calls: half
 * the sort of numbering every message in one window.
 */
export function expandedMessagesSql(d: Dialect, s: StateNames, x: Pick<Delivery, 'runId' | 'definition' | 'calls'>): string {
  const lit = (v: string) => d.stringLiteral(v);
  const rows = (part: string) => `${d.tempTable(DELIVERY_CHANGES)} AS c WHERE c.part = ${lit(part)}`;
  const withGroups = x.calls.includes('group');
  const userCalls = (['identify', 'track'] as const).filter((c) => x.calls.includes(c));
  const sections: string[] = [];
  if (withGroups) {
    sections.push([
      `SELECT row_number() OVER (ORDER BY ${d.idSortKey('c.group_id')}) AS position, ${lit('group')} AS call_type,`,
      `  c.change_kind, c.group_id, c.user_id, c.ref`,
      `FROM ${rows('account')}`,
    ].join('\n'));
  }
  if (userCalls.length) {
    const userRows = [`SELECT c.change_kind, c.group_id, c.user_id, c.ref FROM ${rows('user')}`];
    if (x.definition.entity === 'account' && x.definition.kind !== 'audience') {
      userRows.push([
        `SELECT c.change_kind, c.group_id, au.user_id, c.ref`,
        `FROM ${accountUsersAtSql(s, x.runId)} AS au, ${rows('account')} AND au.group_id = c.group_id`,
      ].join('\n'));
    }
    const groupCalls = withGroups ? `(SELECT count(*) FROM ${rows('account')})` : '0';
    const slots = userCalls.map((c, i) => `(${lit(c)}, ${i})`).join(', ');
    sections.push([
      `SELECT ${groupCalls} + k.slot * u.n + u.r AS position, k.call_type, u.change_kind, u.group_id, u.user_id, u.ref`,
      `FROM (`,
      `  SELECT row_number() OVER (ORDER BY ${d.idSortKey('m.user_id')}, ${d.idSortKey('m.group_id')}) AS r, count(*) OVER () AS n,`,
      `    m.change_kind, m.group_id, m.user_id, m.ref`,
      `  FROM (\n${userRows.join('\nUNION ALL\n')}\n) AS m`,
      `) AS u, (VALUES ${slots}) AS k(call_type, slot)`,
    ].join('\n'));
  }
  return sections.join('\nUNION ALL\n');
}

/**
 * A delivery's change rows, before they are expanded into messages: part, change_kind,
 * group_id, user_id, values_json (CHANGE_COLUMNS); for a `state` delivery made from its committed
 * result (see DeliveryMode).
 */
export function deliveryChangesSql(d: Dialect, s: StateNames, x: Expansion): string {
  if (x.mode === 'state') {
    if (!x.resultColumns) throw new Error(`delivery of ${x.definition.key}: a state delivery needs its result's columns`);
    return stateChangesSql(d, s, x, x.resultColumns);
  }
  return [
    'SELECT c.part, c.change_kind, c.group_id, c.user_id, c.values_json',
    `FROM ${s.changes} AS c`,
    `WHERE c.run_id = ${x.runId} AND c.definition_key = ${d.stringLiteral(x.definition.key)} AND c.mode = ${d.stringLiteral(x.mode)}`,
  ].join('\n');
}

/**
 * The scratch table a delivery expands from: its change rows (deliveryChangesSql), each with a
 * `ref` of its own. Messages are numbered over (ref, ids) alone and take their values by `ref`
 * batch by batch (valuesByRefSql): a sort that carried the values would hold all of them at once,
 * and an account trait's values are repeated for every user it fans out to.
 */
export const DELIVERY_CHANGES = '_delivery_changes';

export function createDeliveryChangesSql(d: Dialect, s: StateNames, x: Expansion): string[] {
  return d.createTempTableAs(DELIVERY_CHANGES, `SELECT ${d.rowRef()} AS ref, c.* FROM (\n${deliveryChangesSql(d, s, x)}\n) AS c`);
}

/** Drops the delivery's scratch table once its messages are read (the next delivery makes its own). */
export function dropDeliveryChangesSql(d: Dialect): string {
  return `DROP TABLE IF EXISTS ${d.tempTable(DELIVERY_CHANGES)}`;
}

/**
 * The values of some change rows of the delivery's scratch table (ref, values_json): those whose
 * refs the parameter `refs` lists (refsText).
 */
export function valuesByRefSql(d: Dialect): string {
  return `SELECT c.ref, c.values_json FROM ${d.tempTable(DELIVERY_CHANGES)} AS c WHERE c.ref IN (SELECT r.ref FROM ${d.refsFromText(d.param('refs', 1))} AS r)`;
}

/** The size of the delivery's scratch table: n rows, chars of values_json. */
export function deliveryChangesSizeSql(d: Dialect): string {
  return `SELECT count(*) AS n, coalesce(sum(length(c.values_json)), 0) AS chars FROM ${d.tempTable(DELIVERY_CHANGES)} AS c`;
}

/** The values of every change row of the delivery's scratch table (ref, values_json). */
export function allValuesSql(d: Dialect): string {
  return `SELECT c.ref, c.values_json FROM ${d.tempTable(DELIVERY_CHANGES)} AS c`;
}

/** The parameter `refs` of valuesByRefSql. */
export function refsText(refs: readonly number[]): { refs: string } {
  const bad = refs.find((r) => !Number.isSafeInteger(r));
  if (bad !== undefined || !refs.length) throw new Error(`refsText: refs must be whole numbers, got ${bad ?? 'none'}`);
  return { refs: refs.join(',') };
}

/** What a delivery expands: a delivery, and for a `state` one the columns of its committed result. */
export interface Expansion extends Pick<Delivery, 'runId' | 'definition' | 'mode' | 'calls'> {
  readonly resultColumns?: readonly Column[];
}

/**
 * The change rows (CHANGE_COLUMNS) of a `state` delivery: the full state of the definition's
 * committed result (and, for an account audience, its committed derived members), with the
 * memberships of the delivery's run (see DeliveryMode).
 */
export function stateChangesSql(d: Dialect, s: StateNames, x: Pick<Delivery, 'runId' | 'definition'>, resultColumns: readonly Column[]): string {
  const { key } = x.definition;
  const kind = x.definition.kind as DefinitionKind;
  const entity = x.definition.entity as Entity;
  return changesSql(d, {
    key, kind, entity,
    current: { table: s.result(key), columns: resultColumns },
    accountUsers: entity === 'account' ? accountUsersAtSql(s, x.runId) : undefined,
    members: kind === 'audience' && entity === 'account' ? s.members(key) : undefined,
  }, 'full');
}

/** Pending `state` deliveries (any destination): per definition, the runs whose full state its committed result still is. */
export function pendingStateRunsSql(d: Dialect, s: StateNames): string {
  return [
    `SELECT DISTINCT definition_key, run_id, definition_kind, entity FROM ${s.deliveries}`,
    `WHERE mode = ${d.stringLiteral('state')} AND done < messages`,
    'ORDER BY definition_key, run_id',
  ].join('\n');
}

/**
 * Before a commit changes a definition's committed result or derived members: the rows of one
 * run's `state` deliveries of it are copied into `_changes` as that run's `full` rows, and its
 * deliveries (every destination's) read them from there on.
 */
export function freezeStateDeliveriesSql(d: Dialect, s: StateNames, x: Pick<Delivery, 'runId' | 'definition'>, resultColumns: readonly Column[]): string[] {
  const key = d.stringLiteral(x.definition.key);
  return [
    insertChangesSql(d, s, { changes: `(\n${stateChangesSql(d, s, x, resultColumns)}\n)`, runId: x.runId, key: x.definition.key, mode: 'full' }),
    `UPDATE ${s.deliveries} SET mode = ${d.stringLiteral('full')} WHERE run_id = ${x.runId} AND definition_key = ${key} AND mode = ${d.stringLiteral('state')}`,
  ];
}

/** The call type and change kind of a message as `messagesAfterSql` reads them: an index into these. */
export const CALL_CODES: readonly CallType[] = CALLS;
export const CHANGE_KIND_CODES = ['entered', 'exited', 'changed'] as const;

/**
 * A delivery's messages after position `done`, in order, from its scratch table (see
 * createDeliveryChangesSql): position, call_code, kind_code, group_id, user_id, ref (the values
 * come by valuesByRefSql). The call type and change kind travel as codes (see CALL_CODES): the
 * DuckDB driver decodes every string with a TextDecoder call of its own, and these two were 2 of
 * the 5 strings of each message.
 */
export function messagesAfterSql(d: Dialect, s: StateNames, x: Pick<Delivery, 'runId' | 'definition' | 'calls'>, done: number): string {
  const code = (column: string, words: readonly string[]) =>
    `CASE ${column} ${words.map((w, i) => `WHEN ${d.stringLiteral(w)} THEN ${i}`).join(' ')} END`;
  return [
    `SELECT e.position, ${code('e.call_type', CALL_CODES)} AS call_code, ${code('e.change_kind', CHANGE_KIND_CODES)} AS kind_code,`,
    '  e.group_id, e.user_id, e.ref',
    `FROM (\n${expandedMessagesSql(d, s, x)}\n) AS e`,
    `WHERE e.position > ${done}`,
    'ORDER BY e.position',
  ].join('\n');
}

/** A destination's deliveries that still have messages to go, in delivery order, with their run's as_of. */
export function openDeliveriesSql(d: Dialect, s: StateNames, destination: string): string {
  return [
    'SELECT x.run_id, x.definition_key, x.definition_kind, x.entity, x.depth, x.mode, x.calls, x.messages, x.done, x.event_names, x.as_of_repeat, r.as_of',
    `FROM ${s.deliveries} AS x JOIN ${s.runs} AS r ON r.run_id = x.run_id`,
    `WHERE x.destination = ${d.stringLiteral(destination)} AND x.done < x.messages`,
    // A destination's deliveries of one definition in a run (a full state for call types newly
    // listed, a diff for the others) hold neighbouring call types: their first one orders them.
    `ORDER BY x.run_id, x.depth, ${d.idSortKey('x.definition_key')}, ${firstCallRank(d)}`,
  ].join('\n');
}

/** The rank, in SPEC 4's call order, of the first call type a delivery's `calls` list holds. */
const firstCallRank = (d: Dialect) => `CASE ${CALLS.map((c, i) => `WHEN x.calls LIKE ${d.stringLiteral(`%${c}%`)} THEN ${i}`).join(' ')} END`;

/** One delivery: of a run, destination and definition, and its calls (disjoint between a definition's deliveries). */
export interface DeliveryKey {
  readonly runId: number;
  readonly destination: string;
  readonly key: string;
  /** As stored (comma-separated). */
  readonly calls: string;
}

function deliveryWhere(d: Dialect, x: DeliveryKey): string {
  return `run_id = ${x.runId} AND destination = ${d.stringLiteral(x.destination)} AND definition_key = ${d.stringLiteral(x.key)} AND calls = ${d.stringLiteral(x.calls)}`;
}

/** Moves a delivery's cursor: messages 1..done are behind. */
export function advanceDeliverySql(d: Dialect, s: StateNames, x: DeliveryKey, done: number): string {
  return `UPDATE ${s.deliveries} SET done = ${done} WHERE ${deliveryWhere(d, x)}`;
}

export interface FailedMessage {
  readonly position: number;
  readonly messageId?: string;
  readonly error: string;
}

/** Records messages that cannot be delivered as they are. */
export function insertFailedSql(d: Dialect, s: StateNames, x: DeliveryKey, failed: readonly FailedMessage[]): string {
  const lit = (v: string) => d.stringLiteral(v);
  const rows = failed.map((f) => `(${x.runId}, ${lit(x.destination)}, ${lit(x.key)}, ${lit(x.calls)}, ${f.position}, ${f.messageId === undefined ? 'CAST(NULL AS VARCHAR)' : lit(f.messageId)}, ${lit(f.error.slice(0, 2000))})`);
  return `INSERT INTO ${s.failedMessages} (run_id, destination, definition_key, calls, position, message_id, error) VALUES ${rows.join(', ')}`;
}

/** Messages still to deliver, per destination. */
export function pendingByDestinationSql(s: StateNames): string {
  return `SELECT destination, sum(messages - done) AS n FROM ${s.deliveries} WHERE done < messages GROUP BY destination ORDER BY destination`;
}

export function failedCountSql(s: StateNames): string {
  return `SELECT count(*) AS n FROM ${s.failedMessages}`;
}

/** Committed runs in order, to tell how often each as_of was run before (see asOfRepeats). */
export function committedRunsSql(s: StateNames): string {
  return `SELECT run_id, as_of FROM ${s.runs} WHERE committed_at IS NOT NULL ORDER BY run_id`;
}

/**
 * Changes and deliveries of runs older than the last `keepRuns` are dropped once every
 * destination has all of that run behind: the outbox is not an archive.
 */
export function pruneDeliveredSql(s: StateNames, runId: number, keepRuns: number): string[] {
  const settled = `run_id <= ${runId - keepRuns} AND run_id NOT IN (SELECT run_id FROM ${s.deliveries} WHERE done < messages)`;
  return [`DELETE FROM ${s.changes} WHERE ${settled}`, `DELETE FROM ${s.deliveries} WHERE ${settled}`];
}
