/** Change rows -> Segment-spec messages (SPEC 4). Pure: no I/O, no clock. */
export type { Change, GroupMessage, IdentifyMessage, JsonValue, PersonasContext, SegmentMessage, TrackMessage } from './change.js';
export { compileEventNames, EventNameError, type EventNameContext, type EventNameKind, type EventNames } from './event-names.js';
export { canonicalJson, toJsonRecord, toJsonValue } from './json-value.js';
export { messageId, type MessageIdInput } from './message-id.js';
export { definitionEventNames, renderMessage, RenderError, shouldSend, type RenderTarget } from './render.js';
