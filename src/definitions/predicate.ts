import { z } from 'zod';
import { instantOutOfReach, parseDuration, parseInstant, Scalar, type Duration } from './common.js';
import { describe, didYouMean, quoted, unknownFieldsMessage } from './suggest.js';

export const OPS = [
  'eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'contains', 'not_contains',
  'starts_with', 'ends_with', 'exists', 'not_exists', 'before', 'after', 'within_last',
] as const;
export type Op = (typeof OPS)[number];

/**
 * A comparison of one value (trait, event property) with a literal. The literal's type decides
 * how the value is compared (SPEC 2: numbers cast, strings as text, instants parsed).
 */
export type Predicate =
  | { readonly op: 'exists' | 'not_exists' }
  | { readonly op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte'; readonly value: Scalar | readonly Scalar[] }
  | { readonly op: 'contains' | 'not_contains' | 'starts_with' | 'ends_with'; readonly value: Scalar }
  | { readonly op: 'in' | 'not_in'; readonly value: readonly Scalar[] }
  | { readonly op: 'before' | 'after'; readonly value: Date }
  | { readonly op: 'within_last'; readonly value: Duration };

const opNames = OPS.join(', ');
/** Operators of SQL and other tools, some spelled close to another op (is ~ in, ne ~ eq). */
const OP_MEANINGS: Readonly<Record<string, string>> = {
  'is': 'eq', '=': 'eq', '==': 'eq', 'equals': 'eq', 'ne': 'neq', '!=': 'neq', '<>': 'neq', 'is_not': 'neq', 'not_equals': 'neq',
  '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte', 'like': 'contains', 'includes': 'contains', 'startswith': 'starts_with', 'endswith': 'ends_with',
  'is_null': 'not_exists', 'is_not_null': 'exists', 'not_null': 'exists', 'in_last': 'within_last',
};

/** Validates {op, value} of a predicate; `raw` is the YAML object holding them. */
export function parsePredicate(raw: { op?: unknown; value?: unknown }, ctx: z.RefinementCtx): Predicate | typeof z.NEVER {
  const { op, value } = raw;
  const fail = (message: string, path: (string | number)[] = ['value']) => {
    ctx.addIssue({ code: 'custom', message, path });
    return z.NEVER;
  };
  if (op === undefined) return fail(`missing required field "op" (one of ${opNames})`, ['op']);
  if (typeof op !== 'string' || !(OPS as readonly string[]).includes(op)) {
    const hint = typeof op === 'string' ? didYouMean(op, OPS, OP_MEANINGS) : '';
    return fail(`unknown op ${JSON.stringify(op)}${hint || `; expected one of ${opNames}`}`, ['op']);
  }
  const o = op as Op;
  switch (o) {
    case 'exists':
    case 'not_exists':
      if (value !== undefined) return fail(`${op} takes no value`);
      return { op: o };
    case 'eq':
    case 'neq': {
      if (Array.isArray(value)) {
        if (!value.every((v) => Scalar.safeParse(v).success)) return fail(`${op} with a list compares whole lists: its items must be strings, numbers or booleans`);
        return { op: o, value };
      }
      if (!Scalar.safeParse(value).success) return fail(`${op} needs a value: a string, number or boolean${value === undefined ? '' : `, got ${describe(value)}`}`);
      return { op: o, value: value as Scalar };
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
    case 'contains':
    case 'not_contains':
    case 'starts_with':
    case 'ends_with':
      if (!Scalar.safeParse(value).success) return fail(`${op} needs a value: a string, number or boolean${value === undefined ? '' : `, got ${describe(value)}`}`);
      if ((op === 'starts_with' || op === 'ends_with') && typeof value !== 'string') return fail(`${op} needs a string value`);
      return { op: o, value: value as Scalar };
    case 'in':
    case 'not_in': {
      if (!Array.isArray(value) || value.length === 0) return fail(`${op} needs a non-empty list of values`);
      if (!value.every((v) => Scalar.safeParse(v).success)) return fail(`${op} takes strings, numbers or booleans, without null`);
      const types = new Set(value.map((v) => typeof v));
      if (types.size > 1) return fail(`${op} needs values of one type, got ${[...types].join(' and ')}`);
      return { op: o, value: value as Scalar[] };
    }
    case 'before':
    case 'after': {
      const d = typeof value === 'string' ? parseInstant(value) : value instanceof Date ? value : undefined;
      if (!d) return fail(`${op} needs a value: an ISO-8601 date or date-time${value === undefined ? '' : `, got ${shown(value)}`}`);
      const reach = instantOutOfReach(typeof value === 'string' ? value : d.toISOString(), d);
      if (reach) return fail(`${op}: ${quoted(typeof value === 'string' ? value : d.toISOString())} ${reach}`);
      return { op: o, value: d };
    }
    case 'within_last': {
      const d = typeof value === 'string' ? parseDuration(value) : undefined;
      if (typeof d === 'object') return { op: o, value: d };
      return fail(d === undefined ? `within_last needs a value: a duration like "30 days"${value === undefined ? '' : `, got ${shown(value)}`}` : `within_last: ${d}`);
    }
  }
}

/** An event-property filter: `{ property, op, value }`. */
export interface PropertyFilter { readonly property: string; readonly predicate: Predicate }

/** Why `eq` / `neq` with a list cannot hold for `subject` ("x is a property"): one value, which no list equals. */
export function listAgainstOneValue(subject: string, op: 'eq' | 'neq'): string {
  return `${subject}, one value: ${op} cannot compare it with a list (use ${op === 'eq' ? 'in' : 'not_in'})`;
}

export const PropertyFilter = z
  .looseObject({ property: z.string().min(1) })
  .transform((raw, ctx): PropertyFilter => {
    const extra = Object.keys(raw).filter((k) => !['property', 'op', 'value'].includes(k));
    if (extra.length) ctx.addIssue({ code: 'unrecognized_keys', keys: extra, message: unknownFieldsMessage(extra, ['property', 'op', 'value']) });
    const predicate = parsePredicate(raw as { op?: unknown; value?: unknown }, ctx);
    // Only a unique_list trait is a list; a property is one value, which no list equals.
    if (predicate !== z.NEVER && (predicate.op === 'eq' || predicate.op === 'neq') && Array.isArray(predicate.value)) {
      ctx.addIssue({ code: 'custom', message: listAgainstOneValue(`${raw.property} is a property`, predicate.op), path: ['value'] });
    }
    return { property: raw.property, predicate: predicate as Predicate };
  });

/** The value an entity without a row in a value's relation has: null, a count's 0, unique_list's []. */
export type MissingValue = 'null' | 'zero' | 'empty_list';

/**
 * Whether `p` holds for an entity that has no row where its value comes from, worked out as
 * the compiled comparison evaluates it (SPEC 2: a leaf on a missing value is false, bar
 * not_exists); undefined when that depends on more than this knows. An audience
 * whose condition cannot hold for such entities needs only the entities of that relation.
 */
export function holdsWhenMissing(p: Predicate, missing: MissingValue): boolean | undefined {
  if (p.op === 'exists') return missing !== 'null';
  if (p.op === 'not_exists') return missing === 'null';
  if (missing === 'null') return false; // every other comparison with NULL is false (never())
  const v = 'value' in p ? p.value : undefined;
  if (missing === 'empty_list') {
    if (p.op === 'contains') return false;
    if (p.op === 'eq') return Array.isArray(v) ? v.length === 0 : false;
    return undefined;
  }
  // A count: 0.
  if (Array.isArray(v) && (p.op === 'eq' || p.op === 'neq')) return p.op === 'neq'; // no number equals a list
  const numbers = Array.isArray(v) ? v : [v];
  if (!numbers.every((x): x is number => typeof x === 'number')) return undefined;
  switch (p.op) {
    case 'eq': return numbers[0] === 0;
    case 'neq': return numbers[0] !== 0;
    case 'gt': return 0 > numbers[0];
    case 'gte': return 0 >= numbers[0];
    case 'lt': return 0 < numbers[0];
    case 'lte': return 0 <= numbers[0];
    case 'in': return numbers.includes(0);
    case 'not_in': return !numbers.includes(0);
    default: return undefined;
  }
}

/** A value a leaf got, for a message: a text quoted short, anything else as JSON. */
function shown(value: unknown): string {
  return typeof value === 'string' ? quoted(value) : JSON.stringify(value);
}
