import type { Entity } from '../../definitions/common.js';
import type { CompileContext, SharedColumn } from '../context.js';
import { indent } from '../names.js';
import type { EventSourceParts } from '../sources.js';
import type { SharedStep } from './shared.js';

/** What a feature aggregates over the matching rows of one event table (SPEC 2 semantics). */
export type FeatureKind = 'count' | 'sum' | 'min' | 'max' | 'avg' | 'first' | 'last' | 'list' | 'list_count';

/** One feature asked for by a definition: rows of `source` meeting its conditions, per entity. */
export interface FeatureRequest {
  readonly source: EventSourceParts;
  readonly entity: Entity;
  readonly kind: FeatureKind;
  /** scope: group_context (account level only): an event counts for the account in its context_group_id. */
  readonly groupContext: boolean;
  /** The definition asking, named in a comment beside the column. */
  readonly by: string;
}

// Internal aggregates of a pass; *_ts / *_id / count_values are partials for the account level.
type PassKind = FeatureKind | 'first_ts' | 'first_id' | 'last_ts' | 'last_id' | 'count_values';

/** A column's SQL given the row conditions the whole pass already applies (left out of it). */
type ColumnSql = (applied: ReadonlySet<string>) => string;

interface Column { readonly name: string; readonly sql: ColumnSql; readonly users: Set<string> }

/** Columns deduplicated by what they compute: two definitions asking for the same aggregate share it. */
class Columns {
  readonly list: Column[] = [];
  private readonly byKey = new Map<string, Column>();

  add(prefix: string, key: string, sql: ColumnSql, by: string): string {
    let c = this.byKey.get(key);
    if (!c) {
      c = { name: `${prefix}_${this.list.length + 1}`, sql, users: new Set() };
      this.byKey.set(key, c);
      this.list.push(c);
    }
    c.users.add(by);
    return c.name;
  }

  render(applied: ReadonlySet<string> = new Set()): string[] {
    // The comment names the definitions reading the column, for review of the compiled plan.
    return this.list.map((c, i) => `${c.sql(applied)} AS ${c.name}${i < this.list.length - 1 ? ',' : ''} -- ${[...c.users].sort().join(', ')}`);
  }
}

const PREFIX: Record<PassKind, string> = {
  count: 'n', sum: 'sum', min: 'min', max: 'max', avg: 'avg', count_values: 'n_values', first: 'first', last: 'last',
  first_ts: 'first_ts', last_ts: 'last_ts', first_id: 'first_id', last_id: 'last_id', list: 'list', list_count: 'n_distinct',
};

const DECOMPOSABLE = new Set<FeatureKind>(['count', 'sum', 'min', 'max', 'avg', 'first', 'last']);

/**
 * The event features of a run, per input table and entity level:
 * - `<table>_users`: one pass over the table, GROUP BY user_id, every user-level aggregate and
 *   the user partials of account-level ones;
 * - `<table>_accounts`: account-level count/sum/min/max/avg/first/last folded from those partials
 *   over the memberships (avg = sum / count; first/last by each user's (timestamp, id) candidate);
 * - `<table>_account_events`: one pass joining the table with the memberships, GROUP BY group_id,
 *   for what does not fold from user partials: distinct lists and their counts, and
 *   scope: group_context (an event counts only for the account in its context_group_id).
 */
export class EventFeatures {
  private readonly tables = new Map<string, { source: EventSourceParts; users: Columns; accounts: Columns; joined: Columns }>();
  /** Per input table, the event-name tests of its features ('' for none). */
  private readonly matches = new Map<string, Set<string>>();

  constructor(
    private readonly ctx: CompileContext,
    private readonly tableName: (name: string) => string,
    private readonly accountUsers: () => string,
    private readonly onUse: (table: string) => void,
  ) {}

  /** Registers a feature; returns where its value is read, keyed by the entity's id column. */
  request(r: FeatureRequest): SharedColumn {
    const t = this.table(r.source);
    const slug = this.slug(r.source.table);
    const cond = [...r.source.match, ...r.source.window, ...r.source.filters];
    this.matches.get(r.source.table)!.add(r.source.match.join(' AND '));
    if (r.entity === 'user') {
      return this.column(slug, 'users', this.passColumn(t.users, r.kind, r.source, cond, r.by));
    }
    this.accountUsers();
    if (r.groupContext || !DECOMPOSABLE.has(r.kind)) {
      const inContext = r.groupContext ? [`${r.source.groupContext ?? 'CAST(NULL AS VARCHAR)'} = au.group_id`] : [];
      return this.column(slug, 'account_events', this.passColumn(t.joined, r.kind, r.source, [...cond, ...inContext], r.by));
    }
    const partial = (k: PassKind) => `f.${this.passColumn(t.users, k, r.source, cond, r.by)}`;
    const d = this.ctx.dialect;
    let sql: string;
    switch (r.kind) {
      case 'count':
        sql = `CAST(sum(${partial('count')}) AS BIGINT)`; // count(*)'s type, not sum's wider one
        break;
      case 'sum':
      case 'min':
      case 'max':
        // A sum of per-user sums adds doubles in another order than one flat sum: equal after round12
        // unless a value sits on a 12th-digit rounding boundary (a flat parallel sum has no fixed order either).
        sql = `${r.kind}(${partial(r.kind)})`;
        break;
      case 'avg':
        sql = `sum(${partial('sum')}) / NULLIF(sum(${partial('count_values')}), 0)`;
        break;
      case 'first':
      case 'last': {
        const desc = r.kind === 'last';
        const value = partial(r.kind);
        sql = d.firstValue(value, [{ expr: partial(desc ? 'last_ts' : 'first_ts'), desc }, { expr: partial(desc ? 'last_id' : 'first_id'), desc }]);
        break;
      }
      default:
        throw new Error(`feature ${r.kind} does not fold from user partials`);
    }
    return this.column(slug, 'accounts', t.accounts.add(r.kind, sql, () => sql, r.by));
  }

  /** The feature tables that have columns, in a stable order (by input table, then level). */
  steps(): SharedStep[] {
    const out: SharedStep[] = [];
    for (const [table, t] of [...this.tables].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const slug = this.slug(table);
      const users = this.tableName(`${slug}_users`);
      const what = `events of ${this.ctx.source.schema}.${table}`;
      if (t.users.list.length) {
        out.push({ name: users, kind: 'features', needs: [], note: `user features: one pass over the ${what}`, render: () => this.userPass(t.source, t.users) });
      }
      if (t.accounts.list.length) {
        out.push({
          name: this.tableName(`${slug}_accounts`), kind: 'features', needs: [users, this.accountUsers()],
          note: `account features folded from the user features of the ${what}`, render: () => this.foldAccounts(users, t.accounts),
        });
      }
      if (t.joined.list.length) {
        out.push({
          name: this.tableName(`${slug}_account_events`), kind: 'features', needs: [this.accountUsers()],
          note: `account features that do not fold from user features (distinct values, scope: group_context): one pass over the ${what} joined with the memberships`,
          render: () => this.accountPass(t.source, t.joined),
        });
      }
    }
    return out;
  }

  private table(source: EventSourceParts) {
    let t = this.tables.get(source.table);
    if (!t) {
      t = { source, users: new Columns(), accounts: new Columns(), joined: new Columns() };
      this.tables.set(source.table, t);
      this.matches.set(source.table, new Set());
    }
    return t;
  }

  private slug(table: string): string {
    return table.slice(0, 40);
  }

  private column(slug: string, level: string, column: string): SharedColumn {
    const name = this.tableName(`${slug}_${level}`);
    this.onUse(name);
    return { relation: this.ctx.dialect.tempTable(name), column, name: `${slug}_${level}` };
  }

  /** One aggregate over the rows meeting `cond`: conditional aggregates, FILTER or IFF by dialect. */
  private passColumn(cols: Columns, kind: PassKind, source: EventSourceParts, cond: readonly string[], by: string): string {
    const value = source.value ?? 'CAST(NULL AS VARCHAR)';
    const sql = this.passSql(kind, value, cond);
    return cols.add(PREFIX[kind], JSON.stringify([kind, value, cond]), sql, by);
  }

  private passSql(kind: PassKind, value: string, cond: readonly string[]): ColumnSql {
    const d = this.ctx.dialect;
    const ts = this.ctx.timestamp('e');
    const nonNull = [`${value} IS NOT NULL`];
    return (applied) => {
      const c = cond.filter((x) => !applied.has(x));
      const when = (expr: string, extra: readonly string[] = []) => (c.length + extra.length ? `CASE WHEN ${[...c, ...extra].join(' AND ')} THEN ${expr} END` : expr);
      const filtered = (agg: string, expr: string) => (c.length ? d.filteredAggregate(agg, expr, c.join(' AND ')) : `${agg}(${expr})`);
      switch (kind) {
        case 'count':
          return c.length ? d.countIf(c.join(' AND ')) : 'count(*)';
        case 'sum':
        case 'min':
        case 'max':
        case 'avg':
          return filtered(kind, d.tryCastDouble(value));
        case 'count_values':
          return filtered('count', d.tryCastDouble(value));
        case 'first':
        case 'last':
          return d.firstValue(when(value), [{ expr: ts, desc: kind === 'last' }, { expr: 'e.id', desc: kind === 'last' }]);
        case 'first_ts':
        case 'last_ts':
          return `${kind === 'first_ts' ? 'min' : 'max'}(${when(ts, nonNull)})`;
        case 'first_id':
        case 'last_id':
          return d.firstValue(when('e.id', nonNull), [{ expr: ts, desc: kind === 'last_id' }, { expr: 'e.id', desc: kind === 'last_id' }]);
        case 'list':
          return d.distinctSortedTextList(when(value));
        case 'list_count':
          return `count(DISTINCT ${when(d.castText(value))})`;
        default: {
          const _exhaustive: never = kind;
          throw new Error(`unknown feature ${_exhaustive}`);
        }
      }
    };
  }

  /**
   * Rows every feature of the table shares: a known user, up to as_of (SPEC 3), and one of the
   * event names asked for (the events_json table holds every event: skip the others early).
   * `applied`: a name test every feature has, so their own conditions can leave it out.
   */
  private base(table: string): { where: string; applied: ReadonlySet<string> } {
    const where = ['e.user_id IS NOT NULL', `${this.ctx.timestamp('e')} <= ${this.ctx.dialect.asOf()}`];
    const matches = [...this.matches.get(table)!];
    if (matches.length && !matches.includes('')) where.push(matches.length === 1 ? matches[0] : `(${matches.join('\n    OR ')})`);
    return { where: where.join('\n  AND '), applied: new Set(matches.length === 1 ? matches : []) };
  }

  private userPass(source: EventSourceParts, cols: Columns): string {
    const base = this.base(source.table);
    return [
      'SELECT',
      indent(['e.user_id,', ...cols.render(base.applied)].join('\n')),
      `FROM ${source.relation} AS e`,
      `WHERE ${base.where}`,
      'GROUP BY e.user_id',
    ].join('\n');
  }

  private foldAccounts(users: string, cols: Columns): string {
    return [
      'SELECT',
      indent(['au.group_id,', ...cols.render()].join('\n')),
      `FROM ${this.ctx.dialect.tempTable(users)} AS f`,
      `JOIN ${this.accountUsersRelation()} AS au ON au.user_id = f.user_id`,
      'GROUP BY au.group_id',
    ].join('\n');
  }

  private accountPass(source: EventSourceParts, cols: Columns): string {
    const base = this.base(source.table);
    return [
      'SELECT',
      indent(['au.group_id,', ...cols.render(base.applied)].join('\n')),
      `FROM ${source.relation} AS e`,
      `JOIN ${this.accountUsersRelation()} AS au ON au.user_id = e.user_id`,
      `WHERE ${base.where}`,
      'GROUP BY au.group_id',
    ].join('\n');
  }

  private accountUsersRelation(): string {
    return this.ctx.dialect.tempTable(this.accountUsers());
  }
}
