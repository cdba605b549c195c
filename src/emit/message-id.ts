import { hash } from 'node:crypto';
import type { JsonValue } from './change.js';
import { canonicalJson } from './json-value.js';

/** What identifies one emitted change: the same inputs always give the same messageId. */
export interface MessageIdInput {
  readonly definitionKey: string;
  readonly call: string;
  readonly groupId?: string;
  readonly userId?: string;
  readonly kind: string;
  readonly asOf: string;
  readonly values: JsonValue;
  /**
   * How many earlier runs of the definition had the same as_of: a run at the same as_of after the
   * data changed can repeat an earlier change exactly (entered, exited, entered again), which must
   * not share the first one's id. 0 (every scheduled run) leaves the id as it always was.
   */
  readonly asOfRepeat?: number;
}

const PREFIX = 'roster-';
/** Bumped if the hashed fields ever change, so old and new ids cannot collide by accident. */
const VERSION = 'v1';

/**
 * `roster-` + the first 40 hex digits (160 bits) of the sha256 of a canonical JSON of the
 * change: deterministic, 47 characters, so a re-sent message de-duplicates downstream.
 */
export function messageId(input: MessageIdInput): string {
  const fields: JsonValue[] = [
    VERSION, input.definitionKey, input.call, input.groupId ?? null, input.userId ?? null, input.kind, input.asOf, input.values,
  ];
  if (input.asOfRepeat) fields.push(input.asOfRepeat);
  // One-shot hash: same digest as createHash().update().digest(), without a Hash object per message.
  return PREFIX + hash('sha256', canonicalJson(fields), 'hex').slice(0, 40);
}
