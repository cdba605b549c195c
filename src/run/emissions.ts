import { createHash } from 'node:crypto';
import { CompileContext, type SourceCatalog } from '../compiler/context.js';
import { accountUsers } from '../compiler/sources.js';
import type { Definition } from '../definitions/definition.js';
import { CALLS, type CallType, type Destination } from '../definitions/project-config.js';
import type { Project } from '../definitions/project.js';
import {
  changedRowIdsSql, changesSql, fullStateCountsSql, idChangesSql, noRowsOf, sameColumns, sameRowsSql, type ChangeInputs, type ChangeMode,
} from '../state/diff-sql.js';
import { accountSizesSql, changeCountsSql, fanOutCountSql, type DeliveryMode } from '../state/outbox-sql.js';
import {
  accountUsersDeltaSql, accountUsersGoneSql, accountUsersNowSql, accountUsersTextSql, accountUsersSinceSql, definitionsSql, derivedMembersSql, latestMembershipRunSql,
  openAccountUsersSql, routesSql,
} from '../state/state-sql.js';
import { INTERNAL, membersTable, type StateNames } from '../state/state-tables.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { runTableName } from './compute.js';

/** What the state schema holds from earlier runs. */
export interface CommittedState {
  readonly definitions: ReadonlyMap<string, { kind: string; entity: string; fingerprint: string; lastRun: number }>;
  /**
   * `${key}\u0000${destination}` of destinations that hold a definition's full state: the call
   * types they took then, or null when an earlier roster did not record them.
   */
  readonly routes: ReadonlyMap<string, readonly CallType[] | null>;
  /** Tables of the state schema (lower-cased). */
  readonly tables: ReadonlySet<string>;
}

export async function readCommittedState(wh: Warehouse, s: StateNames): Promise<CommittedState> {
  const tables = new Set((await wh.catalog(s.schema)).keys());
  const definitions = new Map<string, { kind: string; entity: string; fingerprint: string; lastRun: number }>();
  const routes = new Map<string, readonly CallType[] | null>();
  if (tables.has(INTERNAL.definitions)) {
    for (const r of await wh.query(definitionsSql(s))) {
      definitions.set(String(r.key), { kind: String(r.kind), entity: String(r.entity), fingerprint: String(r.fingerprint), lastRun: Number(r.last_run) });
    }
  }
  if (tables.has(INTERNAL.routes)) {
    // An earlier roster's table has no calls column (a dry run does not upgrade it): no row has calls then.
    for (const r of await wh.query(routesSql(s))) {
      routes.set(`${r.key}\u0000${r.destination}`, typeof r.calls === 'string' ? r.calls.split(',') as CallType[] : null);
    }
  }
  return { definitions, routes, tables };
}

/** Identifies a definition's content (not its file): an edit changes it. */
export function fingerprint(def: Definition): string {
  const { file: _file, ...content } = def;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16);
}

/**
 * One delivery of a definition to a destination, with the change table it gets. A destination
 * has one, or more when it lists a call type it did not take at the last run: the full state of
 * the new ones and a diff of the others, split by call type so their order stays SPEC 4's.
 */
export interface RoutePlan {
  readonly destination: Destination;
  /** The call types it sends, in SPEC 4 order. */
  readonly calls: readonly CallType[];
  /** true: it gets the full current state of its calls (first run, newly routed, or calls newly listed). */
  readonly full: boolean;
  /** `state` for a full state: delivery makes its rows from the committed result (see DeliveryMode). */
  readonly mode: Exclude<DeliveryMode, 'full'>;
  /** `diff`: the scratch change table (one row per changed entity), copied into the outbox at commit. */
  readonly changes?: string;
  /** Messages the destination gets from it (account traits fanned out to users). */
  readonly messages: number;
}

/** A selected definition that computed: its changes, ready to commit. */
export interface EmissionPlan {
  readonly def: Definition;
  readonly depth: number;
  /** No usable committed state: this is its first run (also after a kind or entity change). */
  readonly firstRun: boolean;
  /** Its state (and routes) in the state schema were made by another kind/entity: dropped at commit. */
  readonly replaces: boolean;
  readonly edited: boolean;
  readonly routes: readonly RoutePlan[];
  /**
   * What the commit does to the stored result: leave it (no row changed), patch the rows of a
   * few changed ids in place (same columns; `patch` is a relation of their ids as text, `id`),
   * or rewrite it whole (a first run, an edit, a type change, or many changes).
   */
  readonly result: 'unchanged' | 'rewrite' | { readonly patch: string; readonly id: 'group_id' | 'user_id' };
  /**
   * The stored result table: there with this run's columns (a rewrite replaces its rows), not
   * there yet (made empty before the commit, then filled in it), or there with other columns
   * (replaced whole).
   */
  readonly resultTable: 'same-columns' | 'absent' | 'other-columns';
  /** Account audiences: whether the table of derived member users is there. */
  readonly membersTableExists: boolean;
  readonly entered: number;
  readonly exited: number;
  readonly changed: number;
  /** Account audiences: the scratch table of this run's derived member users. */
  readonly membersNow?: string;
  /** Account audiences: no user entered or left (the committed derived members stay as they are). */
  readonly membersUnchanged: boolean;
}

/** This run's memberships, and how they differ from the committed snapshot (scratch tables). */
export interface AccountUsersNow {
  /** (group_id, user_id) as text: what every account-level diff joins. */
  readonly now: string;
  /** (group_id, n): users per account of `now`, made when first asked for (accountSizesSql). */
  readonly sizes: () => Promise<string>;
  /** (group_id, user_id, ended): memberships added to or ended in the snapshot's open ones. */
  readonly delta: string;
  /** The memberships added: on a first run, all of them. */
  readonly added: string;
  /** Rows of `delta`: 0 when the memberships did not change (the snapshot is left as it is). */
  readonly changes: number;
  /** The run that last changed the snapshot (null: it is empty): see latestMembershipRunSql. */
  readonly latestRun: number | null;
}

/**
 * Builds this run's memberships and their difference with the committed snapshot, once per run.
 * `planned`: the fused plan's table of the same memberships (distinct), when it built one.
 */
export async function buildAccountUsers(
  project: Project, wh: Warehouse, catalog: SourceCatalog, asOf: string, s: StateNames, state: CommittedState, planned?: string,
): Promise<AccountUsersNow> {
  const d = wh.dialect;
  const ctx = new CompileContext({
    dialect: d, config: project.config, definitions: project.definitions, catalog,
    resultTable: (k) => d.tempTable(runTableName(k)),
  });
  const nowSql = planned ? accountUsersTextSql(d, planned) : accountUsersNowSql(d, accountUsers(ctx));
  for (const sql of d.createTempTableAs('_now_account_users', nowSql)) await wh.exec(sql, { as_of: asOf }, ['as_of']);
  const now = d.tempTable('_now_account_users');
  // No snapshot yet (a dry run of a new project): every membership is added.
  const snapshot = state.tables.has(INTERNAL.accountUsers);
  // The same memberships as the snapshot's open ones (most runs): the delta is empty, without a join.
  const unchanged = snapshot && (await wh.query(sameRowsSql(d, now, openAccountUsersSql(s), ['group_id', 'user_id'])))[0].same === true;
  const deltaSql = !snapshot ? `SELECT group_id, user_id, 1 = 0 AS ended FROM ${now}`
    : unchanged ? noRowsOf(accountUsersDeltaSql(s, now)) : accountUsersDeltaSql(s, now);
  for (const sql of d.createTempTableAs('_account_users_delta', deltaSql)) await wh.exec(sql);
  const delta = d.tempTable('_account_users_delta');
  const [{ run_id: latest }] = snapshot ? await wh.query(latestMembershipRunSql(s)) : [{ run_id: null }];
  const changes = unchanged ? 0 : Number((await wh.query(`SELECT count(*) AS n FROM ${delta}`))[0].n);
  let sizes: Promise<string> | undefined;
  const makeSizes = async () => {
    for (const sql of d.createTempTableAs('_now_account_sizes', accountSizesSql(now))) await wh.exec(sql);
    return d.tempTable('_now_account_sizes');
  };
  return {
    now, sizes: () => (sizes ??= makeSizes()), delta, added: `(SELECT group_id, user_id FROM ${delta} WHERE NOT ended)`, changes,
    latestRun: latest === null || latest === undefined ? null : Number(latest),
  };
}

/**
 * Diffs one definition's result against its committed state into scratch change tables
 * (one for the diff, one for the full state when a destination needs it), and counts them.
 */
export async function planEmission(
  project: Project, wh: Warehouse, s: StateNames, state: CommittedState,
  def: Definition, depth: number, memberships: AccountUsersNow | undefined, rows: number,
): Promise<EmissionPlan> {
  const d = wh.dialect;
  const key = def.key;
  const committed = state.definitions.get(key);
  const sameShape = committed !== undefined && committed.kind === def.kind && committed.entity === def.entity;
  const accountAudience = def.kind === 'audience' && def.entity === 'account';
  const membersTableExists = accountAudience && state.tables.has(d.storedName(membersTable(key)));
  const firstRun = !sameShape || !state.tables.has(key) || (accountAudience && !membersTableExists);
  const current = { table: d.tempTable(runTableName(key)), columns: await wh.describe(d.tempTable(runTableName(key))) };
  const previous = firstRun ? undefined : { table: s.result(key), columns: await wh.describe(s.result(key)) };
  // The table a first run finds (of another kind, or left empty by a commit that failed) is replaced too.
  const stored = previous?.columns ?? (state.tables.has(key) ? await wh.describe(s.result(key)) : undefined);

  const edited = sameShape && committed!.fingerprint !== fingerprint(def);
  // An account-level diff also reaches the users who joined since its last run: none joined.
  const membershipsAsLastRun = def.entity === 'user' || (previous !== undefined && memberships!.changes === 0
    && (memberships!.latestRun === null || committed!.lastRun >= memberships!.latestRun));
  // The stored rows can be compared with this run's (and patched with them) row for row.
  const comparable = previous !== undefined && !edited && sameColumns(current.columns, previous.columns);
  // The same rows as committed, and no one joined: nothing changed, so nothing is diffed.
  const identical = comparable && membershipsAsLastRun
    && (await wh.query(sameRowsSql(d, current.table, previous!.table, current.columns.map((c) => c.name))))[0].same === true;
  const { membersNow, membersUnchanged } = accountAudience
    ? await derivedMembers(wh, key, current.table, previous?.table, memberships!, membershipsAsLastRun, identical)
    : { membersNow: undefined, membersUnchanged: false };
  const inputs: ChangeInputs = {
    key, kind: def.kind, entity: def.entity,
    traitType: def.kind === 'computed_trait' ? def.type : undefined,
    traits: def.kind === 'sql_trait' ? def.traits : undefined,
    current, previous,
    accountUsers: def.entity === 'account' ? memberships?.now : undefined,
    newAccountUsers: previous && def.entity === 'account' ? newSince(memberships!, s, committed!.lastRun) : undefined,
    goneAccountUsers: previous && def.entity === 'account' && def.kind !== 'audience' && !membershipsAsLastRun
      ? accountUsersGoneSql(s, memberships!.now, committed!.lastRun) : undefined,
    members: membersNow ?? (membersUnchanged ? s.members(key) : undefined),
    membersUnchanged,
    previousMembers: previous && accountAudience ? s.members(key) : undefined,
  };

  // An account trait's identify/track messages go to each user of each account: counted by account sizes.
  const accountSizes = def.entity === 'account' && def.kind !== 'audience' ? memberships?.sizes : undefined;
  const tables = new Map<ChangeMode, ChangeTable>();
  // A full state is only counted here: delivery makes its rows from the result this run commits
  // (a `state` delivery), rather than the commit writing them all to the outbox.
  const fullState = async (): Promise<ChangeTable> => {
    const counts = new Map<string, number>();
    for (const r of await wh.query(fullStateCountsSql(d, inputs))) counts.set(`${r.part}/${r.change_kind}`, Number(r.n));
    return { counts, fannedOut: accountSizes ? Number((await wh.query(fullStateCountsSql(d, inputs, await accountSizes())))[0].n) : 0 };
  };
  const diffTable = async (): Promise<ChangeTable> => {
    const name = d.tempTable(`_diff_${key}`);
    for (const sql of d.createTempTableAs(`_diff_${key}`, changesSql(d, inputs, 'diff'))) await wh.exec(sql);
    const counts = new Map<string, number>();
    for (const r of await wh.query(changeCountsSql(name))) counts.set(`${r.part}/${r.change_kind}`, Number(r.n));
    return { name, counts, fannedOut: accountSizes ? Number((await wh.query(fanOutCountSql(d, name, await accountSizes())))[0].n) : 0 };
  };
  const changeTable = async (mode: ChangeMode): Promise<ChangeTable> => {
    const table = tables.get(mode) ?? (mode === 'full' ? await fullState() : identical ? NO_CHANGES : await diffTable());
    tables.set(mode, table);
    return table;
  };
  // On a first run the diff against nothing is the full state.
  const diff = await changeTable(firstRun ? 'full' : 'diff');
  const routed = def.destinations ?? project.config.destinations.map((x) => x.name);
  const routes: RoutePlan[] = [];
  for (const destination of project.config.destinations.filter((x) => routed.includes(x.name))) {
    const calls = CALLS.filter((c) => destination.calls.includes(c));
    const before = state.routes.get(`${key}\u0000${destination.name}`);
    if (firstRun) {
      routes.push({ destination, calls, full: true, mode: 'state', messages: messagesFor(diff, calls) });
      continue;
    }
    // Call types newly listed get the full state of their calls (null: an earlier roster's route,
    // calls unknown); group calls only where there are any, from account-level definitions.
    const added = before === undefined ? calls
      : before === null ? [] : calls.filter((c) => !before.includes(c) && (c !== 'group' || def.entity === 'account'));
    // One delivery per run of neighbouring call types of one mode: delivered by their first call,
    // they keep SPEC 4's group, identify, track order (a diff of identify between two full ones).
    for (const part of runsOf(calls, (c) => added.includes(c))) {
      routes.push(part.value
        ? { destination, calls: part.items, full: true, mode: 'state', messages: messagesFor(await changeTable('full'), part.items) }
        : { destination, calls: part.items, full: false, mode: 'diff', changes: diff.name, messages: messagesFor(diff, part.items) });
    }
  }
  const primary = def.entity === 'account' ? 'account' : 'user';
  const count = (kind: string) => diff.counts.get(`${primary}/${kind}`) ?? 0;
  const idColumn = def.entity === 'account' ? 'group_id' : 'user_id';
  const changedIds = comparable && !identical
    ? await changedResultIds(wh, def, current.table, previous!.table, idColumn, def.kind === 'sql_trait' ? undefined : {
      relation: `(SELECT c.${idColumn} AS id FROM ${diff.name!} AS c WHERE c.part = ${d.stringLiteral(primary)})`,
      count: count('entered') + count('exited') + count('changed'),
    })
    : undefined;
  return {
    def, depth, firstRun, replaces: committed !== undefined && !sameShape, edited,
    resultTable: stored === undefined ? 'absent' : sameColumns(current.columns, stored) ? 'same-columns' : 'other-columns',
    membersTableExists,
    routes, entered: count('entered'), exited: count('exited'), changed: count('changed'), membersNow,
    result: identical ? 'unchanged' : changedIds === undefined ? 'rewrite' : changedIds.count === 0 ? 'unchanged'
      : changedIds.count * PATCH_AT_MOST <= rows ? { patch: changedIds.relation, id: idColumn } : 'rewrite',
    membersUnchanged: membersUnchanged || (!firstRun && !(diff.counts.get('user/entered') ?? 0) && !(diff.counts.get('user/exited') ?? 0)),
  };
}

/** A definition's change rows of one mode and what they hold. */
interface ChangeTable {
  /** The scratch table holding them: a diff's with changes (a full state is not materialized). */
  readonly name?: string;
  /** Rows per `${part}/${change_kind}`. */
  readonly counts: ReadonlyMap<string, number>;
  /** Account traits: the (account change, user) pairs it reaches at delivery. */
  readonly fannedOut: number;
}

/** The diff of a result identical to the committed one (no one joined its accounts either). */
const NO_CHANGES: ChangeTable = { counts: new Map(), fannedOut: 0 };

/** `items` cut where `f` changes value: neighbours with the same value stay together, in order. */
function runsOf<T, V>(items: readonly T[], f: (item: T) => V): { value: V; items: T[] }[] {
  const runs: { value: V; items: T[] }[] = [];
  for (const item of items) {
    const value = f(item);
    const last = runs.at(-1);
    if (last && last.value === value) last.items.push(item);
    else runs.push({ value, items: [item] });
  }
  return runs;
}

/** Messages a destination gets from a change table: a group call per account row, each of its user calls per user reached. */
function messagesFor(table: ChangeTable, calls: readonly CallType[]): number {
  const rows = (part: string) => [...table.counts].filter(([k]) => k.startsWith(`${part}/`)).reduce((a, [, n]) => a + n, 0);
  const userCalls = calls.filter((c) => c !== 'group').length;
  return (calls.includes('group') ? rows('account') : 0) + userCalls * (rows('user') + table.fannedOut);
}

/** A result is patched in place when at most 1 in this many of its rows changed; else rewritten. */
const PATCH_AT_MOST = 10;

/**
 * An account audience's derived members (users of at least one member account), built into a
 * scratch table, unless no account entered or left and no membership changed since the audience
 * last ran: then they are the committed ones (~1M users at scale), neither rebuilt nor diffed.
 */
async function derivedMembers(
  wh: Warehouse, key: string, current: string, previous: string | undefined, memberships: AccountUsersNow,
  membershipsAsLastRun: boolean, identical: boolean,
): Promise<{ membersNow?: string; membersUnchanged: boolean }> {
  const d = wh.dialect;
  if (previous !== undefined && membershipsAsLastRun
    && (identical || Number((await wh.query(idChangesSql(d, current, previous, 'group_id')))[0].n) === 0)) {
    return { membersUnchanged: true };
  }
  const name = `_now_members_${key}`;
  for (const sql of d.createTempTableAs(name, derivedMembersSql(d, current, memberships.now))) await wh.exec(sql);
  return { membersNow: d.tempTable(name), membersUnchanged: false };
}

/**
 * Which ids' stored rows this run changes (a relation of them as text, column id): the diff's
 * own rows, given as `fromDiff`, except for a SQL trait, whose stored rows also hold associations
 * and empty rows that its value diff does not see: its rows are compared whole.
 */
async function changedResultIds(
  wh: Warehouse, def: Definition, current: string, previous: string, idColumn: string, fromDiff: { relation: string; count: number } | undefined,
): Promise<{ relation: string; count: number }> {
  if (fromDiff) return fromDiff;
  const d = wh.dialect;
  const name = `_rows_changed_${def.key}`;
  for (const sql of d.createTempTableAs(name, changedRowIdsSql(d, current, previous, idColumn))) await wh.exec(sql);
  return { relation: d.tempTable(name), count: Number((await wh.query(`SELECT count(*) AS n FROM ${d.tempTable(name)}`))[0].n) };
}

/** Memberships new since run `lastRun`: the run's `added` table unless the snapshot changed after `lastRun`. */
function newSince(m: AccountUsersNow, s: StateNames, lastRun: number): string {
  return m.latestRun === null || lastRun >= m.latestRun ? m.added : accountUsersSinceSql(s, m.now, lastRun);
}
