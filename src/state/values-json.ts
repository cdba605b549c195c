import type { Dialect } from '../compiler/dialect.js';
import type { ComputedTrait } from '../definitions/definition.js';

export interface Column { readonly name: string; readonly type: string }

/**
 * `{"<name>": <value>, ...}` as JSON text built in SQL from columns of `alias`; names are
 * JSON-encoded here and reach the SQL only as string literals.
 */
export function jsonObjectSql(d: Dialect, alias: string, columns: readonly Column[]): string {
  if (columns.length === 0) return d.stringLiteral('{}');
  const parts: string[] = [];
  columns.forEach((c, i) => {
    parts.push(d.stringLiteral(`${i === 0 ? '{' : ','}${JSON.stringify(c.name)}:`));
    parts.push(`coalesce(${d.jsonValueText(`${alias}.${d.quoteIdent(c.name)}`, c.type)}, 'null')`);
  });
  parts.push(d.stringLiteral('}'));
  return parts.join(' || ');
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
