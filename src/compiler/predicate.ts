import { round12 } from '../support/round12.js';
import type { Scalar } from '../definitions/common.js';
import type { Predicate } from '../definitions/predicate.js';
import type { Dialect } from './dialect.js';

/**
 * What is known of a value's type: computed counts are integers, aggregates doubles, unique_list
 * is a list of text; `computed`: a SQL trait's column, of a type known only at run time, whose
 * numbers are stored rounded to 12 digits; everything else (custom traits, properties,
 * first/last) is unknown until run time.
 */
export type ValueType = 'count' | 'number' | 'list' | 'computed' | 'unknown';

const COMPARE: Record<string, string> = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' };

/**
 * A literal as a unique_list element: a number as a list holds it, rounded to 12 significant digits
 * and written as JSON writes it (SPEC 3), so `contains: 0.1234567890125` finds 0.123456789013.
 */
export function listElement(value: Scalar): string {
  return typeof value === 'number' ? String(round12(value)) : String(value);
}

/** Sorted by code point, without repeats: the order unique_list values are stored in. */
export function canonicalList(values: readonly Scalar[]): string[] {
  // By code point, as the stored list is sorted (COLLATE "C"): UTF-8 bytes compare so, where
  // JavaScript's < compares UTF-16 units and puts 😀 (U+1F600) before ～ (U+FF5E).
  return [...new Set(values.map(listElement))].sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
}

/**
 * Why a string literal ordering numbers is likely a slip, or undefined: SPEC 2 compares it as
 * text, where '10' is before '9'. `holder`: what holds the numbers ("column main.orders.total").
 */
export function textOrderOnNumbers(d: Dialect, p: Predicate, type: string | undefined, holder: string): string | undefined {
  if (type === undefined || d.typeKind(type) !== 'number') return undefined;
  if (!(p.op === 'gt' || p.op === 'gte' || p.op === 'lt' || p.op === 'lte') || typeof p.value !== 'string') return undefined;
  const number = p.value.trim() !== '' && Number.isFinite(Number(p.value));
  return `${p.op} ${JSON.stringify(p.value)} compares text ("10" is before "9"), but ${holder} holds numbers (${type.trim().toUpperCase()})`
    + (number ? `; write ${p.value.trim()} without quotes to compare numbers` : '');
}

/**
 * A predicate as a two-valued SQL boolean (SPEC 2): a leaf on a missing value is false, never NULL,
 * so `not` can negate it. The literal's type decides how the value is compared. `text`: the
 * value's text as it is sent, where castText's differs between engines (a double: '10', not
 * DuckDB's '10.0'; a JSON number: '1000' for 1e3), which strings and text ops compare with.
 */
export function predicateSql(d: Dialect, value: string, type: ValueType, p: Predicate, asOf: string, text?: string): string {
  const never = (cond: string) => `COALESCE(${cond}, FALSE)`;
  // A computed number (an aggregation; first / last / most_frequent of a fractional or wide integer
  // property) is stored rounded to 12 digits (SPEC 3): a number literal is compared as it would be
  // stored, so `eq 123456789012.5` holds for the average sent as 123456789013.
  // A SQL trait's column may hold a number as text, stored as it is: where a literal has more than
  // 12 digits, the value read as a number is rounded too, as a number column of it was stored.
  const literals: readonly unknown[] = !('value' in p) ? [] : Array.isArray(p.value) ? p.value : [p.value];
  const roundsValue = type === 'computed' && literals.some((v) => typeof v === 'number' && round12(v) !== v);
  const literal = (v: Scalar) =>
    typeof v === 'number' ? d.numberLiteral(type === 'number' || type === 'computed' ? round12(v) : v) : typeof v === 'boolean' ? d.booleanLiteral(v) : d.stringLiteral(v);
  // The value as the literal's type: numbers cast (uncastable -> NULL -> false), strings as text:
  // a computed double as the text it is sent as ('10' for 10.0 on every engine; a count's own is).
  // castText also sorts and compares it by code point (COLLATE "C" on Postgres), whatever the text.
  const asText = d.castText(text ?? (type === 'number' ? d.numberAsText(value) : value));
  const as = (v: Scalar) =>
    typeof v === 'number' ? (type === 'number' || type === 'count' ? value : roundsValue ? d.round12(d.tryCastDouble(value)) : d.tryCastDouble(value))
      : typeof v === 'boolean' ? d.tryCastBoolean(value)
        : asText;

  switch (p.op) {
    case 'exists':
      return `(${value} IS NOT NULL)`;
    case 'not_exists':
      return `(${value} IS NULL)`;
    case 'eq':
    case 'neq':
      if (Array.isArray(p.value)) {
        if (type === 'list') return never(`${value} ${COMPARE[p.op]} ${d.textListLiteral(canonicalList(p.value))}`);
        // A scalar (a custom trait, a SQL trait column) never equals a list; neq needs a value, as everywhere.
        return p.op === 'eq' ? 'FALSE' : `(${value} IS NOT NULL)`;
      }
      if (type === 'list') return never(`${value} ${COMPARE[p.op]} ${d.textListLiteral(canonicalList([p.value as Scalar]))}`);
      return never(`${as(p.value as Scalar)} ${COMPARE[p.op]} ${literal(p.value as Scalar)}`);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return never(`${as(p.value as Scalar)} ${COMPARE[p.op]} ${literal(p.value as Scalar)}`);
    case 'in':
    case 'not_in': {
      const list = p.value.map(literal).join(', ');
      return never(`${as(p.value[0])} ${p.op === 'in' ? 'IN' : 'NOT IN'} (${list})`);
    }
    case 'contains':
    case 'not_contains': {
      const holds = type === 'list'
        ? d.listContains(value, d.stringLiteral(listElement(p.value as Scalar)))
        : d.textContains(asText, d.stringLiteral(String(p.value)));
      return never(p.op === 'contains' ? holds : `NOT ${holds}`);
    }
    case 'starts_with':
      return never(d.textStartsWith(asText, d.stringLiteral(String(p.value))));
    case 'ends_with':
      return never(d.textEndsWith(asText, d.stringLiteral(String(p.value))));
    // An instant is held to the millisecond, as it is sent and as text ops read it: a value at
    // 12:00:00.0005 is eq "12:00:00.000Z", so it is not after it.
    case 'before':
    case 'after':
      return never(`${d.millisecondTimestamp(d.tryCastInstant(value))} ${p.op === 'before' ? '<' : '>'} ${d.timestampLiteral(p.value)}`);
    case 'within_last': {
      const t = d.millisecondTimestamp(d.tryCastInstant(value));
      return never(`(${t} > ${d.timestampMinus(asOf, p.value)} AND ${t} <= ${asOf})`);
    }
    default: {
      const _exhaustive: never = p;
      throw new Error(`unknown op ${JSON.stringify(_exhaustive)}`);
    }
  }
}
