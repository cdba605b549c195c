import type { SegmentMessage } from '../emit/change.js';

/**
 * The most messages one delivery step sends between two moves of the outbox cursor. After a
 * crash, only the last step's messages can be at a destination without the cursor knowing, so
 * a destination that checks (jsonl) looks no further back than this many messages.
 */
export const MAX_DELIVERY_STEP = 20_000;

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
  send(messages: readonly SegmentMessage[]): Promise<void>;
  /** Releases files and connections; the target is not used afterwards. */
  close(): Promise<void>;
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

  constructor(init: {
    destination: string;
    failedMessageIds: readonly string[];
    retryable: boolean;
    message: string;
    rejectedMessageIds?: readonly string[];
    cause?: unknown;
  }) {
    super(`destination "${init.destination}": ${init.message}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'DeliveryError';
    this.destination = init.destination;
    this.failedMessageIds = init.failedMessageIds;
    this.rejectedMessageIds = init.rejectedMessageIds ?? (init.retryable ? [] : init.failedMessageIds);
    this.retryable = init.retryable;
  }
}

/** One JSON line per message, each ending in "\n" (JSON.stringify never emits a raw newline). */
export function toJsonLines(messages: readonly SegmentMessage[]): string {
  let out = '';
  for (const m of messages) out += JSON.stringify(m) + '\n';
  return out;
}
