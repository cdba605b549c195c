import type { Entity } from '../../definitions/common.js';
import { presentId, type CompileContext, type SharedColumn } from '../context.js';
import { indent, shortenedName } from '../names.js';
import { average } from '../computed-trait.js';
import type { EventSourceParts } from '../sources.js';
import { ColumnNames } from './column-names.js';
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

/**
 * Where a most_frequent reads its counts, known once the plan is complete: rows per
 * (user_id, value[, value_text]) with the number of matching events in `count`. `regroup`: the
 * rows are also split by the value's text, so counts are summed per (user_id, value) first.
 * `memberships` (account level): the account users whose counts are summed per account.
 */
export interface ValueCounts { readonly relation: string; readonly count: string; readonly regroup: boolean; readonly memberships?: string }

// Internal aggregates of a pass; *_ts / *_id / count_values are partials for the account level.
type PassKind = FeatureKind | 'first_ts' | 'first_id' | 'last_ts' | 'last_id' | 'count_values';

/** What a pass column aggregates: `kind` of `value` over the rows meeting `cond`. */
interface Spec { readonly kind: PassKind; readonly value: string; readonly cond: readonly string[] }

/** A column's SQL given the row conditions the whole pass already applies (left out of it). */
type ColumnSql = (applied: ReadonlySet<string>) => string;

interface Column { readonly name: string; readonly sql: ColumnSql; readonly users: Set<string>; readonly spec?: Spec }

/** Columns deduplicated by what they compute: two definitions asking for the same aggregate share it. */
class Columns {
  readonly list: Column[] = [];
  private readonly byKey = new Map<string, Column>();
  private readonly names = new ColumnNames();

  add(prefix: string, key: string, sql: ColumnSql, by: Iterable<string>, spec?: Spec): string {
    let c = this.byKey.get(key);
    if (!c) {
      c = { name: this.names.name(prefix, by), sql, users: new Set(), spec };
      this.byKey.set(key, c);
      this.list.push(c);
    }
    for (const u of by) c.users.add(u);
    return c.name;
  }

  render(sql: (c: Column) => string): string[] {
    // The comment names the definitions reading the column, for review of the compiled plan.
    return this.list.map((c, i) => `${sql(c)} AS ${c.name}${i < this.list.length - 1 ? ',' : ''} -- ${[...c.users].sort().join(', ')}`);
  }
}

const PREFIX: Record<PassKind, string> = {
  count: 'n', sum: 'sum', min: 'min', max: 'max', avg: 'avg', count_values: 'n_values', first: 'first', last: 'last',
  first_ts: 'first_ts', last_ts: 'last_ts', first_id: 'first_id', last_id: 'last_id', list: 'list', list_count: 'n_distinct',
};

const DECOMPOSABLE = new Set<FeatureKind>(['count', 'sum', 'min', 'max', 'avg', 'first', 'last']);
/** Distinct-value features: from a value grain they need no DISTINCT aggregate. */
const DISTINCT = new Set<PassKind>(['list', 'list_count']);
/** User features that fold exactly from (user, value) partials (not sums: doubles added in another order). */
const GRAIN_FOLDS = new Set<PassKind>(['count', 'count_values', 'min', 'max', 'list', 'list_count']);

/**
 * Events of one table grouped by (user_id, value): each user's distinct values of one property,
 * with the number of matching events of each feature that reads them.
 */
interface Grain {
  readonly name: string;
  readonly value: string;
  /** Event-name tests of its most_frequent requests. */
  readonly matches: Set<string>;
  readonly frequent: { readonly cond: readonly string[]; readonly by: string; column?: string }[];
  /** Set by `finalize`: the table's user features fold from it (it then holds their partials). */
  folds: boolean;
  columns: Columns;
}

interface TableFeatures {
  readonly source: EventSourceParts;
  readonly users: Columns;
  readonly accounts: Columns;
  readonly joined: Columns;
  /** The event-name tests of its features ('' for none). */
  readonly matches: Set<string>;
  /** By value expression. */
  readonly grains: Map<string, Grain>;
  /** Set by `finalize` when the user features fold from a grain: user column -> its partial. */
  fold?: { readonly grain: Grain; readonly partial: Map<string, string> };
}

/**
 * The event features of a run, per input table and entity level:
 * - `<table>_users`: one pass over the table, GROUP BY user_id, every user-level aggregate and
 *   the user partials of account-level ones;
 * - `<table>_values[_n]`: a pass GROUP BY (user_id, value) for distinct values: when every user
 *   feature of the table folds from it (counts, min, max, distinct lists of that value),
 *   `<table>_users` is folded from it instead of read off the events (no DISTINCT aggregate);
 *   most_frequent ranks its counts (an account's summed over the memberships);
 * - `<table>_accounts`: account-level count/sum/min/max/avg/first/last folded from those partials
 *   over the memberships (avg = sum / count; first/last by each user's (timestamp, id) candidate);
 * - `<table>_account_events`: one pass joining the table with the memberships, GROUP BY group_id,
 *   for what does not fold from user partials: distinct lists and their counts, and
 *   scope: group_context (an event counts only for the account in its context_group_id).
 */
export class EventFeatures {
  private readonly tables = new Map<string, TableFeatures>();

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
    t.matches.add(r.source.match.join(' AND '));
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
        sql = average(`sum(${partial('sum')})`, `sum(${partial('count_values')})`);
        break;
      case 'first':
      case 'last': {
        const desc = r.kind === 'last';
        const value = partial(r.kind);
        sql = d.firstValue(value, [{ expr: partial(desc ? 'last_ts' : 'first_ts'), desc }, { expr: d.idSortKey(partial(desc ? 'last_id' : 'first_id')), desc }]);
        break;
      }
      default:
        throw new Error(`feature ${r.kind} does not fold from user partials`);
    }
    return this.column(slug, 'accounts', t.accounts.add(r.kind, sql, () => sql, [r.by]));
  }

  /**
   * Registers a most_frequent of `source.value`: its counts per (user, value) come from the
   * table's value grain; an account's are its users' summed over the memberships (an event counts
   * once for each account of its user, as in the standalone query). The returned function tells
   * where, once every feature is registered.
   */
  mostFrequent(source: EventSourceParts, entity: Entity, by: string): () => ValueCounts {
    const memberships = entity === 'account' ? this.accountUsersRelation() : undefined;
    const t = this.table(source);
    const g = this.grain(t, this.valueOf(source));
    g.matches.add(source.match.join(' AND '));
    const request: Grain['frequent'][number] = { cond: [...source.match, ...source.window, ...source.filters], by };
    g.frequent.push(request);
    this.onUse(g.name);
    return () => {
      if (request.column === undefined) throw new Error(`most_frequent ${by}: read before the plan is complete`);
      return { relation: this.ctx.dialect.tempTable(g.name), count: request.column, regroup: g.folds, memberships };
    };
  }

  /** The feature tables that have columns, in a stable order (by input table, then level). */
  steps(): SharedStep[] {
    const out: SharedStep[] = [];
    for (const [table, t] of [...this.tables].sort(([a], [b]) => (a < b ? -1 : 1))) {
      this.finalize(t);
      const slug = this.slug(table);
      const users = this.tableName(`${slug}_users`);
      const what = `events of ${this.ctx.source.schema}.${table}`;
      for (const g of t.grains.values()) {
        if (!g.columns.list.length) continue;
        const why = [...(g.folds ? ['the user features'] : []), ...(g.frequent.length ? ['most_frequent counts'] : [])].join(' and ');
        out.push({ name: g.name, kind: 'features', needs: [], note: `distinct values per user (${why}): one pass over the ${what}`, render: () => this.grainPass(t, g) });
      }
      if (t.users.list.length) {
        const fold = t.fold;
        out.push(fold
          ? { name: users, kind: 'features', needs: [fold.grain.name], note: `user features folded from the distinct values per user of the ${what}`, render: () => this.foldUsers(t, fold) }
          : { name: users, kind: 'features', needs: [], note: `user features: one pass over the ${what}`, render: () => this.userPass(t) });
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
          render: () => this.accountPass(t),
        });
      }
    }
    return out;
  }

  private table(source: EventSourceParts): TableFeatures {
    let t = this.tables.get(source.table);
    if (!t) {
      t = { source, users: new Columns(), accounts: new Columns(), joined: new Columns(), matches: new Set(), grains: new Map() };
      this.tables.set(source.table, t);
    }
    return t;
  }

  private grain(t: TableFeatures, value: string): Grain {
    let g = t.grains.get(value);
    if (!g) {
      const n = t.grains.size + 1;
      g = { name: this.tableName(`${this.slug(t.source.table)}_values${n > 1 ? `_${n}` : ''}`), value, matches: new Set(), frequent: [], folds: false, columns: new Columns() };
      t.grains.set(value, g);
    }
    return g;
  }

  /**
   * Once every feature is registered: whether the user features fold from a grain (all of them
   * counts, min, max, or distinct values of one property), and each grain's columns.
   */
  private finalize(t: TableFeatures): void {
    if (t.grains.size === 0 && !t.users.list.some((c) => DISTINCT.has(c.spec!.kind))) return;
    const lists = t.users.list.filter((c) => DISTINCT.has(c.spec!.kind));
    const value = lists[0]?.spec!.value;
    const folds = value !== undefined && t.users.list.every((c) => GRAIN_FOLDS.has(c.spec!.kind) && (!DISTINCT.has(c.spec!.kind) || c.spec!.value === value));
    if (folds) {
      const g = this.grain(t, value);
      g.folds = true;
      const partial = new Map<string, string>();
      for (const c of t.users.list) {
        const spec = DISTINCT.has(c.spec!.kind) ? { ...c.spec!, kind: 'count' as const } : c.spec!;
        partial.set(c.name, this.specColumn(g.columns, spec, c.users));
      }
      t.fold = { grain: g, partial };
    }
    for (const g of t.grains.values()) {
      for (const f of g.frequent) f.column = this.specColumn(g.columns, { kind: 'count', value: g.value, cond: f.cond }, [f.by]);
    }
  }

  // Step names stay short, and one per table: a longer name keeps its start and a hash of the
  // whole, as two tables may share their first 40 characters (their steps would be one table).
  private slug(table: string): string {
    return shortenedName(table, 40);
  }

  private valueOf(source: EventSourceParts): string {
    return source.value ?? 'CAST(NULL AS VARCHAR)';
  }

  private column(slug: string, level: string, column: string): SharedColumn {
    const name = this.tableName(`${slug}_${level}`);
    this.onUse(name);
    return { relation: this.ctx.dialect.tempTable(name), column, name: `${slug}_${level}` };
  }

  /** One aggregate over the rows meeting `cond`: conditional aggregates, FILTER or IFF by dialect. */
  private passColumn(cols: Columns, kind: PassKind, source: EventSourceParts, cond: readonly string[], by: string): string {
    return this.specColumn(cols, { kind, value: this.valueOf(source), cond }, [by]);
  }

  private specColumn(cols: Columns, spec: Spec, by: Iterable<string>): string {
    // A count reads no value: counts of the same rows are one column whatever property their readers name.
    const value = spec.kind === 'count' ? '' : spec.value;
    return cols.add(PREFIX[spec.kind], JSON.stringify([spec.kind, value, spec.cond]), this.passSql(spec), by, spec);
  }

  private passSql({ kind, value, cond }: Spec): ColumnSql {
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
          return filtered(kind, d.tryCastDouble(value));
        case 'avg': {
          const double = d.tryCastDouble(value);
          return average(filtered('sum', double), filtered('count', double));
        }
        case 'count_values':
          return filtered('count', d.tryCastDouble(value));
        case 'first':
        case 'last':
          return d.firstValue(when(value), [{ expr: ts, desc: kind === 'last' }, { expr: d.idSortKey('e.id'), desc: kind === 'last' }]);
        case 'first_ts':
        case 'last_ts':
          return `${kind === 'first_ts' ? 'min' : 'max'}(${when(ts, nonNull)})`;
        case 'first_id':
        case 'last_id':
          // The id of the event first / last takes, null when it has none (it then sorts after
          // every id, in the fold as in the account's own order).
          return d.firstValue('e.id', [{ expr: ts, desc: kind === 'last_id' }, { expr: d.idSortKey('e.id'), desc: kind === 'last_id' }], [...c, ...nonNull].join(' AND '));
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
   * Rows every feature of a pass shares: a known user, up to as_of (SPEC 3), and one of the
   * event names asked for (the events_json table holds every event: skip the others early).
   * `applied`: a name test every feature has, so their own conditions can leave it out.
   */
  private base(tests: ReadonlySet<string>): { where: string; applied: ReadonlySet<string> } {
    const where = [presentId('e.user_id'), `${this.ctx.timestamp('e')} <= ${this.ctx.dialect.asOf()}`];
    const matches = [...tests];
    if (matches.length && !matches.includes('')) where.push(matches.length === 1 ? matches[0] : `(${matches.join('\n    OR ')})`);
    return { where: where.join('\n  AND '), applied: new Set(matches.length === 1 ? matches : []) };
  }

  private userPass(t: TableFeatures): string {
    const base = this.base(t.matches);
    return [
      'SELECT',
      indent(['e.user_id,', ...t.users.render((c) => c.sql(base.applied))].join('\n')),
      `FROM ${t.source.relation} AS e`,
      `WHERE ${base.where}`,
      'GROUP BY e.user_id',
    ].join('\n');
  }

  /** A grain's rows: the table's when the user features fold from it, else those its most_frequent reads. */
  private grainBase(t: TableFeatures, g: Grain): ReturnType<EventFeatures['base']> {
    return this.base(g.folds ? new Set([...t.matches, ...g.matches]) : g.matches);
  }

  /** GROUP BY the raw value for most_frequent (it returns it), by its text for distinct lists (SPEC 2 compares text). */
  private grainPass(t: TableFeatures, g: Grain): string {
    const base = this.grainBase(t, g);
    const keys = [...(g.frequent.length ? [[g.value, 'value']] : []), ...(g.folds ? [[this.ctx.dialect.castText(g.value), 'value_text']] : [])];
    return [
      'SELECT',
      indent(['e.user_id,', ...keys.map(([expr, name]) => `${expr} AS ${name},`), ...g.columns.render((c) => c.sql(base.applied))].join('\n')),
      `FROM ${t.source.relation} AS e`,
      `WHERE ${base.where}`,
      `GROUP BY ${['e.user_id', ...keys.map(([expr]) => expr)].join(', ')}`,
    ].join('\n');
  }

  /** The user features from the grain's partials: each (user, value) row counted once, so no DISTINCT. */
  private foldUsers(t: TableFeatures, fold: NonNullable<TableFeatures['fold']>): string {
    const d = this.ctx.dialect;
    const applied = this.grainBase(t, fold.grain).applied;
    const byName = new Map(fold.grain.columns.list.map((c) => [c.name, c]));
    const sql = (c: Column): string => {
      const name = fold.partial.get(c.name)!;
      const p = `g.${name}`;
      switch (c.spec!.kind) {
        case 'count':
        case 'count_values':
          return `CAST(sum(${p}) AS BIGINT)`; // count(*)'s type, not sum's wider one
        case 'min':
        case 'max':
          return `${c.spec!.kind}(${p})`;
        case 'list':
        case 'list_count': {
          // A count(*) partial with no condition of its own is never 0: every grain row counts.
          const always = byName.get(name)!.spec!.cond.every((x) => applied.has(x));
          const text = always ? 'g.value_text' : `CASE WHEN ${p} > 0 THEN g.value_text END`;
          return c.spec!.kind === 'list' ? d.sortedTextList(text) : `count(${text})`;
        }
        default:
          throw new Error(`user feature ${c.spec!.kind} does not fold from a value grain`);
      }
    };
    return [
      'SELECT',
      indent(['g.user_id,', ...t.users.render(sql)].join('\n')),
      `FROM ${d.tempTable(fold.grain.name)} AS g`,
      'GROUP BY g.user_id',
    ].join('\n');
  }

  private foldAccounts(users: string, cols: Columns): string {
    return [
      'SELECT',
      indent(['au.group_id,', ...cols.render((c) => c.sql(new Set()))].join('\n')),
      `FROM ${this.ctx.dialect.tempTable(users)} AS f`,
      `JOIN ${this.accountUsersRelation()} AS au ON au.user_id = f.user_id`,
      'GROUP BY au.group_id',
    ].join('\n');
  }

  private accountPass(t: TableFeatures): string {
    const base = this.base(t.matches);
    return [
      'SELECT',
      indent(['au.group_id,', ...t.joined.render((c) => c.sql(base.applied))].join('\n')),
      `FROM ${t.source.relation} AS e`,
      `JOIN ${this.accountUsersRelation()} AS au ON au.user_id = e.user_id`,
      `WHERE ${base.where}`,
      'GROUP BY au.group_id',
    ].join('\n');
  }

  private accountUsersRelation(): string {
    return this.ctx.dialect.tempTable(this.accountUsers());
  }
}
