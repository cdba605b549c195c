import type { SegmentMessage } from '../emit/change.js';
import { backoffDelay, DEFAULT_BACKOFF, parseRetryAfter, type BackoffPolicy } from './backoff.js';
import { DeliveryError, REFUSED_IN_A_ROW, refusedLines, type DeliveryTarget, type SendContext } from './delivery-target.js';
import { batchBody, halves, SEGMENT_LIMITS, splitBatches, type Batch, type BatchLimits } from './http-batches.js';

/** An http destination's settings (roster.yml) plus injectable machinery for tests. */
export interface HttpOptions {
  readonly url: string;
  readonly writeKey?: string;
  /** Per request, body included (roster.yml `timeout_ms`). */
  readonly timeoutMs: number;
  /** Retries after the first attempt (roster.yml `max_retries`). */
  readonly maxRetries: number;
  readonly backoff?: Partial<BackoffPolicy>;
  readonly limits?: Partial<BatchLimits>;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => Date;
  /** Told about each retry (for progress output); never sees the write key. */
  readonly onRetry?: (info: RetryInfo) => void;
}

/** What `onRetry` hears before each wait. */
export interface RetryInfo {
  readonly destination: string;
  readonly attempt: number;
  readonly delayMs: number;
  readonly reason: string;
  readonly messageIds: readonly string[];
}

type Attempt =
  | { readonly outcome: 'ok' }
  | { readonly outcome: 'retry'; readonly reason: string; readonly retryAfterMs?: number }
  | { readonly outcome: 'misconfigured'; readonly reason: string }
  | { readonly outcome: 'refused'; readonly reason: string };

/** 307 / 308 redirects followed for one batch (a loop of them ends as a misconfigured url). */
const MAX_REDIRECTS = 5;

/** Statuses that blame the request's address or credentials, not its messages. */
const MISCONFIGURED = new Set([401, 403, 404, 405, 410]);

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * POSTs `{batch: [...], sentAt}` to a Segment-compatible batch endpoint. Batches stay under
 * the size and count limits; a message over 32 KiB is never sent and reported as rejected.
 * Network errors, timeouts, 408, 429 and 5xx are retried (exponential backoff with full
 * jitter, or the server's Retry-After) up to `maxRetries`, then left pending. 401, 403, 404, 405
 * and 410 say the write key or the url is wrong, not the messages: they stay pending at once, for
 * a delivery after roster.yml is fixed; so does a redirect other than a 307 / 308 (which keep the
 * POST and are followed). Any other status refuses the batch's content: the batch is
 * sent again in halves until the messages refused alone are found; only those are rejected.
 * A re-sent batch carries the same messageIds, so the endpoint de-duplicates.
 */
export class HttpDestination implements DeliveryTarget {
  private readonly limits: BatchLimits;
  private readonly backoff: BackoffPolicy;
  private readonly headers: Record<string, string>;
  private readonly inFlight = new Set<AbortController>();

  constructor(readonly name: string, private readonly options: HttpOptions) {
    this.limits = { ...SEGMENT_LIMITS, ...options.limits };
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.headers = { 'Content-Type': 'application/json', 'User-Agent': 'roster' };
    if (options.writeKey) this.headers.Authorization = `Basic ${Buffer.from(`${options.writeKey}:`).toString('base64')}`;
  }

  /** An endpoint cannot be asked what it holds: it de-duplicates re-sent messageIds itself. */
  async alreadyDelivered(): Promise<Set<string>> {
    return new Set();
  }

  async send(messages: readonly SegmentMessage[], context: SendContext = {}): Promise<void> {
    const { batches, oversized } = splitBatches(messages, this.limits);
    const failed = new Set<string>(oversized.map((o) => o.messageId));
    const rejected = new Set<string>(failed);
    const tooLarge = oversized.map((o) => `message ${o.messageId} is ${o.bytes} bytes, over the ${this.limits.maxMessageBytes}-byte limit: not sent`);
    const reasons = [...tooLarge];
    const queue = [...batches];
    const refusals: { id: string; reason: string }[] = [];
    /** Messages refused alone since the endpoint last took one: rejected only once it takes another. */
    let inARow: { id: string; reason: string }[] = [];
    // Refused alone just before this step (the caller holds them): the row goes on from there.
    let before = context.refusedInARow ?? 0;
    const reject = (refused: typeof inARow) => {
      for (const r of refused) rejected.add(r.id);
      refusals.push(...refused);
    };
    while (queue.length > 0) {
      const batch = queue.shift()!;
      const failure = await this.post(batch);
      if (failure === undefined) {
        reject(inARow); // the endpoint takes messages: those it refused are the messages' fault
        inARow = [];
        before = 0;
        continue;
      }
      if (failure.refused && batch.messageIds.length > 1) {
        queue.unshift(...halves(batch)); // in order: the refused message is found, the others go
        continue;
      }
      if (failure.refused) {
        // Refused alone: not sendable as it is, unless the endpoint refuses everything. The
        // messages after it still go, in order.
        failed.add(batch.messageIds[0]);
        inARow.push({ id: batch.messageIds[0], reason: failure.reason });
        if (before + inARow.length < REFUSED_IN_A_ROW) continue;
        // An endpoint that refuses every message (some answer 400 to a wrong write key) would
        // otherwise fail the whole outbox, one request per message: the rest stay pending too.
        for (const b of queue) for (const id of b.messageIds) failed.add(id);
        break;
      }
      // Stop here to keep order: this batch and later ones are left for the next delivery.
      for (const b of [batch, ...queue]) for (const id of b.messageIds) failed.add(id);
      // No count: this step's requests are not what is pending (the run's summary says that).
      reasons.push(failure.reason + (queue.length > 0 ? '; the messages after it wait, to keep their order' : ''));
      break;
    }
    // One line each for a few; a count and the first for many (each is in _failed_messages).
    reasons.splice(oversized.length, 0, ...refusedLines(refusals));
    // Refused with none taken after them: the endpoint may refuse everything (a wrong write key
    // answered with 400), so failing them would lose them. They stay pending; fewer than
    // REFUSED_IN_A_ROW await the verdict of the next message sent (the caller's next send).
    const row = before + inARow.length;
    const awaiting = inARow.length > 0 && row < REFUSED_IN_A_ROW ? inARow : [];
    const besidesAwaiting = reasons.length ? reasons.join('; ') : undefined;
    let awaitingNote: string | undefined;
    if (inARow.length > 0) {
      const first = `the first ${inARow[0].id}: ${inARow[0].reason}`;
      awaitingNote = `the endpoint refused ${inARow.length === 1 ? 'a message' : `${inARow.length} messages`} sent alone and took none after (${first}): pending until it takes a message after ${inARow.length === 1 ? 'it' : 'them'}`;
      const earlier = before ? `${before} refused just before; here ` : '';
      reasons.push(awaiting.length === 0
        ? `the endpoint refused ${row} messages in a row, each sent alone (${earlier}${first}): it may refuse every message (check the destination's url and write_key); they and the rest stay pending`
        : awaitingNote);
    }
    if (failed.size === 0) return;
    const failedMessageIds = messages.map((m) => m.messageId).filter((id) => failed.has(id));
    throw new DeliveryError({
      destination: this.name, failedMessageIds, rejectedMessageIds: failedMessageIds.filter((id) => rejected.has(id)),
      retryable: failedMessageIds.some((id) => !rejected.has(id)), message: reasons.join('; '),
      awaitingVerdict: awaiting.map((r) => r.id), ...(awaiting.length ? { awaitingNote, besidesAwaiting } : {}), refusingEverything: row >= REFUSED_IN_A_ROW,
      reasons: new Map([...oversized.map((o, i) => [o.messageId, tooLarge[i]] as const), ...[...refusals, ...inARow].map((r) => [r.id, r.reason] as const)]),
    });
  }

  async close(): Promise<void> {
    for (const controller of this.inFlight) controller.abort();
  }

  /** An endpoint may echo the Authorization header in its error body: never repeat the key. */
  private redact(text: string): string {
    const key = this.options.writeKey;
    if (!key) return text;
    const secrets = [key, Buffer.from(`${key}:`).toString('base64'), Buffer.from(key).toString('base64')];
    return secrets.reduce((t, secret) => t.split(secret).join('[redacted]'), text);
  }

  /** Sends one batch with retries; returns why it failed, or undefined once accepted. */
  private async post(batch: Batch): Promise<{ refused: boolean; reason: string } | undefined> {
    for (let attempt = 0; ; attempt++) {
      const result = await this.attempt(batch);
      if (result.outcome === 'ok') return undefined;
      if (result.outcome === 'refused') return { refused: true, reason: result.reason };
      if (result.outcome === 'misconfigured') {
        return { refused: false, reason: `${result.reason} (check the destination's url and write_key in roster.yml; the messages stay pending)` };
      }
      if (attempt >= this.options.maxRetries) {
        return { refused: false, reason: `gave up after ${attempt + 1} attempt(s): ${result.reason}` };
      }
      const delayMs = result.retryAfterMs ?? backoffDelay(attempt, this.backoff);
      this.options.onRetry?.({ destination: this.name, attempt: attempt + 1, delayMs, reason: result.reason, messageIds: batch.messageIds });
      await (this.options.sleep ?? sleepFor)(delayMs);
    }
  }

  /**
   * POSTs a body, following redirects by hand: fetch turns a POST redirected by 301, 302 or 303
   * into a GET without its body, and the endpoint's 200 for that GET would count messages never
   * sent. A 307 or 308 keeps the method and the body, and is followed on the url's origin only
   * (the write key goes only where it was meant to); any other response is returned as it is.
   */
  private async postFollowingRedirects(body: string, signal: AbortSignal): Promise<{ response: Response; text: string }> {
    let url = this.options.url;
    for (let hops = 0; ; hops++) {
      const response = await (this.options.fetch ?? fetch)(url, { method: 'POST', headers: this.headers, body, signal, redirect: 'manual' });
      const text = await response.text(); // read even on success: frees the connection, and the timeout covers it
      const location = response.headers.get('location');
      const next = location === null ? undefined : new URL(location, url);
      const follow = (response.status === 307 || response.status === 308) && next?.origin === new URL(url).origin && hops < MAX_REDIRECTS;
      if (!follow) return { response, text };
      url = next!.href;
    }
  }

  private async attempt(batch: Batch): Promise<Attempt> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    this.inFlight.add(controller);
    const now = this.options.now ?? (() => new Date());
    try {
      const { response, text } = await this.postFollowingRedirects(batchBody(batch, now()), controller.signal);
      const status = response.status;
      if (status >= 200 && status < 300) return { outcome: 'ok' };
      if (status >= 300 && status < 400) {
        const to = response.headers.get('location');
        return { outcome: 'misconfigured', reason: `HTTP ${status}${to ? ` to ${this.redact(to)}` : ''}: the url redirects, and a batch is POSTed only to where it is sent (set url to the endpoint itself)` };
      }
      const detail = `HTTP ${status}: ${this.redact(text).slice(0, 200)}`;
      if (status === 408 || status === 429 || status >= 500) {
        return { outcome: 'retry', reason: detail, retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), now().getTime(), this.backoff.retryAfterCapMs) };
      }
      return { outcome: MISCONFIGURED.has(status) ? 'misconfigured' : 'refused', reason: detail };
    } catch (err) {
      if (controller.signal.aborted) return { outcome: 'retry', reason: `no response within ${this.options.timeoutMs} ms` };
      return { outcome: 'retry', reason: `network error: ${describeNetworkError(err)}` };
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
  }
}

/** fetch hides the useful part (ECONNREFUSED, ...) in `cause`. */
function describeNetworkError(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message ?? String(err)} (${cause})` : e.message ?? String(err);
}
