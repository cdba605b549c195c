import type { ComputedTrait } from '../definitions/definition.js';
import { ID_COLUMN, type CompileContext } from './context.js';
import type { Dialect } from './dialect.js';
import { QueryParts } from './query.js';
import { accountUsers, eventRows, propertyColumnType, type EventSelection } from './sources.js';
import { segmentSlug } from './names.js';

/** The events a computed trait reads: the same selection for the standalone query and the run plan. */
export function traitEventSelection(t: ComputedTrait): EventSelection {
  return {
    names: t.events, where: t.where, window: t.window, property: t.property,
    withGroupContext: t.entity === 'account' && t.scope === 'group_context',
    sendsProperty: JSON_VALUED.has(t.type),
    listText: t.type === 'unique_list' || t.type === 'unique_list_count',
    readsNumber: t.type === 'aggregation',
  };
}

/** Traits whose value is the property itself: in events_json it keeps its JSON type (SPEC 3). */
const JSON_VALUED = new Set<ComputedTrait['type']>(['first', 'last', 'most_frequent']);

/** Whether the trait's stored value is JSON (conditions compare its scalar text). */
export function sendsJsonValue(ctx: CompileContext, t: ComputedTrait): boolean {
  return ctx.source.layout === 'events_json' && JSON_VALUED.has(t.type);
}

/**
 * A most_frequent trait from counts per (entity, value): rows (<id column>, value, <count>). Not
 * mode(): SPEC 2 needs count >= min_frequency and ties to the lowest value by code point.
 * `nullable`: the rows include the null value, left out here.
 */
export function mostFrequentFromCounts(
  ctx: CompileContext, t: ComputedTrait, q: QueryParts, counts: { relation: string; count: string; nullable?: boolean },
): string {
  const d = ctx.dialect;
  const idColumn = ID_COLUMN[t.entity];
  // Ties go to the lowest value's text as it is sent ('1e+23' before '2.5'), which castText of a
  // double or a JSON number is not on every engine.
  const json = sendsJsonValue(ctx, t);
  const fractional = !json && t.property !== undefined && d.isFractionalType(propertyColumnType(ctx, t.events, segmentSlug(t.property)) ?? '');
  const text = json ? d.jsonListText('value') : fractional ? d.numberAsText('value') : 'value';
  // JSON: 5 and "5" are two values with one text, the number first; an object or array has no
  // text the same on every engine, and is not counted.
  const order = [`${counts.count} DESC`, d.textSortKey(d.castText(text)), ...(json ? [`CASE WHEN ${d.jsonIsString('value')} THEN 1 ELSE 0 END`] : [])];
  const ranked = q.cte('ranked', 'ranked_values', () =>
    [
      `SELECT ${idColumn}, value,`,
      `  row_number() OVER (PARTITION BY ${idColumn} ORDER BY ${order.join(', ')}) AS rank`,
      `FROM ${counts.relation}`,
      `WHERE ${counts.nullable ? 'value IS NOT NULL AND ' : ''}${json ? `${text} IS NOT NULL AND ` : ''}${counts.count} >= ${d.numberLiteral(t.min_frequency ?? 2)}`,
    ].join('\n'));
  return q.render(`SELECT ${idColumn}, value AS ${d.quoteIdent(t.key)}\nFROM ${ranked}\nWHERE rank = 1`);
}

/**
 * A computed trait (SPEC 2): one row per entity with a non-empty value, columns
 * (<user_id|group_id>, <key>). Account-level traits see the events of all the account's users.
 */
export function compileComputedTrait(ctx: CompileContext, t: ComputedTrait): string {
  const d = ctx.dialect;
  const q = new QueryParts();
  const groupContext = t.entity === 'account' && t.scope === 'group_context';
  const events = q.cte('events', 'matching_events', () => eventRows(ctx, traitEventSelection(t)));
  let from = `${events} AS e`;
  let id = 'e.user_id';
  if (t.entity === 'account') {
    const users = ctx.options.shared?.accountUsers ?? q.cte('account_users', 'account_users', () => accountUsers(ctx));
    from += `\nJOIN ${users} AS au ON au.user_id = e.user_id${groupContext ? ' AND e.context_group_id = au.group_id' : ''}`;
    id = 'au.group_id';
  }
  const idColumn = ID_COLUMN[t.entity];
  const key = d.quoteIdent(t.key);
  const perEntity = (value: string, extra = '') =>
    `SELECT ${id} AS ${idColumn}, ${value} AS value\nFROM ${from}${extra}\nGROUP BY ${id}`;

  switch (t.type) {
    case 'event_counter':
      return q.render(`SELECT ${id} AS ${idColumn}, count(*) AS ${key}\nFROM ${from}\nGROUP BY ${id}`);
    case 'aggregation': {
      const value = d.tryCastDouble('e.value');
      const values = q.cte('values', 'entity_values', () => perEntity(t.function === 'avg' ? average(`sum(${value})`, `count(${value})`) : `${t.function}(${value})`));
      return q.render(`SELECT ${idColumn}, ${d.round12('value')} AS ${key}\nFROM ${values}\nWHERE ${aggregateKept(d, t.function!, 'value')}`);
    }
    case 'first':
    case 'last': {
      const desc = t.type === 'last';
      const values = q.cte('values', 'entity_values', () =>
        perEntity(d.firstValue('e.value', [{ expr: ctx.timestamp('e'), desc }, { expr: d.idSortKey('e.id'), desc }])));
      return q.render(`SELECT ${idColumn}, value AS ${key}\nFROM ${values}\nWHERE value IS NOT NULL`);
    }
    case 'unique_list': {
      const values = q.cte('values', 'entity_values', () => perEntity(d.distinctSortedTextList('e.value')));
      return q.render(`SELECT ${idColumn}, value AS ${key}\nFROM ${values}\nWHERE value IS NOT NULL`);
    }
    case 'unique_list_count': {
      const values = q.cte('values', 'entity_values', () => perEntity(`count(DISTINCT ${d.castText('e.value')})`));
      return q.render(`SELECT ${idColumn}, value AS ${key}\nFROM ${values}\nWHERE value > 0`);
    }
    case 'most_frequent': {
      const counts = q.cte('counts', 'value_counts', () =>
        `SELECT ${id} AS ${idColumn}, e.value, count(*) AS n\nFROM ${from}\nWHERE e.value IS NOT NULL\nGROUP BY ${id}, e.value`);
      return mostFrequentFromCounts(ctx, t, q, { relation: counts, count: 'n' });
    }
    default: {
      const _exhaustive: never = t.type;
      throw new Error(`unknown computed trait type ${_exhaustive}`);
    }
  }
}

/**
 * An average as sum / count: Postgres's avg(double precision) also sums the squares, which
 * overflows past about 1e154 where the average itself does not (SPEC 3: the same on every engine).
 */
export function average(sum: string, count: string): string {
  return `${sum} / NULLIF(${count}, 0)`;
}

/** Which rows of an aggregation are kept: those with a value. A sum or an average that overflowed fails the trait on every engine. */
export function aggregateKept(d: Dialect, fn: NonNullable<ComputedTrait['function']>, value: string): string {
  const guard = fn === 'sum' || fn === 'avg' ? d.overflowGuard(value) : undefined;
  return [`${value} IS NOT NULL`, ...(guard ? [guard] : [])].join(' AND ');
}
