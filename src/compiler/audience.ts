import type { Audience } from '../definitions/definition.js';
import { ID_COLUMN, type CompileContext } from './context.js';
import { ConditionCompiler, ConditionScope } from './condition.js';
import { QueryParts } from './query.js';
import { allAccounts, allUsers } from './sources.js';

/** An audience (SPEC 2): its members, one row each, column <user_id|group_id>. */
export function compileAudience(ctx: CompileContext, a: Audience): string {
  const q = new QueryParts();
  const scope = new ConditionScope(a.entity, 'entity');
  const condition = new ConditionCompiler(ctx, q, a.key).compile(a.where, scope);
  // Conditions see every entity (SPEC 2), so the candidates are all users or all accounts.
  const shared = a.entity === 'user' ? ctx.options.shared?.allUsers : ctx.options.shared?.allAccounts;
  const entities = shared ?? q.cte('entities', a.entity === 'user' ? 'all_users' : 'all_accounts', () =>
    a.entity === 'user' ? allUsers(ctx, a.key) : allAccounts(ctx, a.key));
  const id = ID_COLUMN[a.entity];
  return q.render([`SELECT entity.${id}`, `FROM ${entities} AS entity`, ...scope.joins, `WHERE ${condition}`].join('\n'));
}
