import type { SegmentMessage } from '../emit/change.js';
import { DeliveryError, toJsonLines, type DeliveryTarget } from './delivery-target.js';

/** The part of a writable stream stdout delivery uses (process.stdout by default). */
export interface LineSink {
  write(chunk: string, callback: (err?: Error | null) => void): boolean;
}

/**
 * Writes one JSON line per message to stdout (or an injected stream). It cannot tell what
 * an earlier, crashed run printed, so `alreadyDelivered` is always empty.
 */
export class StdoutDestination implements DeliveryTarget {
  constructor(readonly name: string, private readonly sink: LineSink = process.stdout) {}

  async alreadyDelivered(): Promise<Set<string>> {
    return new Set();
  }

  send(messages: readonly SegmentMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      // The callback fires once the chunk is handed to the OS, which is as durable as stdout gets.
      this.sink.write(toJsonLines(messages), (err) => {
        if (!err) return resolve();
        reject(new DeliveryError({
          destination: this.name, failedMessageIds: messages.map((m) => m.messageId), retryable: false,
          message: `cannot write to stdout: ${err.message}`, cause: err,
        }));
      });
    });
  }

  async close(): Promise<void> {}
}
