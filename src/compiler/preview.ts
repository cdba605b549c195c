import type { Definition } from '../definitions/definition.js';
import { CompileContext, ID_COLUMN, type CompileOptions } from './context.js';
import { QueryParts } from './query.js';
import { accountUsers } from './sources.js';
import { hasTraitValue } from './sql-trait-shape.js';

export interface PreviewQueries {
  readonly size: string;
  readonly sample: string;
  /** Account audiences: users reached and users per account (min / median / max). */
  readonly breakdown?: string;
}

/**
 * Queries that describe a definition's result table (this run's scratch copy). `columns`: the
 * table's, lower-cased (`jsonColumns`: those of them that hold JSON); an account SQL trait's rows (group_id, user_id, ...) are sampled in the
 * order of both ids, so the sample is the same on every run and engine.
 */
export function previewQueries(
  def: Definition, result: string, limit: number, options: CompileOptions, columns: readonly string[] = [], jsonColumns: readonly string[] = [],
): PreviewQueries {
  const ctx = new CompileContext(options);
  const d = ctx.dialect;
  const ids = [ID_COLUMN[def.entity], ...(def.entity === 'account' && columns.includes('user_id') ? ['user_id'] : [])];
  // A SQL trait's row whose trait columns are all null is an empty value: not one to count or show.
  const rows = def.kind === 'sql_trait' ? `${result} WHERE ${hasTraitValue(d, def.traits)}` : result;
  const size = def.kind === 'sql_trait' && def.entity === 'account'
    ? `SELECT count(DISTINCT group_id) AS n FROM ${rows}`
    : `SELECT count(*) AS n FROM ${rows}`;
  // A JSON value as its text: engines hand a JSON column back differently (text, or parsed).
  const shown = jsonColumns.length ? columns.map((c) => (jsonColumns.includes(c) ? `${d.castText(d.quoteIdent(c))} AS ${d.quoteIdent(c)}` : d.quoteIdent(c))).join(', ') : '*';
  const sample = `SELECT ${shown} FROM ${rows} ORDER BY ${ids.map((c) => d.textSortKey(d.castText(c))).join(', ')} LIMIT ${d.numberLiteral(limit)}`;
  if (!(def.kind === 'audience' && def.entity === 'account')) return { size, sample };
  const q = new QueryParts();
  const users = q.cte('account_users', 'account_users', () => accountUsers(ctx));
  const perAccount = q.cte('per_account', 'users_per_account', () =>
    `SELECT m.group_id, count(au.user_id) AS users\nFROM ${result} AS m\nLEFT JOIN ${users} AS au ON au.group_id = m.group_id\nGROUP BY m.group_id`);
  const reached = q.cte('reached', 'users_reached', () =>
    `SELECT count(DISTINCT au.user_id) AS n\nFROM ${result} AS m\nJOIN ${users} AS au ON au.group_id = m.group_id`);
  const breakdown = q.render(
    `SELECT (SELECT n FROM ${reached}) AS users_reached, min(users) AS min_users, ${d.median('users')} AS median_users, max(users) AS max_users\nFROM ${perAccount}`);
  return { size, sample, breakdown };
}
