import type { JsonValue } from './change.js';

/**
 * Converts a warehouse value to the JSON that is sent: bigint -> number (string when
 * beyond 2^53), Date -> ISO-8601 UTC with ms and Z, NaN/Infinity/undefined -> null,
 * -0 -> 0. Objects keep their key order. Throws on values JSON cannot represent.
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
  return toJsonRecord(value as Record<string, unknown>, path);
}

/** `toJsonValue` over each entry of a record, keeping key order. */
export function toJsonRecord(values: Readonly<Record<string, unknown>>, path = 'values'): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(values)) out[k] = toJsonValue(v, `${path}.${k}`);
  return out;
}

/** JSON with object keys sorted by code point at every level: equal values give equal text. */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as { readonly [k: string]: JsonValue };
  const keys = Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}
