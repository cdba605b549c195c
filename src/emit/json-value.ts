import type { JsonValue } from './change.js';

/**
 * Converts a warehouse value to the JSON that is sent: bigint -> number (string when
 * beyond 2^53), Date -> ISO-8601 UTC with ms and Z, NaN/Infinity/undefined -> null,
 * -0 -> 0. A nested object's keys are sorted (a record's own, its traits, keep their order). Throws
 * on values JSON cannot represent.
 */
export function toJsonValue(value: unknown, path = 'value'): JsonValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) return null;
      return Object.is(value, -0) ? 0 : value;
    case 'bigint':
      // Number(big) would silently change an id beyond 2^53: send it as text instead.
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
    case 'object':
      return objectToJson(value, path);
    default:
      throw new TypeError(`${path}: a ${typeof value} cannot be sent as JSON`);
  }
}

function objectToJson(value: object, path: string): JsonValue {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((v, i) => toJsonValue(v, `${path}[${i}]`));
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return toJsonValue(toJSON.call(value), path);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(`${path}: a ${proto?.constructor?.name ?? 'object'} cannot be sent as JSON`);
  }
  // A nested object (a JSON property's value) with its keys sorted: DuckDB keeps them as written and
  // Postgres's jsonb in its own order, and SPEC 3 sends the same on every engine.
  const record = value as Record<string, unknown>;
  return toJsonRecord(Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k]])), path);
}

/** `toJsonValue` over each entry of a record, keeping key order. */
export function toJsonRecord(values: Readonly<Record<string, unknown>>, path = 'values'): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const k of Object.keys(values)) {
    const v = values[k];
    // The path only shows in errors and nested values: scalars (nearly every value) skip building it.
    out[k] = isScalar(v) ? toJsonValue(v) : toJsonValue(v, `${path}.${k}`);
  }
  return out;
}

function isScalar(value: unknown): boolean {
  const type = typeof value;
  return value === null || type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint' || type === 'undefined';
}

/** JSON with object keys sorted by code point at every level: equal values give equal text. */
export function canonicalJson(value: JsonValue): string {
  switch (typeof value) {
    case 'string':
      return jsonString(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null'; // as JSON.stringify writes numbers
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? canonicalArray(value) : canonicalRecord(value as { readonly [k: string]: JsonValue });
    default:
      return JSON.stringify(value); // not a JsonValue: whatever JSON.stringify makes of it
  }
}

// Built with loops and `+=` rather than map/join: messageId canonicalises every message.
function canonicalArray(value: readonly JsonValue[]): string {
  let out = '[';
  for (let i = 0; i < value.length; i++) {
    if (i > 0) out += ',';
    // A hole or undefined renders as nothing, as Array.prototype.join does.
    out += canonicalJson(value[i]) ?? '';
  }
  return out + ']';
}

function canonicalRecord(record: { readonly [k: string]: JsonValue }): string {
  const keys = Object.keys(record);
  if (!isSorted(keys)) keys.sort(byCodeUnit);
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += ',';
    out += `${jsonString(keys[i])}:${canonicalJson(record[keys[i]])}`;
  }
  return out + '}';
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// Records from one query share a key order, mostly sorted already: a check is cheaper than a sort.
function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return false;
  return true;
}

// What JSON.stringify escapes: quote, backslash, control characters, and (well-formed) lone surrogates.
const needsEscape = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify(text)`, without its cost for the common text that needs no escape. */
export function jsonString(text: string): string {
  return needsEscape.test(text) ? JSON.stringify(text) : `"${text}"`;
}
