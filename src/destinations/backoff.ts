/** How long to wait between attempts; injectable so tests run in milliseconds. */
export interface BackoffPolicy {
  /** First retry waits up to this (default 500 ms); each further retry doubles it. */
  readonly baseMs: number;
  /** Upper bound of the exponential part (default 30 s). */
  readonly capMs: number;
  /** Upper bound on a server's Retry-After (default 60 s). */
  readonly retryAfterCapMs: number;
  /** Uniform in [0, 1); Math.random by default. */
  readonly random: () => number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 30_000, retryAfterCapMs: 60_000, random: Math.random };

/** Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^attempt)). */
export function backoffDelay(attempt: number, policy: BackoffPolicy): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** attempt);
  return Math.floor(policy.random() * ceiling);
}

/**
 * A Retry-After header in milliseconds (delta-seconds or an HTTP-date), capped; undefined
 * when absent or unreadable (the caller then backs off on its own).
 */
export function parseRetryAfter(header: string | null, nowMs: number, capMs: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, capMs);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - nowMs), capMs);
}
