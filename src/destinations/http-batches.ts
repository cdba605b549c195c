import type { SegmentMessage } from '../emit/change.js';

/** Segment's batch API limits; overridable so tests can use small ones. */
export interface BatchLimits {
  /** Whole request body, envelope included (default 500,000 bytes: "under 500 KB"). */
  readonly maxBatchBytes: number;
  /** Messages per request (default 2,500). */
  readonly maxBatchMessages: number;
  /** One serialised message (default 32 KiB, what Segment accepts per call). */
  readonly maxMessageBytes: number;
}

export const SEGMENT_LIMITS: BatchLimits = { maxBatchBytes: 500_000, maxBatchMessages: 2_500, maxMessageBytes: 32 * 1024 };

/** One request's worth of messages, already serialised. */
export interface Batch {
  readonly messageIds: readonly string[];
  readonly json: readonly string[];
  readonly bytes: number;
}

export interface SplitResult {
  readonly batches: readonly Batch[];
  /** Messages over `maxMessageBytes`: never sent. */
  readonly oversized: readonly { readonly messageId: string; readonly bytes: number }[];
}

// `{"batch":[` + `],"sentAt":"` + 24-char ISO instant + `"}`, rounded up.
const ENVELOPE_BYTES = 64;

/** Splits messages, in order, into batches within the limits; oversized ones are set aside. */
export function splitBatches(messages: readonly SegmentMessage[], limits: BatchLimits = SEGMENT_LIMITS): SplitResult {
  const batches: Batch[] = [];
  const oversized: { messageId: string; bytes: number }[] = [];
  let ids: string[] = [];
  let json: string[] = [];
  let bytes = ENVELOPE_BYTES;
  const flush = (): void => {
    if (ids.length > 0) batches.push({ messageIds: ids, json, bytes });
    ids = [];
    json = [];
    bytes = ENVELOPE_BYTES;
  };
  for (const message of messages) {
    const text = JSON.stringify(message);
    const size = Buffer.byteLength(text, 'utf8');
    if (size > limits.maxMessageBytes) {
      oversized.push({ messageId: message.messageId, bytes: size });
      continue;
    }
    const added = size + (ids.length > 0 ? 1 : 0); // the comma between array items
    if (ids.length > 0 && (ids.length >= limits.maxBatchMessages || bytes + added > limits.maxBatchBytes)) flush();
    bytes += size + (ids.length > 0 ? 1 : 0);
    ids.push(message.messageId);
    json.push(text);
  }
  flush();
  return { batches, oversized };
}

/**
 * A refused batch sent again as two, to find the message the endpoint refuses: each half keeps
 * its messages' order and is within the limits the whole was.
 */
export function halves(batch: Batch): [Batch, Batch] {
  const mid = Math.ceil(batch.messageIds.length / 2);
  const half = (from: number, to: number): Batch => {
    const json = batch.json.slice(from, to);
    return { messageIds: batch.messageIds.slice(from, to), json, bytes: ENVELOPE_BYTES + json.reduce((n, j) => n + Buffer.byteLength(j, 'utf8'), 0) + json.length - 1 };
  };
  return [half(0, mid), half(mid, batch.messageIds.length)];
}

/** The request body: the batch plus `sentAt`, which Segment uses to correct client clock skew. */
export function batchBody(batch: Batch, sentAt: Date): string {
  return `{"batch":[${batch.json.join(',')}],"sentAt":${JSON.stringify(sentAt.toISOString())}}`;
}
