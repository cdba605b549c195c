import type { Entity } from '../definitions/common.js';
import type { DefinitionKind } from '../definitions/definition.js';
import type { CallType } from '../definitions/project-config.js';
import type { EventNameKind } from './event-names.js';

/**
 * One change to emit, as the state diff produces it (one row per message to send).
 * `renderMessage` turns it into a Segment-spec message for one destination.
 */
export interface Change {
  readonly definitionKey: string;
  /** 'audience' | 'computed_trait' | 'sql_trait': what event-name templates see as `kind`. */
  readonly definitionKind: DefinitionKind;
  readonly computationClass: 'audience' | 'trait';
  readonly call: CallType;
  /** audience: entered | exited; trait: changed. */
  readonly kind: 'entered' | 'exited' | 'changed';
  /** identify/track: the user; group: the account's smallest user id, if it has users. */
  readonly userId?: string;
  /**
   * group: the account. identify/track: optionally the account the change came from (an
   * account-level definition fanned out to its users). It is not sent on identify/track,
   * but it keeps the messageIds of one user in two changed accounts apart.
   */
  readonly groupId?: string;
  /**
   * group/identify: the traits; track: the properties without audience_key / trait_key
   * (renderMessage adds them). Audiences send `{<key>: true|false}` derived from `kind`,
   * whatever is here, so the traits and the event can never disagree.
   */
  readonly values: Readonly<Record<string, unknown>>;
  /** How many earlier committed runs had the same as_of (see MessageIdInput.asOfRepeat). */
  readonly asOfRepeat?: number;
  /** The run's as_of, ISO-8601 UTC with milliseconds and Z. */
  readonly asOf: string;
  readonly description?: string;
  readonly entity: Entity;
  /** Track event names as the destination's templates gave them when the run committed; one missing is rendered now. */
  readonly eventNames?: Readonly<Partial<Record<EventNameKind, string>>>;
}

/** A JSON value as sent (bigint, Date and non-finite numbers already converted). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };

/** `context.personas`, as Segment Engage sets it on computed messages. */
export interface PersonasContext {
  readonly computation_class: 'audience' | 'trait';
  readonly computation_key: string;
}

interface MessageBase {
  readonly timestamp: string;
  readonly messageId: string;
  readonly context: { readonly personas: PersonasContext };
}

/** A Segment `group` call: userId (the account's smallest user) or anonymousId `group:<id>`. */
export interface GroupMessage extends MessageBase {
  readonly type: 'group';
  readonly userId?: string;
  readonly anonymousId?: string;
  readonly groupId: string;
  readonly traits: Readonly<Record<string, JsonValue>>;
}

/** A Segment `identify` call. */
export interface IdentifyMessage extends MessageBase {
  readonly type: 'identify';
  readonly userId: string;
  readonly traits: Readonly<Record<string, JsonValue>>;
}

/** A Segment `track` call (Audience Entered / Audience Exited / Trait Computed by default). */
export interface TrackMessage extends MessageBase {
  readonly type: 'track';
  readonly userId: string;
  readonly event: string;
  readonly properties: Readonly<Record<string, JsonValue>>;
}

/** A Segment-spec message ready to deliver (SPEC 4). */
export type SegmentMessage = GroupMessage | IdentifyMessage | TrackMessage;
