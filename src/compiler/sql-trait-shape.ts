import type { SqlTrait } from '../definitions/definition.js';
import { isAssociating } from '../definitions/sql-trait-roles.js';
import { ID_COLUMN, presentId } from './context.js';
import { storedValue, type Dialect } from './dialect.js';

export interface ShapeQueries {
  /** Rows with a null id: must be 0. */
  readonly nullIds: string;
  /**
   * Whether any id is on more than one row (n: 1, else 0). Most user SQL traits return one row per
   * id: then no id can have conflicting values, and no row repeats another, so the two DISTINCTs
   * over whole rows (conflicts, normalised), a costly hash of every value, are not needed.
   */
  readonly repeatedIds: string;
  /** Up to 3 ids with more than one distinct set of values. */
  readonly conflicts: string;
  /** Up to 3 ids (id) with a number or timestamp no message can carry (Infinity, NaN), and its column (column); none without such columns. */
  readonly nonFinite?: string;
  /** The stored form: distinct rows, doubles rounded to 12 significant digits. */
  readonly normalised: string;
  /** The stored form of rows known distinct (no repeated id): normalised without its DISTINCT. */
  readonly normalisedDistinctRows: string;
  /**
   * Per number column, its smallest value (as text) of 13 digits or more that its 12-digit rounding changes:
   * an id returned as a number (12345678901234) would be stored and sent as 12345678901200.
   */
  readonly roundedNumbers: readonly { readonly column: string; readonly sql: string }[];
}

/**
 * A SQL-trait row that holds a value: not all of its trait columns are null. A row of nulls is an
 * empty value (not emitted, not in {{state}}), though its ids still count (SPEC 3).
 */
export function hasTraitValue(d: Dialect, traits: readonly string[], alias?: string): string {
  return `NOT (${traits.map((c) => `${alias ? `${alias}.` : ''}${d.quoteIdent(c)} IS NULL`).join(' AND ')})`;
}

/**
 * Checks a SQL trait's raw result against SPEC 2: the id column, exactly the declared trait
 * columns (plus user_id for an account trait), scalar values. Returns problems, or the queries
 * that finish the check in the warehouse.
 */
export function sqlTraitShape(
  d: Dialect, t: SqlTrait, raw: string, returned: readonly { name: string; type: string }[],
): { problems: string[]; queries?: ShapeQueries } {
  const id = ID_COLUMN[t.entity];
  // Where names match whatever their case, `1 AS Score` is the declared score: the queries below
  // name it so, and the stored result takes the declared name.
  const declared = [id, 'user_id', ...t.traits];
  const columns = d.namesIgnoreCase
    ? returned.map((c) => ({ ...c, name: declared.find((x) => x.toLowerCase() === c.name.toLowerCase()) ?? c.name }))
    : returned;
  const names = columns.map((c) => c.name);
  const problems: string[] = [];
  if (!names.includes(id)) problems.push(`the query returns no ${id} column (it returned ${names.join(', ') || 'no columns'})`);
  const hasUserId = t.entity === 'account' && names.includes('user_id');
  // The graph ordered it as not associating (read from its text): its associations would be missed.
  if (hasUserId && !isAssociating(t)) problems.push('the query returns user_id, but its SQL text does not show it (the SELECT list names no user_id): name user_id in its SELECT list, so roster runs it before the definitions that use the users of accounts');
  const expected = new Set([id, ...(hasUserId ? ['user_id'] : []), ...t.traits]);
  const missing = t.traits.filter((c) => !names.includes(c));
  // group_id cannot be a trait column: it is what an account-level trait is keyed by.
  const accountId = t.entity === 'user' && names.includes('group_id');
  if (accountId) problems.push('the query returns group_id, which a user-level SQL trait does not (one keyed by group_id is entity: account)');
  const extra = names.filter((c) => !expected.has(c) && !(accountId && c === 'group_id'));
  // Without traits:, a SQL trait returns one column named as its key (SPEC 2): say so, as nothing was declared.
  const byDefault = t.traits.length === 1 && t.traits[0] === t.key;
  if (missing.length && byDefault) {
    problems.push(`trait column ${t.key} missing from the result (traits: is [${t.key}] when not given)`
      + `${extra.length ? `; to keep the columns it returns, declare them: traits: [${extra.join(', ')}]` : ''}`);
  } else if (missing.length) problems.push(`trait column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing from the result (declared in traits:)`);
  // A column selected twice may come back renamed (score_1): say so rather than only name score_1.
  const twice = extra.map((c) => d.repeatedColumnOf(c)).filter((c): c is string => c !== undefined && names.includes(c));
  if (extra.length && !(missing.length && byDefault)) {
    problems.push(`unexpected column${extra.length > 1 ? 's' : ''} ${extra.join(', ')} (declare trait columns in traits:`
      + `${twice.length ? `; is ${[...new Set(twice)].join(', ')} selected twice? the engine named the second one so` : ''})`);
  }
  for (const c of columns) {
    if (!d.isScalarType(c.type) || d.hasEngineText(c.type)) problems.push(`column ${c.name} has type ${c.type}; trait values must be scalar (string, number, boolean, timestamp)`);
  }
  if (problems.length) return { problems };

  const q = (c: string) => d.quoteIdent(c);
  const traitList = t.traits.map(q).join(', ');
  const typeOf = new Map(columns.map((c) => [c.name, c.type]));
  // SPEC 3 computes numbers as doubles: an exact decimal becomes one before its 12-digit rounding
  // (DuckDB cannot round a DECIMAL to a computed number of places).
  // A wide integer keeps its type, rounded alike (1234567890123 is stored and sent as 1234567890120).
  const stored = t.traits.map((c) => `${storedValue(d, q(c), typeOf.get(c) ?? '')} AS ${q(c)}`).join(', ');
  // Ids are text, as in the source tables they are joined and compared with: a query may return
  // them as numbers (SELECT 7 AS user_id). A whole double is written as an integer ('7', as
  // Postgres writes it, where DuckDB writes '7.0').
  const asText = (c: string) => {
    const type = typeOf.get(c) ?? '';
    if (d.isTextType(type)) return `${q(c)} AS ${q(c)}`; // the declared name, whatever case it was returned in
    const text = d.isFractionalType(type) && !d.isExactDecimalType(type)
      ? `CASE WHEN ${q(c)} = trunc(${q(c)}) AND abs(${q(c)}) < 1e15 THEN CAST(CAST(${q(c)} AS BIGINT) AS VARCHAR) ELSE CAST(${q(c)} AS VARCHAR) END`
      : `CAST(${q(c)} AS VARCHAR)`;
    return `${text} AS ${q(c)}`;
  };
  // An associating trait always stores a user_id column, so account_users can read it.
  const userId = hasUserId ? [asText('user_id')] : isAssociating(t) ? ['CAST(NULL AS VARCHAR) AS user_id'] : [];
  const idCols = [asText(id), ...userId].join(', ');
  // jsonValueText is NULL for a number or timestamp JSON cannot hold (Infinity, NaN), and the
  // stored value for a number beyond a double's range (1e400): such a value would be stored, or
  // not, yet sent as null.
  const mayBeInfinite = t.traits.filter((c) => ['number', 'instant'].includes(d.typeKind(typeOf.get(c) ?? '')));
  const unsendableIn = mayBeInfinite.map((c) => {
    const type = typeOf.get(c)!;
    return [c, `(${q(c)} IS NOT NULL AND (${storedValue(d, q(c), type)} IS NULL OR ${d.jsonValueText(q(c), type)} IS NULL))`] as const;
  });
  const unsendable = unsendableIn.map(([, cond]) => cond).join(' OR ');
  const unsendableColumn = `CASE ${unsendableIn.map(([c, cond]) => `WHEN ${cond} THEN ${d.stringLiteral(c)}`).join(' ')} END`;
  // 10^12 written 1e12, a double on DuckDB: it casts an integer literal to the column's own type,
  // and 10^12 does not fit a DECIMAL(38,26) (which holds no such value anyway).
  const roundedNumbers = t.traits.filter((c) => d.typeKind(typeOf.get(c) ?? '') === 'number').map((c) => ({
    column: c,
    sql: `SELECT CAST(${q(c)} AS VARCHAR) AS value FROM ${raw} WHERE (${q(c)} >= 1e12 OR ${q(c)} <= -1e12) AND ${storedValue(d, q(c), typeOf.get(c)!)} <> ${q(c)} ORDER BY ${q(c)} LIMIT 1`,
  }));
  return {
    problems: [],
    queries: {
      roundedNumbers,
      ...(mayBeInfinite.length ? { nonFinite: `SELECT ${q(id)} AS id, min(${unsendableColumn}) AS ${q('column')} FROM ${raw} WHERE ${unsendable} GROUP BY ${q(id)} ORDER BY 1 LIMIT 3` } : {}),
      nullIds: `SELECT count(*) AS n FROM ${raw} WHERE ${q(id)} IS NULL OR NOT ${presentId(q(id))}`,
      // A count of 0 or 1, not EXISTS: Snowflake takes EXISTS in a WHERE clause only.
      repeatedIds: `SELECT count(*) AS n FROM (SELECT 1 AS x FROM ${raw} GROUP BY ${q(id)} HAVING count(*) > 1 LIMIT 1) AS r`,
      conflicts: `SELECT ${q(id)} AS id FROM (SELECT DISTINCT ${q(id)}, ${traitList} FROM ${raw}) AS d GROUP BY ${q(id)} HAVING count(*) > 1 ORDER BY 1 LIMIT 3`,
      normalised: `SELECT DISTINCT ${idCols}, ${stored} FROM ${raw}`,
      normalisedDistinctRows: `SELECT ${idCols}, ${stored} FROM ${raw}`,
    },
  };
}
