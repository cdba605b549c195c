import type { Dialect } from '../compiler/dialect.js';
import type { ComputedTrait } from '../definitions/definition.js';

export interface Column { readonly name: string; readonly type: string }

/**
 * `{"<name>": <value>, ...}` as JSON text built in SQL from columns of `alias`; names are
 * JSON-encoded here and reach the SQL only as string literals.
 */
export function jsonObjectSql(
  d: Dialect, alias: string, columns: readonly Column[],
  valueText: (expr: string, c: Column) => string = (expr, c) => d.jsonValueText(expr, c.type),
): string {
  if (columns.length === 0) return d.stringLiteral('{}');
  const parts: string[] = [];
  columns.forEach((c, i) => {
    parts.push(d.stringLiteral(`${i === 0 ? '{' : ','}${JSON.stringify(c.name)}:`));
    parts.push(`coalesce(${valueText(`${alias}.${d.quoteIdent(c.name)}`, c)}, 'null')`);
  });
  parts.push(d.stringLiteral('}'));
  return parts.join(' || ');
}

/**
 * A column's value as the JSON text it is sent as, every number written as it is sent
 * (numberAsText), null for null: equal for values that send the same message whatever their
 * columns' types, where DuckDB writes a DOUBLE 2 as 2.0 and an INTEGER 2 as 2. For comparing rows
 * across an edit that changed their columns, not for sending.
 */
export function sentValueText(d: Dialect, expr: string, c: Column): string {
  if (d.typeKind(c.type) === 'number') return d.numberAsText(d.tryCastDouble(expr));
  // An events_json first / last keeps the JSON type: its numbers are sent as the others are.
  if (d.isJsonType(c.type)) return d.jsonSentText(expr);
  return d.jsonValueText(expr, c.type);
}

/** The JSON text of an empty value (SPEC 2): 0 for counts, [] for unique_list, null otherwise. */
export function emptyValuesJson(names: readonly string[], traitType?: ComputedTrait['type']): string {
  const empty = traitType === 'event_counter' || traitType === 'unique_list_count' ? 0 : traitType === 'unique_list' ? [] : null;
  return JSON.stringify(Object.fromEntries(names.map((n) => [n, empty])));
}

/** An audience membership change as values: `{"<key>": true|false}`. */
export function membershipJson(key: string, member: boolean): string {
  return JSON.stringify({ [key]: member });
}
