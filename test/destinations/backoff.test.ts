import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF, parseRetryAfter } from '../../src/destinations/index.js';

describe('backoff', () => {
  it('full jitter stays below min(cap, base * 2^attempt)', () => {
    const top = { ...DEFAULT_BACKOFF, baseMs: 100, capMs: 1000, random: () => 0.999999 };
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, top))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(5, { ...top, random: () => 0 })).toBe(0);
  });

  it('Retry-After reads seconds and HTTP-dates, capped', () => {
    const now = Date.parse('2024-06-01T00:00:00Z');
    expect(parseRetryAfter('1', now, 60_000)).toBe(1000);
    expect(parseRetryAfter('3600', now, 60_000)).toBe(60_000);
    expect(parseRetryAfter('Sat, 01 Jun 2024 00:00:02 GMT', now, 60_000)).toBe(2000);
    expect(parseRetryAfter('Fri, 31 May 2024 23:00:00 GMT', now, 60_000)).toBe(0);
    expect(parseRetryAfter(null, now, 60_000)).toBeUndefined();
    expect(parseRetryAfter('soon', now, 60_000)).toBeUndefined();
  });
});
