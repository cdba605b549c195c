import { unicodeEscape } from '../support/unicode-escape.js';
import type { SegmentMessage } from '../emit/change.js';

/**
 * The most messages one delivery step sends between two moves of the outbox cursor. After a
 * crash, only the last step's messages can be at a destination without the cursor knowing, so
 * a destination that checks (jsonl) looks no further back than this many messages.
 */
export const MAX_DELIVERY_STEP = 20_000;

/**
 * Messages refused alone, one after another with none taken in between, before roster stops
 * sending: an endpoint that refuses every message (some answer 400 to a wrong write key) must not
 * fail the whole outbox, one request per message.
 */
export const REFUSED_IN_A_ROW = 5;

/**
 * Where messages go. The outbox drains through it: on recovery it first asks
 * `alreadyDelivered`, then `send`s what is still pending, always with the stored messageIds.
 */
export interface DeliveryTarget {
  /** The destination's name in roster.yml. */
  readonly name: string;
  /**
   * The ids among `messageIds` that this destination already holds (crash recovery): jsonl
   * reads its file's tail; stdout and http cannot know and return an empty set (http
   * endpoints de-duplicate by messageId instead).
   */
  alreadyDelivered(messageIds: readonly string[]): Promise<Set<string>>;
  /**
   * Delivers in order and resolves once the destination has durably accepted every message.
   * Rejects with a DeliveryError listing the messages that were not delivered.
   */
  send(messages: readonly SegmentMessage[], context?: SendContext): Promise<void>;
  /** Releases files and connections; the target is not used afterwards. */
  close(): Promise<void>;
}

/** What the caller knows of the messages sent before these. */
export interface SendContext {
  /**
   * Messages the destination refused each alone just before these, with none taken since (the
   * caller holds them, see DeliveryError.awaitingVerdict): they count toward REFUSED_IN_A_ROW.
   */
  readonly refusedInARow?: number;
}

/**
 * A delivery that did not (entirely) succeed. `failedMessageIds` were not delivered (or
 * may not have been: ask `alreadyDelivered` before re-sending), in send order.
 * `rejectedMessageIds` is the subset that re-sending as is cannot deliver (over the size
 * limit, or in a batch refused with a 4xx: the message or the configuration needs a fix);
 * `retryable` is true when retrying later may deliver at least the others.
 */
export class DeliveryError extends Error {
  readonly destination: string;
  readonly failedMessageIds: readonly string[];
  readonly rejectedMessageIds: readonly string[];
  readonly retryable: boolean;
  /**
   * Failed messages the destination refused each alone, with none taken after them in this send:
   * the endpoint may refuse every message, or only these. Once it takes a message sent after them,
   * they were at fault and the caller rejects them; until then they stay pending.
   */
  readonly awaitingVerdict: readonly string[];
  /**
   * The destination stopped after REFUSED_IN_A_ROW messages refused alone, counting those held
   * before this send: the messages the caller holds stay pending with the rest.
   */
  readonly refusingEverything: boolean;
  /** Why each failed message failed, where the destination knows it message by message. */
  readonly reasons: ReadonlyMap<string, string>;
  /** What the message says of `awaitingVerdict`, and what it says besides (undefined: nothing). */
  readonly awaitingNote?: string;
  readonly besidesAwaiting?: string;

  constructor(init: {
    destination: string;
    failedMessageIds: readonly string[];
    retryable: boolean;
    message: string;
    rejectedMessageIds?: readonly string[];
    awaitingVerdict?: readonly string[];
    refusingEverything?: boolean;
    reasons?: ReadonlyMap<string, string>;
    awaitingNote?: string;
    besidesAwaiting?: string;
    cause?: unknown;
  }) {
    super(`destination "${init.destination}": ${init.message}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'DeliveryError';
    this.destination = init.destination;
    this.failedMessageIds = init.failedMessageIds;
    this.rejectedMessageIds = init.rejectedMessageIds ?? (init.retryable ? [] : init.failedMessageIds);
    this.retryable = init.retryable;
    this.awaitingVerdict = init.awaitingVerdict ?? [];
    this.refusingEverything = init.refusingEverything ?? false;
    this.reasons = init.reasons ?? new Map();
    const said = (text?: string) => (text === undefined ? undefined : `destination "${init.destination}": ${text}`);
    this.awaitingNote = said(init.awaitingNote);
    this.besidesAwaiting = said(init.besidesAwaiting);
  }
}

/**
 * One JSON line per message, each ending in "\n" (JSON.stringify never emits a raw newline). The
 * line breaks JSON leaves raw (U+0085, U+2028, U+2029: readers such as Python's splitlines() split
 * on them) are escaped as \uXXXX, which a JSON reader reads back as the same text.
 */
export function toJsonLines(messages: readonly SegmentMessage[]): string {
  let out = '';
  for (const m of messages) out += jsonLine(m) + '\n';
  return out;
}

/** One message as a line of JSON, without its "\n" (toJsonLines). */
export function jsonLine(message: SegmentMessage): string {
  return JSON.stringify(message).replace(UNICODE_LINE_BREAKS, unicodeEscape);
}

const UNICODE_LINE_BREAKS = /[\u0085\u2028\u2029]/g;

/** Messages refused alone, for a delivery's errors: one line each for a few, a count and the first for many. */
export function refusedLines(refusals: readonly { readonly id: string; readonly reason: string }[]): string[] {
  if (refusals.length === 0) return [];
  return refusals.length <= 3
    ? refusals.map((r) => `message ${r.id} refused: ${r.reason}`)
    : [`${refusals.length} messages refused, each sent alone; the first, ${refusals[0].id}: ${refusals[0].reason}`];
}
