import { readsUniverse } from '../definitions/audience-candidates.js';
import type { Audience } from '../definitions/definition.js';
import { ID_COLUMN, type CompileContext } from './context.js';
import { ConditionCompiler, ConditionScope } from './condition.js';
import { QueryParts } from './query.js';
import { allAccounts, allUsers } from './sources.js';

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
  const entities = driver ?? sharedUniverse(ctx, a)
    ?? q.cte('entities', a.entity === 'user' ? 'all_users' : 'all_accounts', () => a.entity === 'user' ? allUsers(ctx, a.key) : allAccounts(ctx, a.key));
  return q.render([`SELECT entity.${id}`, `FROM ${entities} AS entity`, ...scope.joins, `WHERE ${condition}`].join('\n'));
}

/**
 * The plan's scratch table of every user (account), which holds the ids of the SQL traits that
 * count for every audience; undefined for an audience that also counts one upstream of it
 * (countedSqlTraits): it reads its own. Asking the plan for the table makes the plan build it.
 */
function sharedUniverse(ctx: CompileContext, a: Audience): string | undefined {
  if (ctx.universeSqlTraits(a.entity, a.key).length !== ctx.universeSqlTraits(a.entity).length) return undefined;
  return a.entity === 'user' ? ctx.options.shared?.allUsers : ctx.options.shared?.allAccounts;
}
