/** Delivery of rendered messages: jsonl, stdout and http targets behind one interface. */
export { DeliveryError, MAX_DELIVERY_STEP, REFUSED_IN_A_ROW, refusedLines, toJsonLines, type DeliveryTarget, type SendContext } from './delivery-target.js';
export { openDestination, type OpenOptions } from './open-destination.js';
export { JsonlDestination, type JsonlOptions } from './jsonl-destination.js';
export { StdoutDestination, type LineSink } from './stdout-destination.js';
export { HttpDestination, type HttpOptions, type RetryInfo } from './http-destination.js';
export { splitBatches, batchBody, SEGMENT_LIMITS, type Batch, type BatchLimits } from './http-batches.js';
export { backoffDelay, parseRetryAfter, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
