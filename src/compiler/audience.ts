import { readsUniverse } from '../definitions/audience-candidates.js';
import type { Audience } from '../definitions/definition.js';
import { ID_COLUMN, type CompileContext } from './context.js';
import { ConditionCompiler, ConditionScope } from './condition.js';
import { QueryParts } from './query.js';
import { allAccounts, allUsers, widenedUniverse } from './sources.js';

/**
 * An audience (SPEC 2): its members, one row each, column <user_id|group_id>. Conditions see every
 * entity, so the candidates are all users or all accounts, unless the condition can only hold for
 * the entities of the relations it reads (readsUniverse, CompiledCondition's `within`): then they
 * are those relations' rows, which spares a pass over every input table for the universe, and the
 * audience need not wait for the SQL traits whose ids widen it.
 */
export function compileAudience(ctx: CompileContext, a: Audience): string {
  const q = new QueryParts();
  const conditions = new ConditionCompiler(ctx, q, a.key);
  const id = ID_COLUMN[a.entity];
  const { within } = conditions.condition(a.where, new ConditionScope(a.entity, 'entity'));
  let driver: string | undefined;
  if (!readsUniverse(a, ctx.options.definitions)) {
    // The graph ordered this audience by the same rule: reading the universe here could read a SQL trait not yet run.
    if (within === undefined) throw new Error(`${a.key}: its candidates are not the relations its condition reads (roster bug)`);
    driver = within.length === 1
      ? within[0]
      : q.cte(JSON.stringify(['candidates', within]), 'candidates', () =>
        within.length ? within.map((r) => `SELECT ${id} FROM ${r}`).join('\nUNION\n') : `SELECT CAST(NULL AS VARCHAR) AS ${id}\nWHERE 1 = 0`);
  }
  // Compiled again with the driver known: the leaf that reads it reads the candidate row itself.
  const scope = new ConditionScope(a.entity, 'entity', false, driver);
  const condition = conditions.compile(a.where, scope);
  const entities = driver ?? universe(ctx, q, a);
  return q.render([`SELECT entity.${id}`, `FROM ${entities} AS entity`, ...scope.joins, `WHERE ${condition}`].join('\n'));
}

/**
 * Every user (account) as the audience counts them: the plan's shared table (asking for it makes
 * the plan build it), widened by the SQL traits with an audience upstream that this audience
 * counts (countedSqlTraits); standalone, its own pass over the input tables.
 */
function universe(ctx: CompileContext, q: QueryParts, a: Audience): string {
  const shared = a.entity === 'user' ? ctx.options.shared?.allUsers : ctx.options.shared?.allAccounts;
  const name = a.entity === 'user' ? 'all_users' : 'all_accounts';
  if (!shared) return q.cte('entities', name, () => a.entity === 'user' ? allUsers(ctx, a.key) : allAccounts(ctx, a.key));
  const late = ctx.lateSqlTraits(a.entity, a.key);
  return late.length ? q.cte('entities', name, () => widenedUniverse(ctx, a.entity, shared, late)) : shared;
}
