import type { SegmentMessage } from '../emit/change.js';
import { DeliveryError, toJsonLines, type DeliveryTarget } from './delivery-target.js';

/** The part of a writable stream stdout delivery uses (process.stdout by default). */
export interface LineSink {
  write(chunk: string, callback: (err?: Error | null) => void): boolean;
}

const guarded = new WeakSet<object>();

/**
 * Writes one JSON line per message to stdout (or an injected stream). It cannot tell what
 * an earlier, crashed run printed, so `alreadyDelivered` is always empty.
 */
export class StdoutDestination implements DeliveryTarget {
  constructor(readonly name: string, private readonly sink: LineSink = process.stdout) {
    // A closed pipe (`roster run | head`) emits 'error' on the stream, and without a listener Node
    // exits; the write callback below already turns it into a DeliveryError (messages stay pending).
    const stream = sink as Partial<NodeJS.EventEmitter>;
    if (stream.on && !guarded.has(stream)) {
      guarded.add(stream);
      stream.on('error', () => undefined);
    }
  }

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
          // Not delivered, and nothing wrong with the messages: they stay pending for the next try.
          destination: this.name, failedMessageIds: messages.map((m) => m.messageId), retryable: true,
          message: `cannot write to stdout: ${err.message}`, cause: err,
        }));
      });
    });
  }

  async close(): Promise<void> {}
}
