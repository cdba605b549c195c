import type { Audience } from '../definitions/definition.js';
import { ID_COLUMN, type CompileContext } from './context.js';
import { ConditionCompiler, ConditionScope } from './condition.js';
import { QueryParts } from './query.js';
import { allAccounts, allUsers } from './sources.js';

/**
 * An audience (SPEC 2): its members, one row each, column <user_id|group_id>. Conditions see every
 * entity, so the candidates are all users or all accounts, unless the condition can only hold for
 * the entities of one relation it reads (CompiledCondition's `within`): then they are that
 * relation's rows, which spares a pass over every input table for the universe.
 */
export function compileAudience(ctx: CompileContext, a: Audience): string {
  const q = new QueryParts();
  const conditions = new ConditionCompiler(ctx, q, a.key);
  const { within } = conditions.condition(a.where, new ConditionScope(a.entity, 'entity'));
  const driver = within !== undefined && withinUniverse(ctx, a.entity) ? within : undefined;
  // Compiled again with the driver known: the leaf that reads it reads the candidate row itself.
  const scope = new ConditionScope(a.entity, 'entity', false, driver);
  const condition = conditions.compile(a.where, scope);
  const entities = driver ?? (a.entity === 'user' ? ctx.options.shared?.allUsers : ctx.options.shared?.allAccounts)
    ?? q.cte('entities', a.entity === 'user' ? 'all_users' : 'all_accounts', () => a.entity === 'user' ? allUsers(ctx, a.key) : allAccounts(ctx, a.key));
  const id = ID_COLUMN[a.entity];
  return q.render([`SELECT entity.${id}`, `FROM ${entities} AS entity`, ...scope.joins, `WHERE ${condition}`].join('\n'));
}

/**
 * Whether the relations a condition reads hold only entities of the universe. Account features come
 * through the memberships, which include an associating SQL trait's accounts even where that trait
 * does not count towards the accounts (it reads an audience's state: universeSqlTraits).
 */
function withinUniverse(ctx: CompileContext, entity: Audience['entity']): boolean {
  if (entity === 'user') return true;
  const accounts = new Set(ctx.universeSqlTraits('account').map((t) => t.key));
  return ctx.associatingSqlTraits().every((t) => accounts.has(t.key));
}
