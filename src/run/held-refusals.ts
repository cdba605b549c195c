import type { DeliveryKey, FailedMessage } from '../state/outbox-sql.js';

/**
 * Messages of one delivery that the endpoint refused each alone, with none taken after them yet.
 * The delivery's cursor stays before the first; once a later message is taken, they and the
 * failures after them are recorded and the cursor moves to `upTo`, the last position read.
 */
export interface Held {
  readonly where: DeliveryKey;
  readonly first: number;
  upTo: number;
  /** The held messages, with why each was refused. */
  readonly refused: FailedMessage[];
  /** Other messages behind `upTo` that cannot be delivered (recorded with them). */
  readonly failed: FailedMessage[];
  /** What the destination said of them, reported if they stay held. */
  note: string;
}

/** What a destination made of one batch, as far as held messages go. */
export interface BatchVerdicts {
  /** Messages the destination took. */
  readonly sent: number;
  /** Positions of messages to be sent again by a later delivery. */
  readonly unsettled: readonly number[];
  /** Messages refused alone with none taken after them, by position. */
  readonly awaiting: readonly FailedMessage[];
  /** What the destination said of the awaiting ones. */
  readonly awaitingNote?: string;
}

/** Where one batch leaves its delivery. */
export interface Settlement {
  /** The delivery's cursor: before the first message still to be delivered, or held. */
  readonly reached: number;
  /** Failures behind `reached`, to record with the cursor. */
  readonly failedBehind: readonly FailedMessage[];
  /** Held messages of earlier deliveries that the batch settled: each records and moves its own cursor. */
  readonly earlier: readonly Held[];
  /** Every held message the batch settled (refused for what they are), for the report. */
  readonly settled: readonly Held[];
}

/**
 * A destination's held messages across its deliveries, oldest first. An endpoint refusing a
 * message alone may refuse it for what it is, or be refusing everything: only a later message
 * taken tells which. Until then the held ones stay pending (the cursor waits before them) and
 * count toward the destination's stop after too many refused in a row.
 */
export class HeldRefusals {
  private readonly held: Held[] = [];

  /** Messages held, which the destination counts toward its stop. */
  get count(): number {
    return this.held.reduce((n, h) => n + h.refused.length, 0);
  }

  /** What the destination said of those still held. */
  get notes(): readonly string[] {
    return this.held.map((h) => h.note);
  }

  /** The destination stopped, refusing everything: the held ones stay pending, as it said. */
  release(): void {
    this.held.length = 0;
  }

  /**
   * After a batch of delivery `where`, read up to position `read`, with `failures` the batch's
   * messages that cannot be delivered: a message taken settles every held one; messages refused
   * alone are held (the cursor stops before the first of them).
   */
  afterBatch(where: DeliveryKey, verdicts: BatchVerdicts, failures: readonly FailedMessage[], read: number): Settlement {
    const settled = verdicts.sent > 0 ? this.held.splice(0) : [];
    const earlier = settled.filter((h) => h.where !== where);
    let own = this.held.find((h) => h.where === where);
    if (verdicts.awaiting.length) {
      if (!own) this.held.push(own = { where, first: verdicts.awaiting[0].position, upTo: read, refused: [], failed: [], note: '' });
      own.refused.push(...verdicts.awaiting);
      own.note = verdicts.awaitingNote ?? '';
    }
    const reached = Math.min(verdicts.unsettled.length ? Math.min(...verdicts.unsettled) - 1 : read, own ? own.first - 1 : read);
    const all = [...settled.filter((h) => h.where === where).flatMap(failedOf), ...failures];
    if (own) {
      own.failed.push(...all.filter((f) => f.position > reached));
      own.upTo = read;
    }
    return { reached, failedBehind: all.filter((f) => f.position <= reached), earlier, settled };
  }
}

/** A held delivery's messages to record as failed once settled, in order. */
export const failedOf = (h: Held): FailedMessage[] => [...h.refused, ...h.failed].sort((a, b) => a.position - b.position);
