import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/errors.js';
import { parseAsOf, parsePositiveInt } from '../../src/cli/options.js';

describe('--as-of', () => {
  it.each([
    ['2024-06-02', '2024-06-02T00:00:00.000Z'],
    ['2024-06-02T10:00:00', '2024-06-02T10:00:00.000Z'], // no offset: UTC
    ['2024-06-02 10:00', '2024-06-02T10:00:00.000Z'],
    ['2024-06-02T10:00:00+02:00', '2024-06-02T08:00:00.000Z'],
    ['2024-06-02T10:00:00+0200', '2024-06-02T08:00:00.000Z'],
    ['2024-06-02T10:00:00+02', '2024-06-02T08:00:00.000Z'], // an offset of hours alone
    ['2024-06-02T10:00-05', '2024-06-02T15:00:00.000Z'],
    ['2024-06-02t10:00:00z', '2024-06-02T10:00:00.000Z'], // RFC 3339 allows lower case
    ['2024-06-02T10:00:00.123Z', '2024-06-02T10:00:00.123Z'],
    ['2024-06-02T10:00:00.123000Z', '2024-06-02T10:00:00.123Z'], // zeros past the millisecond change nothing
  ])('%s is %s', (text, iso) => {
    expect(parseAsOf(text).toISOString()).toBe(iso);
  });

  it.each(['garbage', '2024-02-30', '2024-06-02T24:00:00Z', '2024-06-02T10:00:00+2', '06/02/2024'])('%s is refused', (text) => {
    expect(() => parseAsOf(text)).toThrow(/is not an ISO-8601 date or date-time/);
  });

  it('an instant finer than a millisecond is refused, not cut (an event at it would be left out)', () => {
    expect(() => parseAsOf('2024-01-01T00:00:00.123456Z')).toThrow(UsageError);
    expect(() => parseAsOf('2024-01-01T00:00:00.0001Z')).toThrow(/finer than a millisecond/);
  });

  it.each(['0000-01-01', '0001-01-01T00:30:00+01:00', '9999-12-31T23:00:00-02:00'])('%s is refused: a year outside 0001 to 9999 in UTC, which Postgres cannot hold', (text) => {
    expect(() => parseAsOf(text)).toThrow(/outside the years 0001 to 9999/);
  });
});

describe('whole-number flags', () => {
  it.each([['0', 0], ['16', 16], ['100000', 100000]])('%s is %d', (text, n) => {
    expect(parsePositiveInt('--users', text, 7)).toBe(n);
  });

  it('absent is the default', () => {
    expect(parsePositiveInt('--users', undefined, 7)).toBe(7);
  });

  it.each(['', ' ', '0x10', '1e2', '+3', '-1', '1.5', 'abc', '0b11', '99999999999999999999'])('%j is refused', (text) => {
    expect(() => parsePositiveInt('--limit', text, 10)).toThrow(`--limit must be written as a whole number of 0 or more in digits (at most 9007199254740991), got ${JSON.stringify(text)}`);
  });
});
