import { instantOutOfReach, parseInstant } from '../definitions/common.js';
import { UsageError } from './errors.js';

/** `--as-of`: ISO-8601, UTC when no offset is given (SPEC 3); default now. */
export function parseAsOf(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const d = parseInstant(text);
  if (!d) throw new UsageError(`--as-of ${JSON.stringify(text)} is not an ISO-8601 date or date-time (e.g. 2024-06-01T00:00:00Z)`);
  const reach = instantOutOfReach(text, d);
  if (reach) throw new UsageError(`--as-of ${JSON.stringify(text)} ${reach}`);
  return d;
}

/** A whole number written in decimal digits: not '', '0x10', '1e2' or '+3', which Number() reads. */
export function parsePositiveInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(n)) throw new UsageError(`${name} must be written as a whole number of 0 or more in digits (at most ${Number.MAX_SAFE_INTEGER}), got ${JSON.stringify(text)}`);
  return n;
}
