import type { SourceCatalog } from '../compiler/context.js';
import type { Dialect } from '../compiler/dialect.js';

/**
 * roster's own tables in the state schema. Definition keys match ^[a-z], so every internal
 * table starts with `_` and can never collide with a committed result `<state>."<key>"`.
 */
export const INTERNAL = {
  definitions: '_definitions',
  routes: '_routes',
  accountUsers: '_account_users',
  changes: '_changes',
  deliveries: '_deliveries',
  failedMessages: '_failed_messages',
  runs: '_runs',
} as const;

/** Committed derived user membership of an account audience (users of ≥1 member account). */
export const membersTable = (key: string) => `_members_${key}`;

/** Qualified names of the internal tables of one state schema. */
export interface StateNames {
  readonly schema: string;
  readonly definitions: string;
  readonly routes: string;
  readonly accountUsers: string;
  readonly changes: string;
  readonly deliveries: string;
  readonly failedMessages: string;
  readonly runs: string;
  result(key: string): string;
  members(key: string): string;
}

export function stateNames(d: Dialect, schema: string): StateNames {
  const q = (t: string) => d.qualify(schema, t);
  return {
    schema,
    definitions: q(INTERNAL.definitions),
    routes: q(INTERNAL.routes),
    accountUsers: q(INTERNAL.accountUsers),
    changes: q(INTERNAL.changes),
    deliveries: q(INTERNAL.deliveries),
    failedMessages: q(INTERNAL.failedMessages),
    runs: q(INTERNAL.runs),
    result: (key) => q(key),
    members: (key) => q(membersTable(key)),
  };
}

/**
 * Columns later roster versions added to a state schema an earlier one made (NULL in its rows),
 * for the tables of `existing` (the state schema's catalog) that lack them. Only those: ALTER
 * TABLE needs the table's owner on Postgres and takes its strongest lock even when the column is
 * there, so a dashboard reading _deliveries would hold every run back.
 */
export function upgradeStateTables(s: StateNames, existing: SourceCatalog): string[] {
  const added = [
    [INTERNAL.deliveries, s.deliveries, 'event_names', 'VARCHAR'], [INTERNAL.routes, s.routes, 'calls', 'VARCHAR'],
    [INTERNAL.failedMessages, s.failedMessages, 'calls', 'VARCHAR'], [INTERNAL.definitions, s.definitions, 'as_of', 'VARCHAR'],
    [INTERNAL.definitions, s.definitions, 'as_of_repeat', 'BIGINT'], [INTERNAL.deliveries, s.deliveries, 'as_of_repeat', 'BIGINT'],
    [INTERNAL.runs, s.runs, 'source', 'VARCHAR'],
  ] as const;
  return added.filter(([table, , column]) => existing.get(table)?.has(column) === false)
    .map(([, name, column, type]) => `ALTER TABLE ${name} ADD COLUMN IF NOT EXISTS ${column} ${type}`);
}

/**
 * Statements creating the state schema and its internal tables when missing. Ids are stored
 * as text; instants as ISO-8601 text (they are compared and sent as such); JSON as text.
 * - _definitions: what each committed result is (a kind or entity change starts afresh), and
 *   the as_of of its last run with how many runs of it before had that as_of (as_of_repeat,
 *   hashed into its messageIds; NULL from an earlier roster).
 * - _routes: destinations that have received the full state of a definition, and the calls
 *   they took then (comma-separated; NULL from an earlier roster): a call type listed since gets
 *   the full state of its calls.
 * - _account_users: every (group_id, user_id) membership with the runs it was valid in
 *   [from_run, to_run), so each definition can diff against the memberships of its own last run.
 * - _changes: the outbox's content, one row per changed entity (not per message) of a definition
 *   in a run, in `diff` or `full` mode (a newly routed destination gets the full state). part
 *   `account` is an account's change (its group call; an account trait's also fans out to the
 *   account's users of that run, from _account_users, at delivery); part `user` a user's
 *   (identify + track). Messages are expanded and rendered at delivery, so a first run writes
 *   rows per account, not per (account, user, call). A full state is not copied here while its
 *   result stays as committed: its rows are made from the result at delivery (mode `state`).
 * - _deliveries: one row per (run, destination, definition), or per run of its calls when some of
 *   them are newly listed (a full state) and others not (a diff): how many messages it holds and how
 *   many of them, in delivery order, are done (sent, already held, or failed): a cursor. Its
 *   mode says where its change rows are (DeliveryMode in outbox-sql.ts). Like the calls, its
 *   track event names are the ones of the commit (JSON), so a pending message keeps its content
 *   with its messageId when roster.yml's templates or a description change before delivery.
 * - _failed_messages: messages that cannot be delivered as they are (rejected or unrenderable).
 * - _runs: the run log.
 */
export function createStateTables(d: Dialect, s: StateNames, existing: SourceCatalog = new Map()): string[] {
  return [
    d.createSchema(s.schema),
    `CREATE TABLE IF NOT EXISTS ${s.definitions} (key VARCHAR NOT NULL, kind VARCHAR NOT NULL, entity VARCHAR NOT NULL, fingerprint VARCHAR NOT NULL, last_run BIGINT NOT NULL, as_of VARCHAR, as_of_repeat BIGINT)`,
    `CREATE TABLE IF NOT EXISTS ${s.routes} (key VARCHAR NOT NULL, destination VARCHAR NOT NULL, calls VARCHAR)`,
    `CREATE TABLE IF NOT EXISTS ${s.accountUsers} (group_id VARCHAR NOT NULL, user_id VARCHAR NOT NULL, from_run BIGINT NOT NULL, to_run BIGINT)`,
    [
      `CREATE TABLE IF NOT EXISTS ${s.changes} (`,
      '  run_id BIGINT NOT NULL, definition_key VARCHAR NOT NULL, mode VARCHAR NOT NULL,',
      '  part VARCHAR NOT NULL, change_kind VARCHAR NOT NULL, group_id VARCHAR, user_id VARCHAR, values_json VARCHAR NOT NULL',
      ')',
    ].join('\n'),
    [
      `CREATE TABLE IF NOT EXISTS ${s.deliveries} (`,
      '  run_id BIGINT NOT NULL, destination VARCHAR NOT NULL, definition_key VARCHAR NOT NULL, definition_kind VARCHAR NOT NULL,',
      '  entity VARCHAR NOT NULL, depth INTEGER NOT NULL, mode VARCHAR NOT NULL, calls VARCHAR NOT NULL,',
      '  messages BIGINT NOT NULL, done BIGINT NOT NULL, event_names VARCHAR, as_of_repeat BIGINT',
      ')',
    ].join('\n'),
    `CREATE TABLE IF NOT EXISTS ${s.failedMessages} (run_id BIGINT NOT NULL, destination VARCHAR NOT NULL, definition_key VARCHAR NOT NULL, calls VARCHAR, position BIGINT NOT NULL, message_id VARCHAR, error VARCHAR NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${s.runs} (run_id BIGINT NOT NULL, as_of VARCHAR NOT NULL, started_at VARCHAR NOT NULL, committed_at VARCHAR, finished_at VARCHAR, status VARCHAR NOT NULL, counts VARCHAR, source VARCHAR)`,
    ...upgradeStateTables(s, existing),
  ];
}
