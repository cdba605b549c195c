import type { Dialect } from '../compiler/dialect.js';
import { hasTraitValue } from '../compiler/sql-trait-shape.js';
import type { Entity } from '../definitions/common.js';
import type { ComputedTrait, DefinitionKind } from '../definitions/definition.js';
import { emptyValuesJson, jsonObjectSql, membershipJson, sentValueText, type Column } from './values-json.js';

/** A table and its columns (as the warehouse describes them). */
export interface TableShape {
  readonly table: string;
  readonly columns: readonly Column[];
}

/** What one definition's changes are computed from. Ids are compared as text. */
export interface ChangeInputs {
  readonly key: string;
  readonly kind: DefinitionKind;
  readonly entity: Entity;
  /** computed_trait: its type decides the empty value. */
  readonly traitType?: ComputedTrait['type'];
  /** sql_trait: the declared trait columns, for the empty value. */
  readonly traits?: readonly string[];
  /** This run's result. */
  readonly current: TableShape;
  /** The last committed result; required in diff mode. */
  readonly previous?: TableShape;
  /** Account level: this run's memberships (group_id, user_id), as text. */
  readonly accountUsers?: string;
  /** Account traits, diff mode: the memberships (group_id, user_id) that are new since this definition last committed. */
  readonly newAccountUsers?: string;
  /**
   * Account traits: the memberships of its last run that this run no longer has (group_id,
   * user_id); undefined when the memberships are as they were then.
   */
  readonly goneAccountUsers?: string;
  /** Account audiences: this run's derived member users (user_id). */
  readonly members?: string;
  /**
   * Account audiences, diff mode: no account entered or left and no membership changed, so the
   * derived members are the committed ones (`members` may then be the committed table) and no
   * user changes are looked for.
   */
  readonly membersUnchanged?: boolean;
  /** Account audiences, diff mode: the committed derived member users. */
  readonly previousMembers?: string;
}

/** diff: what changed since the last commit; full: the whole current state (a first run or a new route). */
export type ChangeMode = 'diff' | 'full';

/**
 * Columns of a change table: one row per changed entity, whatever the destination. part
 * `account`: an account's change (group_id, its smallest user as user_id); part `user`: a user's
 * change (user_id; group_id when an account trait reaches a newly associated user). Delivery
 * expands them into messages (see expandedMessagesSql).
 */
export const CHANGE_COLUMNS = ['part', 'change_kind', 'group_id', 'user_id', 'values_json'] as const;

const ID: Record<Entity, string> = { user: 'user_id', account: 'group_id' };

/**
 * A SELECT of a definition's changes (SPEC 4) as rows of CHANGE_COLUMNS: audiences give
 * entered/exited, traits give changed values (a value that became empty as its empty value).
 * Account audiences add the users whose derived membership changed; account traits are not
 * fanned out here (their account rows reach every user of the account at delivery), only the
 * users newly associated with an unchanged account that has a value get rows of their own.
 */
export function changesSql(d: Dialect, input: ChangeInputs, mode: ChangeMode): string {
  if (mode === 'diff' && !input.previous) throw new Error(`${input.key}: a diff needs the previous result`);
  const ctes: string[] = [];
  const cte = (name: string, sql: string) => ctes.push(`${name} AS (\n${sql.split('\n').map((l) => `  ${l}`).join('\n')}\n)`);
  const text = (e: string) => d.castText(e);
  const lit = (s: string) => d.stringLiteral(s);
  const nullText = 'CAST(NULL AS VARCHAR)';
  const selects: string[] = [];
  const id = ID[input.entity];
  const account = input.entity === 'account';
  if (account && !input.accountUsers) throw new Error(`${input.key}: an account-level definition needs this run's account users`);

  const diffSets = (name: string, current: string, previous: string | undefined) => {
    if (mode === 'full') return cte(name, `SELECT ${lit('entered')} AS change_kind, n.id FROM ${current} AS n`);
    cte(name, [
      `SELECT ${lit('entered')} AS change_kind, n.id FROM ${current} AS n WHERE NOT EXISTS (SELECT 1 FROM ${previous} AS o WHERE o.id = n.id)`,
      'UNION ALL',
      `SELECT ${lit('exited')} AS change_kind, o.id FROM ${previous} AS o WHERE NOT EXISTS (SELECT 1 FROM ${current} AS n WHERE n.id = o.id)`,
    ].join('\n'));
  };
  const memberJson = (alias: string) =>
    `CASE WHEN ${alias}.change_kind = ${lit('entered')} THEN ${lit(membershipJson(input.key, true))} ELSE ${lit(membershipJson(input.key, false))} END`;
  // The group call names the account's smallest user (SPEC 4): looked up for changed accounts
  // only, by a join (Postgres runs a correlated subquery in the select list once per row, as a
  // scan of every membership: quadratic at 100k accounts).
  const accountRows = (changes: string, values: string) => [
    `SELECT ${lit('account')} AS part, ch.change_kind, ch.id AS group_id, smallest.user_id, ${values} AS values_json`,
    `FROM ${changes} AS ch LEFT JOIN (`,
    `  SELECT au.group_id, min(${d.idSortKey('au.user_id')}) AS user_id FROM ${input.accountUsers} AS au`,
    `  WHERE au.group_id IN (SELECT c.id FROM ${changes} AS c) GROUP BY au.group_id`,
    ') AS smallest ON smallest.group_id = ch.id',
  ].join('\n');
  const userRows = (changes: string, values: string) =>
    `SELECT ${lit('user')} AS part, ch.change_kind, ${nullText} AS group_id, ch.id AS user_id, ${values} AS values_json\nFROM ${changes} AS ch`;

  if (input.kind === 'audience') {
    const ids = (t: TableShape) => `(SELECT DISTINCT ${text(id)} AS id FROM ${t.table})`;
    if (!account) {
      diffSets('changes', ids(input.current), input.previous && ids(input.previous));
      selects.push(userRows('changes', memberJson('ch')));
    } else {
      if (!input.members || (mode === 'diff' && !input.previousMembers)) throw new Error(`${input.key}: an account audience needs its derived members`);
      diffSets('account_changes', ids(input.current), input.previous && ids(input.previous));
      const users = (t: string) => `(SELECT DISTINCT ${text('user_id')} AS id FROM ${t})`;
      selects.push(accountRows('account_changes', memberJson('ch')));
      if (mode === 'full' || !input.membersUnchanged) {
        diffSets('user_changes', users(input.members), input.previousMembers && users(input.previousMembers));
        selects.push(userRows('user_changes', memberJson('ch')));
      }
    }
  } else {
    const emptyJson = lit(emptyValuesJson(input.kind === 'computed_trait' ? [input.key] : input.traits ?? [], input.traitType));
    const rows = (t: TableShape) => valueRowsSql(d, t, id, input.kind);
    const traitColumns = traitColumnsOf(input.current);
    cte('new_rows', rows(input.current));
    cte('new_values', `SELECT v.id, ${jsonObjectSql(d, 'v', traitColumns)} AS values_json FROM new_rows AS v`);
    if (mode === 'diff') cte('old_rows', rows(input.previous!));
    if (mode === 'full') {
      cte('changed', `SELECT ${lit('changed')} AS change_kind, id, values_json FROM new_values`);
    } else {
      cte('changed', [
        `SELECT ${lit('changed')} AS change_kind, coalesce(n.id, o.id) AS id,`,
        `  CASE WHEN n.id IS NULL THEN ${emptyJson} ELSE ${jsonObjectSql(d, 'n', traitColumns)} END AS values_json`,
        'FROM new_rows AS n FULL OUTER JOIN old_rows AS o ON o.id = n.id',
        `WHERE ${changedRowConditions(d, traitColumns, traitColumnsOf(input.previous!)).join(' OR ')}`,
      ].join('\n'));
    }
    if (!account) {
      selects.push(userRows('changed', 'ch.values_json'));
    } else {
      selects.push(accountRows('changed', 'ch.values_json'));
      if (mode === 'diff') {
        if (!input.newAccountUsers) throw new Error(`${input.key}: a diff of an account trait needs the users associated since its last run`);
        // A user newly associated with an unchanged account gets its non-empty values too.
        selects.push([
          `SELECT ${lit('user')} AS part, ${lit('changed')} AS change_kind, au.group_id, au.user_id, n.values_json`,
          `FROM ${input.newAccountUsers} AS au JOIN new_values AS n ON n.id = au.group_id`,
          'WHERE NOT EXISTS (SELECT 1 FROM changed AS ch WHERE ch.id = au.group_id)',
        ].join('\n'));
        if (input.goneAccountUsers) {
          // A user who left the accounts whose value reached them, and belongs to none now: the
          // value is no longer theirs, so it is sent once as its empty value (as any value that
          // became empty). One still in another account keeps what reached them (README).
          cte('had_value', 'SELECT DISTINCT id FROM old_rows');
          selects.push([
            `SELECT ${lit('user')} AS part, ${lit('changed')} AS change_kind, min(${d.idSortKey('g.group_id')}) AS group_id, g.user_id, ${emptyJson} AS values_json`,
            `FROM ${input.goneAccountUsers} AS g JOIN had_value AS h ON h.id = g.group_id`,
            `WHERE NOT EXISTS (SELECT 1 FROM ${input.accountUsers} AS au WHERE au.user_id = g.user_id)`,
            'GROUP BY g.user_id',
          ].join('\n'));
        }
      }
    }
  }
  return `${ctes.length ? `WITH\n${ctes.join(',\n')}\n` : ''}${selects.join('\nUNION ALL\n')}`;
}

/**
 * The rows of `changesSql(d, input, 'full')`, counted without making them (no values, no
 * smallest users): (part, change_kind, n). With `accountSizes` (users per account,
 * accountSizesSql) for an account trait, one count `n` instead: the (account row, user) pairs its
 * delivery expands to.
 */
export function fullStateCountsSql(d: Dialect, input: ChangeInputs, accountSizes?: string): string {
  const lit = (s: string) => d.stringLiteral(s);
  const counted = (part: string, kind: string, rows: string) => `SELECT ${lit(part)} AS part, ${lit(kind)} AS change_kind, count(*) AS n FROM (\n${rows}\n) AS r`;
  const id = ID[input.entity];
  if (input.kind === 'audience') {
    const ids = (t: string, column: string) => `SELECT DISTINCT ${d.castText(column)} AS id FROM ${t}`;
    if (input.entity === 'user') return counted('user', 'entered', ids(input.current.table, id));
    if (!input.members) throw new Error(`${input.key}: an account audience needs its derived members`);
    return [counted('account', 'entered', ids(input.current.table, id)), counted('user', 'entered', ids(input.members, 'user_id'))].join('\nUNION ALL\n');
  }
  const values = valueRowsSql(d, input.current, id, input.kind);
  if (accountSizes) return `SELECT coalesce(sum(s.n), 0) AS n FROM (\n${values}\n) AS v JOIN ${accountSizes} AS s ON s.group_id = v.id`;
  return counted(input.entity === 'account' ? 'account' : 'user', 'changed', values);
}

/**
 * When a row of new_rows (n) differs from old_rows (o), built as JSON for changed rows only (on a
 * scheduled run that is almost none of them). Same columns and types as the committed result: the
 * values themselves, an entity gained or lost. An edit that changed the columns: what each column
 * would send (2 and 2.0 are one number), by name. A column moved in `traits:` is no change; a new
 * one changes the rows where it has a value; one taken out is compared no more (it is no longer
 * sent, and what a destination holds of it stays, as for a definition taken out).
 */
function changedRowConditions(d: Dialect, columns: readonly Column[], previous: readonly Column[]): string[] {
  const [n, o] = [(c: Column) => `n.${d.quoteIdent(c.name)}`, (c: Column) => `o.${d.quoteIdent(c.name)}`];
  if (sameColumns(columns, previous)) return ['n.id IS NULL', 'o.id IS NULL', ...columns.map((c) => `${n(c)} IS DISTINCT FROM ${o(c)}`)];
  const before = new Map(previous.map((c) => [c.name, c]));
  return columns.map((c) => {
    const old = before.get(c.name);
    return old ? `${sentValueText(d, n(c), c)} IS DISTINCT FROM ${sentValueText(d, o(old), old)}` : `${sentValueText(d, n(c), c)} IS NOT NULL`;
  });
}

const traitColumnsOf = (t: TableShape) => t.columns.filter((c) => c.name !== 'user_id' && c.name !== 'group_id');

/** How many ids are in one of two results and not the other (entered + exited), as `n`. */
export function idChangesSql(d: Dialect, current: string, previous: string, id: string): string {
  const ids = (t: string) => `(SELECT DISTINCT ${d.castText(d.quoteIdent(id))} AS id FROM ${t})`;
  return `SELECT count(*) AS n FROM ${ids(current)} AS n FULL OUTER JOIN ${ids(previous)} AS o ON o.id = n.id WHERE n.id IS NULL OR o.id IS NULL`;
}

/**
 * Whether two results of the same columns hold the same rows, as `same`: equal row counts and
 * equal sums of row hashes. One scan of each, where comparing them row by row is a join; unequal
 * tables pass only if two sums of 64-bit hashes collide, about one chance in 2^64.
 */
export function sameRowsSql(d: Dialect, current: string, previous: string, columns: readonly string[]): string {
  const hash = d.rowHash(columns.map((c) => d.quoteIdent(c)));
  const sums = (t: string) => `SELECT count(*) AS n, coalesce(sum(${hash}), 0) AS h FROM ${t} AS t`;
  return `SELECT c.n = p.n AND c.h = p.h AS same FROM (${sums(current)}) AS c CROSS JOIN (${sums(previous)}) AS p`;
}

/** The columns of a query with none of its rows: a scratch table of the right shape, left empty. */
export function noRowsOf(select: string): string {
  return `SELECT * FROM (\n${select}\n) AS q WHERE 1 = 0`;
}

/** Ids (as text, `id`) with a stored row that this run's result does not have, or the reverse. */
export function changedRowIdsSql(d: Dialect, current: string, previous: string, id: string): string {
  return [
    `SELECT DISTINCT ${d.castText(`x.${d.quoteIdent(id)}`)} AS id FROM (`,
    `  (SELECT * FROM ${current} EXCEPT SELECT * FROM ${previous})`,
    '  UNION ALL',
    `  (SELECT * FROM ${previous} EXCEPT SELECT * FROM ${current})`,
    ') AS x',
  ].join('\n');
}

/** Same column names and types, in the same order: rows of one can be compared with, or copied into, the other. */
export function sameColumns(a: readonly Column[], b: readonly Column[]): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i].name && c.type === b[i].type);
}

/**
 * (id, trait columns) of every entity with a non-empty value. A computed trait stores only
 * non-empty values, one row per entity; a SQL trait row whose trait columns are all null is an
 * empty value, and an account SQL trait's (group_id, user_id) rows collapse to one value per
 * group_id (DISTINCT).
 */
function valueRowsSql(d: Dialect, t: TableShape, id: string, kind: DefinitionKind): string {
  const traitColumns = traitColumnsOf(t);
  // Only those rows repeat a value: a user's or an unassociating account's rows are one per id
  // (the run keeps a SQL trait's distinct rows), and a DISTINCT over whole values costs a hash
  // of each, which DuckDB cannot spill for large ones.
  const distinct = kind === 'sql_trait' && id === 'group_id' && t.columns.some((c) => c.name === 'user_id');
  return [
    `SELECT${distinct ? ' DISTINCT' : ''} ${d.castText(`v.${d.quoteIdent(id)}`)} AS id${traitColumns.map((c) => `, v.${d.quoteIdent(c.name)}`).join('')}`,
    `FROM ${t.table} AS v`,
    ...(traitColumns.length ? [`WHERE ${hasTraitValue(d, traitColumns.map((c) => c.name), 'v')}`] : []),
  ].join('\n');
}
