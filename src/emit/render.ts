import type { CallType, Destination } from '../definitions/project-config.js';
import type { Change, JsonValue, SegmentMessage } from './change.js';
import { compileEventNames, type EventNameKind, type EventNames } from './event-names.js';
import { toJsonRecord } from './json-value.js';
import { messageId } from './message-id.js';

/** The part of a destination that rendering reads. */
export type RenderTarget = Pick<Destination, 'name' | 'events'>;

/** Thrown when a change cannot become a message (missing id, wrong kind for its class). */
export class RenderError extends Error {
  constructor(readonly change: Change, message: string) {
    super(`${change.definitionKey} (${change.call} ${change.kind}): ${message}`);
    this.name = 'RenderError';
  }
}

// Templates are compiled once per destination object, however many changes it renders.
const compiledByDestination = new WeakMap<RenderTarget, EventNames>();

function eventNamesOf(destination: RenderTarget): EventNames {
  let names = compiledByDestination.get(destination);
  if (!names) {
    names = compileEventNames(destination);
    compiledByDestination.set(destination, names);
  }
  return names;
}

/**
 * The track event names a definition's changes get at `destination`, rendered now: a run stores
 * them with its outbox rows, so what it committed is what is delivered (EventNameError if one fails).
 */
export function definitionEventNames(
  destination: RenderTarget, def: { readonly key: string; readonly kind: Change['definitionKind']; readonly entity: Change['entity']; readonly description?: string },
): Partial<Record<EventNameKind, string>> {
  const names = eventNamesOf(destination);
  const context = { key: def.key, kind: def.kind, entity: def.entity, description: def.description };
  const which: EventNameKind[] = def.kind === 'audience' ? ['audience_entered', 'audience_exited'] : ['trait_computed'];
  return Object.fromEntries(which.map((w) => [w, names(w, context)]));
}

/** True when `destination.calls` lists this call type. */
export function shouldSend(destination: Pick<Destination, 'calls'>, call: CallType): boolean {
  return destination.calls.includes(call);
}

/**
 * Renders one change as the Segment-spec message of SPEC 4 for `destination`: pure and
 * deterministic (same change and destination, same message, same messageId).
 *
 * @example
 * renderMessage({ definitionKey: 'at_risk_accounts', definitionKind: 'audience', computationClass: 'audience',
 *   call: 'track', kind: 'entered', userId: 'u1', values: { at_risk_accounts: true },
 *   asOf: '2024-06-01T00:00:00.000Z', entity: 'account' }, destination)
 * // {type: 'track', userId: 'u1', event: 'Audience Entered',
 * //  properties: {audience_key: 'at_risk_accounts', at_risk_accounts: true}, timestamp, messageId, context}
 */
export function renderMessage(change: Change, destination: RenderTarget): SegmentMessage {
  const key = change.definitionKey;
  const timestamp = normaliseInstant(change);
  const values = changeValues(change);
  const context = { personas: { computation_class: change.computationClass, computation_key: key } };
  const messageId = messageIdOf(change, timestamp, values);
  // Each message is one object literal (no spreads): the key order below is the order on the wire.
  switch (change.call) {
    case 'group': {
      const groupId = required(change, change.groupId, 'groupId');
      if (change.userId !== undefined) {
        return { type: 'group', userId: change.userId, groupId, traits: values, timestamp, messageId, context };
      }
      // Segment requires userId or anonymousId: an account without users gets a stable anonymousId.
      return { type: 'group', anonymousId: `group:${groupId}`, groupId, traits: values, timestamp, messageId, context };
    }
    case 'identify':
      return { type: 'identify', userId: required(change, change.userId, 'userId'), traits: values, timestamp, messageId, context };
    case 'track': {
      const userId = required(change, change.userId, 'userId');
      const event = change.eventNames?.[eventNameKind(change)] ?? eventNamesOf(destination)(eventNameKind(change), {
        key, kind: change.definitionKind, entity: change.entity, description: change.description,
      });
      return { type: 'track', userId, event, properties: trackProperties(change, values), timestamp, messageId, context };
    }
    default: {
      const never: never = change.call;
      throw new RenderError(change, `unknown call ${String(never)}`);
    }
  }
}

function messageIdOf(change: Change, asOf: string, values: Record<string, JsonValue>): string {
  return messageId({
    definitionKey: change.definitionKey, call: change.call, groupId: change.groupId, userId: change.userId,
    kind: change.kind, asOf, values, asOfRepeat: change.asOfRepeat,
  });
}

/** Audiences always carry `{<key>: member}` from the change kind, so values and event can never disagree. */
function changeValues(change: Change): Record<string, JsonValue> {
  if (change.computationClass === 'audience') {
    if (change.kind === 'changed') throw new RenderError(change, 'an audience change is entered or exited');
    return { [change.definitionKey]: change.kind === 'entered' };
  }
  return toJsonRecord(change.values, change.definitionKey);
}

function trackProperties(change: Change, values: Record<string, JsonValue>): Record<string, JsonValue> {
  const label = change.computationClass === 'audience' ? 'audience_key' : 'trait_key';
  // The label goes first and wins over a column of the same name.
  return { [label]: change.definitionKey, ...values, [label]: change.definitionKey };
}

function eventNameKind(change: Change): EventNameKind {
  if (change.computationClass === 'trait') return 'trait_computed';
  return change.kind === 'exited' ? 'audience_exited' : 'audience_entered';
}

const canonicalInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function normaliseInstant(change: Change): string {
  if (canonicalInstant.test(change.asOf)) return change.asOf;
  const date = new Date(change.asOf);
  if (Number.isNaN(date.getTime())) throw new RenderError(change, `asOf "${change.asOf}" is not an ISO-8601 instant`);
  return date.toISOString();
}

function required(change: Change, value: string | undefined, field: string): string {
  if (value === undefined || value === '') throw new RenderError(change, `a ${change.call} call needs a ${field}`);
  return value;
}
