import type { Entity } from '../definitions/common.js';
import type { Condition, EventCondition, TraitCondition } from '../definitions/condition.js';
import { sendsJsonValue } from './computed-trait.js';
import { isAssociating } from '../definitions/sql-trait-roles.js';
import { ID_COLUMN, type CompileContext } from './context.js';
import { cteName, indent, segmentSlug, shortenedName } from './names.js';
import { missingValue } from '../definitions/audience-candidates.js';
import { holdsWhenMissing, type MissingValue } from '../definitions/predicate.js';
import { predicateSql, textOrderOnNumbers, type ValueType } from './predicate.js';
import type { QueryParts } from './query.js';
import { accountUsers, customTrait, customTraitColumnOf, customTraitText, eventRows, propertyColumnType, storedText } from './sources.js';

const COUNT_OPS = { gte: '>=', gt: '>', eq: '=', lte: '<=', lt: '<' } as const;

/** The longest alias a condition joins under: 63 bytes on Postgres, with room for a `_N` suffix. */
const MAX_ALIAS_BYTES = 59;

/**
 * Where a condition is evaluated: rows of one entity, `alias` naming the row's id source. Inside
 * `users:` the rows are an account's users, (group_id, user_id) pairs: `inAccount` is then true.
 * `driver`: the relation the rows come from when it is one a leaf reads (see CompiledCondition's
 * `within`); that leaf then reads the row itself instead of joining its relation again.
 */
export class ConditionScope {
  readonly joins: string[] = [];
  /** The alias of each joined relation (and whether by account too). */
  private readonly joined = new Map<string, string>();
  constructor(readonly entity: Entity, readonly alias: string, readonly inAccount = false, readonly driver?: string) {}

  get id(): string {
    return `${this.alias}.${ID_COLUMN[this.entity]}`;
  }

  /**
   * LEFT JOINs a relation keyed by this entity's id column (and the account's, with `byAccount`),
   * once; returns its alias: `alias`, suffixed where another relation has it (the run plan's shared
   * users_matching and an audience's own users_matching CTE).
   */
  join(relation: string, alias: string, byAccount = false): string {
    if (relation === this.driver && !byAccount) return this.alias;
    const key = `${relation}\0${byAccount}`;
    const known = this.joined.get(key);
    if (known) return known;
    const taken = new Set(this.joined.values());
    // Aliases are made from keys (up to 63 characters) and written unquoted for every dialect:
    // Postgres keeps 63 bytes of a name, so two long keys sharing a start would be one alias there.
    const short = shortenedName(alias, MAX_ALIAS_BYTES);
    let unique = short;
    for (let i = 2; taken.has(unique); i++) unique = `${short}_${i}`;
    this.joined.set(key, unique);
    const account = byAccount ? ` AND ${unique}.group_id = ${this.alias}.group_id` : '';
    this.joins.push(`LEFT JOIN ${relation} AS ${unique} ON ${unique}.${ID_COLUMN[this.entity]} = ${this.id}${account}`);
    return unique;
  }
}

/**
 * A condition as SQL, and `within`: relations keyed by the entity's id that together hold every
 * entity for which the condition can be true (an event feature for `count >= 1`, a trait's result
 * for `eq`, a member audience; none for a trait whose source does not exist), when its leaves
 * decide that; undefined when any entity may satisfy it (`not`, `count < 10`, `not_exists`). Each
 * such relation holds only entities of the universe (SPEC 3: event tables repeat tracks' rows,
 * traits come from identify and group calls). Defined exactly where readsUniverse says the
 * audience does not need the universe.
 */
export interface CompiledCondition {
  readonly sql: string;
  readonly within?: readonly string[];
}

/**
 * Compiles a condition tree to one boolean SQL expression over the scope's rows. Every leaf is
 * two-valued (never NULL), so all/any/not are plain AND/OR/NOT. Leaves that need data add a
 * feature CTE keyed by entity id and LEFT JOIN it into the scope.
 */
export class ConditionCompiler {
  constructor(private readonly ctx: CompileContext, private readonly q: QueryParts, private readonly self: string) {}

  compile(c: Condition, scope: ConditionScope): string {
    return this.condition(c, scope).sql;
  }

  condition(c: Condition, scope: ConditionScope): CompiledCondition {
    switch (c.kind) {
      case 'all':
      case 'any': {
        const parts = c.conditions.map((x) => this.condition(x, scope));
        const sql = parts.length === 1 ? parts[0].sql : `(${parts.map((x) => x.sql).join(c.kind === 'all' ? '\n  AND ' : '\n  OR ')})`;
        const narrowing = parts.map((x) => x.within).filter((x) => x !== undefined);
        const within = c.kind === 'all'
          ? narrowing.sort((a, b) => a.length - b.length)[0] // the fewest relations to read
          : narrowing.length === parts.length ? [...new Set(narrowing.flat())] : undefined;
        return { sql, within };
      }
      case 'not':
        return { sql: `NOT ${this.compile(c.condition, scope)}` };
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
  private event(c: EventCondition, scope: ConditionScope): CompiledCondition {
    if (c.scope === 'group_context' && scope.inAccount) return { sql: this.userEventInAccount(c, scope) };
    const groupContext = scope.entity === 'account' && c.scope === 'group_context';
    const count = (relation: string, column: string): CompiledCondition => ({
      sql: `(COALESCE(${column}, 0) ${COUNT_OPS[c.count.op]} ${this.ctx.dialect.numberLiteral(c.count.value)})`,
      within: holdsWhenMissing(c.count, 'zero') === false ? [relation] : undefined,
    });
    const shared = this.ctx.options.shared?.eventCount?.(scope.entity, c, groupContext);
    if (shared) {
      const alias = scope.join(shared.relation, `${scope.alias}_${shared.name}`);
      return count(shared.relation, `${alias}.${shared.column}`);
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
    return count(cte, `${alias}.n`);
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

  private trait(c: TraitCondition, scope: ConditionScope): CompiledCondition {
    const d = this.ctx.dialect;
    const source = this.ctx.trait(c.key, scope.entity);
    let value: string;
    let type: ValueType = 'unknown';
    let text: string | undefined;
    /** The relation the value comes from (none: no entity has one), and what an entity without a row there has. */
    let from: { relation?: string; missing: MissingValue } | undefined;
    switch (source.kind) {
      case 'computed': {
        const t = source.definition;
        const relation = this.ctx.result(t.key);
        const alias = scope.join(relation, `${scope.alias}_${t.key}`);
        const column = `${alias}.${d.quoteIdent(t.key)}`;
        // Conditions see every entity, with its empty value where it has no matching events.
        from = { relation, missing: missingValue(t) };
        if (t.type === 'event_counter' || t.type === 'unique_list_count') [value, type] = [`COALESCE(${column}, 0)`, 'count'];
        else if (t.type === 'unique_list') [value, type] = [`COALESCE(${column}, ${d.emptyTextList()})`, 'list'];
        else if (t.type === 'aggregation') [value, type] = [column, 'number'];
        else {
          // first / last / most_frequent: text comparisons read the value as it is sent.
          const json = sendsJsonValue(this.ctx, t);
          const propertyType = t.property === undefined ? undefined : propertyColumnType(this.ctx, t.events, segmentSlug(t.property));
          value = json ? d.jsonScalarText(column) : column;
          text = json ? d.jsonListText(column) : storedText(d, column, propertyType);
          // A fractional property is stored as a double rounded to 12 digits, as an aggregation is,
          // and a wide integer as its 12-digit rounding (roundedWholeNumber).
          if (!json && propertyType !== undefined && (d.isFractionalType(propertyType) || d.isWideIntegerType(propertyType))) type = 'number';
          const slip = json ? undefined : textOrderOnNumbers(d, c.predicate, propertyType, `property "${t.property}" of ${t.events.map((e) => `"${e}"`).join(', ')}`);
          if (slip) this.ctx.warn(`trait "${c.key}": ${slip}`);
        }
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
        text = d.runtimeText(value); // its type is known only once the trait has run
        type = 'computed';
        // A row with a null value reads as a missing one. Its ids are entities for this audience:
        // the trait runs before it (countedSqlTraits).
        from = { relation, missing: 'null' };
        break;
      }
      case 'custom': {
        const shared = this.ctx.options.shared?.customTrait?.(scope.entity, c.key);
        const sql = shared ? undefined : customTrait(this.ctx, scope.entity, c.key);
        if (!shared && sql === undefined) { // no such column (warned): the trait is null
          [value, from] = ['CAST(NULL AS VARCHAR)', { missing: 'null' }];
          break;
        }
        const { shownAs, type: columnType } = customTraitColumnOf(this.ctx, scope.entity, c.key);
        const slip = textOrderOnNumbers(d, c.predicate, columnType, `column ${shownAs}`);
        if (slip) this.ctx.warn(`trait "${c.key}": ${slip}`);
        if (shared) {
          ({ value, text } = customTraitText(this.ctx, `${scope.join(shared.relation, `${scope.alias}_${shared.name}`)}.${shared.column}`, columnType));
          from = { relation: shared.relation, missing: 'null' };
          break;
        }
        const cte = this.q.cte(JSON.stringify(['custom', scope.entity, c.key]), cteName(`${scope.entity}_trait`, c.key), () => sql!);
        ({ value, text } = customTraitText(this.ctx, `${scope.join(cte, `${scope.alias}_${cte}`)}.value`, columnType));
        from = { relation: cte, missing: 'null' };
        break;
      }
    }
    const sql = predicateSql(d, value, type, c.predicate, d.asOf(), text);
    const narrows = from !== undefined && holdsWhenMissing(c.predicate, from.missing) === false;
    return { sql, within: narrows ? [from?.relation].filter((r) => r !== undefined) : undefined };
  }

  private audience(key: string, member: boolean, scope: ConditionScope): CompiledCondition {
    const target = this.ctx.definition(key);
    if (!target || target.kind !== 'audience') throw new Error(`unknown audience ${key}`);
    let alias: string;
    let within: string[] | undefined;
    if (target.entity === scope.entity) {
      const relation = this.ctx.result(key);
      alias = scope.join(relation, `${scope.alias}_${key}`);
      if (member) within = [relation];
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
    return { sql: member ? `(${present})` : `(${alias}.${ID_COLUMN[scope.entity]} IS NULL)`, within };
  }

  /** any / all / none of the account's users satisfy `where`; all is false, none true, with no users. */
  private users(quantifier: 'any' | 'all' | 'none', where: Condition, scope: ConditionScope): CompiledCondition {
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
    // An account without users has no row in the matching relation: any and all are false for it.
    switch (quantifier) {
      case 'any':
        return { sql: `COALESCE(${alias}.${matching.any}, FALSE)`, within: [matching.relation] };
      case 'all':
        return { sql: `COALESCE(${alias}.${matching.all}, FALSE)`, within: [matching.relation] };
      case 'none':
        return { sql: `NOT COALESCE(${alias}.${matching.any}, FALSE)` };
    }
  }
}
