import { parseInstant } from '../definitions/common.js';
import { UsageError } from './errors.js';

/** `--as-of`: ISO-8601, UTC when no offset is given (SPEC 3); default now. */
export function parseAsOf(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const d = parseInstant(text);
  if (!d) throw new UsageError(`--as-of ${JSON.stringify(text)} is not an ISO-8601 date or date-time (e.g. 2024-06-01T00:00:00Z)`);
  return d;
}

export function parsePositiveInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be a whole number, got ${JSON.stringify(text)}`);
  return n;
}
