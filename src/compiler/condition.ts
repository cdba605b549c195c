import type { Entity } from '../definitions/common.js';
import type { Condition, EventCondition, TraitCondition } from '../definitions/condition.js';
import { sendsJsonValue } from './computed-trait.js';
import { isAssociating } from '../definitions/sql-trait-roles.js';
import { ID_COLUMN, type CompileContext } from './context.js';
import { cteName, indent } from './names.js';
import { predicateSql, type ValueType } from './predicate.js';
import type { QueryParts } from './query.js';
import { accountUsers, customTrait, eventRows } from './sources.js';

const COUNT_OPS = { gte: '>=', gt: '>', eq: '=', lte: '<=', lt: '<' } as const;

/**
 * Where a condition is evaluated: rows of one entity, `alias` naming the row's id source. Inside
 * `users:` the rows are an account's users, (group_id, user_id) pairs: `inAccount` is then true.
 */
export class ConditionScope {
  readonly joins: string[] = [];
  private readonly joined = new Set<string>();
  constructor(readonly entity: Entity, readonly alias: string, readonly inAccount = false) {}

  get id(): string {
    return `${this.alias}.${ID_COLUMN[this.entity]}`;
  }

  /** LEFT JOINs a relation keyed by this entity's id column (and the account's, with `byAccount`), once; returns its alias. */
  join(relation: string, alias: string, byAccount = false): string {
    if (!this.joined.has(alias)) {
      this.joined.add(alias);
      const account = byAccount ? ` AND ${alias}.group_id = ${this.alias}.group_id` : '';
      this.joins.push(`LEFT JOIN ${relation} AS ${alias} ON ${alias}.${ID_COLUMN[this.entity]} = ${this.id}${account}`);
    }
    return alias;
  }
}

/**
 * Compiles a condition tree to one boolean SQL expression over the scope's rows. Every leaf is
 * two-valued (never NULL), so all/any/not are plain AND/OR/NOT. Leaves that need data add a
 * feature CTE keyed by entity id and LEFT JOIN it into the scope.
 */
export class ConditionCompiler {
  constructor(private readonly ctx: CompileContext, private readonly q: QueryParts, private readonly self: string) {}

  compile(c: Condition, scope: ConditionScope): string {
    switch (c.kind) {
      case 'all':
      case 'any': {
        const parts = c.conditions.map((x) => this.compile(x, scope));
        return parts.length === 1 ? parts[0] : `(${parts.join(c.kind === 'all' ? '\n  AND ' : '\n  OR ')})`;
      }
      case 'not':
        return `NOT ${this.compile(c.condition, scope)}`;
      case 'event':
        return this.event(c, scope);
      case 'trait':
        return this.trait(c, scope);
      case 'audience':
        return this.audience(c.key, c.member, scope);
      case 'users':
        return this.users(c.quantifier, c.where, scope);
      default: {
        const _exhaustive: never = c;
        throw new Error(`unknown condition ${JSON.stringify(_exhaustive)}`);
      }
    }
  }

  private accountUsers(): string {
    const shared = this.ctx.options.shared?.accountUsers;
    if (shared) return shared;
    return this.q.cte('account_users', 'account_users', () => accountUsers(this.ctx, this.self));
  }

  /** Events per entity; in an account scope, the events of all the account's users together. */
  private event(c: EventCondition, scope: ConditionScope): string {
    if (c.scope === 'group_context' && scope.inAccount) return this.userEventInAccount(c, scope);
    const groupContext = scope.entity === 'account' && c.scope === 'group_context';
    const shared = this.ctx.options.shared?.eventCount?.(scope.entity, c, groupContext);
    if (shared) {
      const alias = scope.join(shared.relation, `${scope.alias}_${shared.name}`);
      return `(COALESCE(${alias}.${shared.column}, 0) ${COUNT_OPS[c.count.op]} ${this.ctx.dialect.numberLiteral(c.count.value)})`;
    }
    const featureKey = JSON.stringify(['event', scope.entity, c.name, c.where, c.window, groupContext]);
    const cte = this.q.cte(featureKey, cteName('event', c.name), () => {
      const rows = eventRows(this.ctx, { names: [c.name], where: c.where, window: c.window, withGroupContext: groupContext });
      const from = `FROM (\n${indent(rows)}\n) AS e`;
      if (scope.entity === 'user') return `SELECT e.user_id, count(*) AS n\n${from}\nGROUP BY e.user_id`;
      const users = this.accountUsers();
      const on = `au.user_id = e.user_id${groupContext ? ' AND e.context_group_id = au.group_id' : ''}`;
      return `SELECT au.group_id, count(*) AS n\n${from}\nJOIN ${users} AS au ON ${on}\nGROUP BY au.group_id`;
    });
    const alias = scope.join(cte, `${scope.alias}_${cte}`);
    return `(COALESCE(${alias}.n, 0) ${COUNT_OPS[c.count.op]} ${this.ctx.dialect.numberLiteral(c.count.value)})`;
  }

  /** Inside users: with scope group_context: a user's events whose context_group_id is the account in question. */
  private userEventInAccount(c: EventCondition, scope: ConditionScope): string {
    const featureKey = JSON.stringify(['event_in_account', c.name, c.where, c.window]);
    const cte = this.q.cte(featureKey, cteName('event_in_account', c.name), () => {
      const rows = eventRows(this.ctx, { names: [c.name], where: c.where, window: c.window, withGroupContext: true });
      return [
        'SELECT e.user_id, e.context_group_id AS group_id, count(*) AS n',
        `FROM (\n${indent(rows)}\n) AS e`,
        'WHERE e.context_group_id IS NOT NULL',
        'GROUP BY e.user_id, e.context_group_id',
      ].join('\n');
    });
    const alias = scope.join(cte, `${scope.alias}_${cte}`, true);
    return `(COALESCE(${alias}.n, 0) ${COUNT_OPS[c.count.op]} ${this.ctx.dialect.numberLiteral(c.count.value)})`;
  }

  private trait(c: TraitCondition, scope: ConditionScope): string {
    const d = this.ctx.dialect;
    const source = this.ctx.trait(c.key, scope.entity);
    let value: string;
    let type: ValueType = 'unknown';
    switch (source.kind) {
      case 'computed': {
        const t = source.definition;
        const alias = scope.join(this.ctx.result(t.key), `${scope.alias}_${t.key}`);
        const column = `${alias}.${d.quoteIdent(t.key)}`;
        // Conditions see every entity, with its empty value where it has no matching events.
        if (t.type === 'event_counter' || t.type === 'unique_list_count') [value, type] = [`COALESCE(${column}, 0)`, 'number'];
        else if (t.type === 'unique_list') [value, type] = [`COALESCE(${column}, ${d.emptyTextList()})`, 'list'];
        else if (t.type === 'aggregation') [value, type] = [column, 'number'];
        else value = sendsJsonValue(this.ctx, t) ? d.jsonScalarText(column) : column;
        break;
      }
      case 'sql': {
        const t = source.definition;
        const id = ID_COLUMN[scope.entity];
        // An associating SQL trait has a row per (group_id, user_id): one value per group_id.
        const relation = isAssociating(t)
          ? this.q.cte(`sql:${t.key}`, cteName('sql', t.key), () => `SELECT DISTINCT ${id}, ${t.traits.map((x) => d.quoteIdent(x)).join(', ')}\nFROM ${this.ctx.result(t.key)}`)
          : this.ctx.result(t.key);
        const alias = scope.join(relation, `${scope.alias}_${t.key}`);
        value = `${alias}.${d.quoteIdent(source.column)}`;
        break;
      }
      case 'custom': {
        const shared = this.ctx.options.shared?.customTrait?.(scope.entity, c.key);
        if (shared) {
          value = `${scope.join(shared.relation, `${scope.alias}_${shared.name}`)}.${shared.column}`;
          break;
        }
        const sql = customTrait(this.ctx, scope.entity, c.key);
        if (sql === undefined) {
          value = 'CAST(NULL AS VARCHAR)';
          break;
        }
        const cte = this.q.cte(JSON.stringify(['custom', scope.entity, c.key]), cteName(`${scope.entity}_trait`, c.key), () => sql);
        value = `${scope.join(cte, `${scope.alias}_${cte}`)}.value`;
        break;
      }
    }
    return predicateSql(d, value, type, c.predicate, d.asOf());
  }

  private audience(key: string, member: boolean, scope: ConditionScope): string {
    const target = this.ctx.definition(key);
    if (!target || target.kind !== 'audience') throw new Error(`unknown audience ${key}`);
    let alias: string;
    if (target.entity === scope.entity) {
      alias = scope.join(this.ctx.result(key), `${scope.alias}_${key}`);
    } else if (scope.entity === 'user') {
      // Passthrough: a user is in while they belong to at least one member account.
      const cte = this.q.cte(`passthrough:${key}`, cteName('users_of', key), () => {
        const users = this.accountUsers();
        return `SELECT DISTINCT au.user_id\nFROM ${users} AS au\nJOIN ${this.ctx.result(key)} AS m ON m.group_id = au.group_id`;
      });
      alias = scope.join(cte, `${scope.alias}_${cte}`);
    } else {
      throw new Error(`account condition names user audience ${key} outside users:`);
    }
    const present = `${alias}.${ID_COLUMN[scope.entity]} IS NOT NULL`;
    return member ? `(${present})` : `(${alias}.${ID_COLUMN[scope.entity]} IS NULL)`;
  }

  /** any / all / none of the account's users satisfy `where`; all is false, none true, with no users. */
  private users(quantifier: 'any' | 'all' | 'none', where: Condition, scope: ConditionScope): string {
    if (scope.entity !== 'account') throw new Error('users: is only for account audiences');
    const d = this.ctx.dialect;
    let matching = this.ctx.options.shared?.usersMatching?.(where);
    if (!matching) {
      const users = this.accountUsers();
      const inner = new ConditionScope('user', 'au', true);
      const cond = this.compile(where, inner);
      const cte = this.q.cte(JSON.stringify(['users', where]), 'users_matching', () =>
        [
          `SELECT au.group_id, ${d.boolOr(cond)} AS any_user, ${d.boolAnd(cond)} AS all_users`,
          `FROM ${users} AS au`,
          ...inner.joins,
          'GROUP BY au.group_id',
        ].join('\n'));
      matching = { relation: cte, any: 'any_user', all: 'all_users', name: cte };
    }
    const alias = scope.join(matching.relation, `${scope.alias}_${matching.name}`);
    switch (quantifier) {
      case 'any':
        return `COALESCE(${alias}.${matching.any}, FALSE)`;
      case 'all':
        return `COALESCE(${alias}.${matching.all}, FALSE)`;
      case 'none':
        return `NOT COALESCE(${alias}.${matching.any}, FALSE)`;
    }
  }
}
