import type { SourceCatalog } from '../compiler/context.js';
import type { CallType, Destination } from '../definitions/project-config.js';
import type { Project } from '../definitions/project.js';
import { DeliveryError, MAX_DELIVERY_STEP, openDestination, refusedLines, type DeliveryTarget, type OpenOptions } from '../destinations/index.js';
import { compileEventNames, EventNameError, renderMessage, type Change, type EventNameKind, type SegmentMessage } from '../emit/index.js';
import {
  advanceDeliverySql, allValuesSql, CALL_CODES, CHANGE_KIND_CODES, committedRunsSql, createDeliveryChangesSql, DELIVERY_CHANGES, deliveryChangesSizeSql, dropDeliveryChangesSql, failedCountSql,
  insertFailedSql, messagesAfterSql, openDeliveriesSql, pendingByDestinationSql, refsText, valuesByRefSql, type DeliveryKey, type DeliveryMode,
  type FailedMessage,
} from '../state/outbox-sql.js';
import { INTERNAL, stateNames, upgradeStateTables, type StateNames } from '../state/state-tables.js';
import { readAhead } from '../support/read-ahead.js';
import { WarehouseError, type Row, type Warehouse } from '../warehouse/warehouse.js';
import { crashPoint } from './crash-point.js';
import { failedOf, HeldRefusals } from './held-refusals.js';
import { refuseLegacyPending } from './legacy-outbox.js';

export interface DeliverOptions {
  /** Hooks for destinations (tests, CLI). */
  readonly open?: OpenOptions;
  /**
   * Messages rendered and sent per step (default and most: MAX_DELIVERY_STEP, 20000): each step
   * ends with a cursor commit (and, for jsonl, an fsync). A crash re-checks at most one step
   * with the destination.
   */
  readonly batchSize?: number;
  /** Stop after this many messages per destination (the benchmark's partial delivery). */
  readonly maxMessages?: number;
  /**
   * A delivery whose change rows are at most this many, with at most this many characters of
   * values, reads their values once (default READ_WHOLE); a larger one looks them up batch by batch.
   */
  readonly readWhole?: { readonly rows: number; readonly chars: number };
  /** After each step: messages of `destination` behind its cursor so far in this delivery, of `total` pending at its start. */
  readonly onProgress?: (event: { readonly destination: string; readonly done: number; readonly total: number }) => void;
}

/** What one destination got of its pending messages in a delivery, counted as it goes. */
export interface DestinationTally {
  readonly destination: string;
  readonly sent: number;
  /** Pending messages the destination already held (a crash between sending and marking). */
  readonly alreadyDelivered: number;
  /** Newly recorded as failed: they cannot be delivered as they are (rejected, or not renderable). */
  readonly failed: number;
  readonly errors: readonly string[];
}

/** What happened to one destination's pending messages. */
export interface DestinationDelivery extends DestinationTally {
  /** Still pending after this delivery. */
  readonly pending: number;
}

/**
 * A delivery stopped partway by a failure that no destination reported (the warehouse lost, its
 * disk full, a fault in roster): what each configured destination got until then, in order (those
 * not reached got nothing). Pending counts are unknown, the warehouse not being there to ask; what
 * was sent but not yet marked is reconciled with the destination by the next delivery.
 */
export class DeliveryInterrupted extends Error {
  constructor(readonly destinations: readonly DestinationTally[], cause: unknown) {
    super(`delivery stopped: ${cause instanceof Error ? cause.message : String(cause)}\n`
      + 'what it had not finished stays pending in the outbox: `roster deliver` (or the next run) sends it', { cause });
  }
}

export interface DeliveryReport {
  readonly destinations: readonly DestinationDelivery[];
  /** Messages still pending, including those of destinations no longer in roster.yml. */
  readonly pending: number;
  /** Messages recorded as failed (this delivery's and earlier ones'). */
  readonly failed: number;
  readonly ok: boolean;
  /** Pending messages of destinations that roster.yml no longer lists: name -> messages. */
  readonly orphaned: Readonly<Record<string, number>>;
}

/**
 * Drains the outbox (SPEC 4): per destination, its open deliveries in order (run, depth, key);
 * each is expanded into its numbered messages (account traits fanned out to the users of that
 * run), rendered and sent batch by batch, and its cursor moved past what was sent. After a crash
 * the destination is first asked which of the next messages it already holds (jsonl reads its
 * tail), and the cursor just moves past those. A failing destination keeps its messages pending
 * (in order) and delivery moves to the next destination.
 */
export async function deliverOutbox(project: Project, wh: Warehouse, options: DeliverOptions = {}): Promise<DeliveryReport> {
  const batchSize = options.batchSize ?? MAX_DELIVERY_STEP;
  // A larger step could leave more unacknowledged messages than a destination looks back for.
  if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= MAX_DELIVERY_STEP)) throw new RangeError(`batchSize must be 1 to ${MAX_DELIVERY_STEP}, got ${batchSize}`);
  const s = stateNames(wh.dialect, project.config.state.schema);
  await wh.lockRun(project.config.state.schema);
  const stateTables = await wh.catalog(s.schema);
  await refuseLegacyPending(wh, s, stateTables);
  const delivered = project.config.destinations.map((x): Tally => ({ destination: x.name, sent: 0, alreadyDelivered: 0, failed: 0, errors: [] }));
  // No run yet: every destination got nothing, listed as after any delivery (a scheduler reads one shape).
  if (!stateTables.has(INTERNAL.deliveries)) return { destinations: delivered.map((x) => ({ ...x, pending: 0 })), pending: 0, failed: 0, ok: true, orphaned: {} };
  for (const sql of upgradeStateTables(s, stateTables)) await wh.exec(sql);
  const repeats = legacyAsOfRepeats(await wh.query(committedRunsSql(s)));
  let pendingBy: Map<string, number>;
  let failed: number;
  try {
    for (const [i, destination] of project.config.destinations.entries()) {
      await deliverTo(project, wh, s, stateTables, destination, repeats, delivered[i], { ...options, batchSize });
    }
    // What is still pending, read once for every destination and the total.
    pendingBy = new Map((await wh.query(pendingByDestinationSql(s))).map((r) => [String(r.destination), Number(r.n)]));
    failed = Number((await wh.query(failedCountSql(s)))[0].n);
  } catch (e) {
    throw new DeliveryInterrupted(delivered, e);
  }
  const results: DestinationDelivery[] = delivered.map((r) => ({ ...r, pending: pendingBy.get(r.destination) ?? 0 }));
  const configured = new Set(project.config.destinations.map((x) => x.name));
  const orphaned = Object.fromEntries([...pendingBy].filter(([name]) => !configured.has(name)));
  const pending = [...pendingBy.values()].reduce((a, n) => a + n, 0);
  // Messages of a destination taken out of roster.yml stay pending (listed again, it gets them)
  // and are reported, but do not fail the delivery: removing a destination is no failure, and
  // every later run would otherwise exit 2 with no way to clear it.
  const ok = results.every((r) => r.pending === 0 && r.failed === 0);
  return { destinations: results, pending, failed, ok, orphaned };
}

/** One open delivery row, as openDeliveriesSql reads it. */
interface OpenDelivery {
  readonly runId: number;
  readonly key: string;
  readonly kind: string;
  readonly entity: string;
  readonly mode: DeliveryMode;
  readonly calls: readonly CallType[];
  readonly messages: number;
  readonly done: number;
  readonly asOf: string;
  /** Its track event names as committed; undefined for a delivery an earlier roster wrote. */
  readonly eventNames?: Partial<Record<EventNameKind, string>>;
  /** Runs of its definition before its run at the same as_of; undefined for an earlier roster's. */
  readonly asOfRepeat?: number;
}

/** A destination's tally as deliverTo keeps it: the caller holds it, so it survives a failure partway. */
interface Tally extends DestinationTally {
  destination: string;
  sent: number;
  alreadyDelivered: number;
  failed: number;
  errors: string[];
}

async function deliverTo(
  project: Project, wh: Warehouse, s: StateNames, stateTables: SourceCatalog, destination: Destination, repeats: ReadonlyMap<number, number>,
  totals: Tally, options: DeliverOptions & { readonly batchSize: number },
): Promise<void> {
  const d = wh.dialect;
  const descriptions = new Map(project.definitions.map((x) => [x.key, x.description]));
  const errors = totals.errors;
  let target: DeliveryTarget | undefined;
  // Until a batch turns out not to be (entirely) at the destination, ask before sending.
  let reconcile = true;
  try {
    compileEventNames(destination); // a broken template is a configuration error: keep everything pending
  } catch (e) {
    errors.push((e as Error).message);
    return;
  }
  const open = (await wh.query(openDeliveriesSql(d, s, destination.name))).map(toOpenDelivery);
  const progress = { destination: destination.name, done: 0, total: open.reduce((a, x) => a + x.messages - x.done, 0) };
  if (progress.total > 0) options.onProgress?.(progress);
  // Refused alone with none taken after them yet: settled by the next message taken, which may be
  // the next delivery's (a refused message can end one).
  const held = new HeldRefusals();
  try {
    deliveries: for (const delivery of open) {
      const where: DeliveryKey = { runId: delivery.runId, destination: destination.name, key: delivery.key, calls: delivery.calls.join(',') };
      // The delivery's messages still to go, numbered in SPEC 4 order, read as one stream.
      const x = {
        runId: delivery.runId, definition: { key: delivery.key, kind: delivery.kind, entity: delivery.entity }, mode: delivery.mode, calls: delivery.calls,
        resultColumns: delivery.mode === 'state' ? await resultColumns(wh, s, stateTables, delivery.key) : undefined,
      };
      // A full state is made from the committed result: it cannot be without it.
      if (x.resultColumns?.length === 0) {
        errors.push(`delivery of ${delivery.key} (run ${delivery.runId}): its full state is made from ${s.result(delivery.key)}, which is gone`);
        break;
      }
      let done = delivery.done;
      // The last position read: ahead of the cursor while messages of this delivery are held.
      let read = done;
      for (const sql of createDeliveryChangesSql(d, s, x)) await wh.exec(sql);
      const messages = withValues(wh, () => wh.stream(messagesAfterSql(d, s, x, done), options.batchSize), options.readWhole ?? READ_WHOLE);
      // The warehouse reads the next batch while this one is rendered and sent.
      for await (const { value: rows, fetched } of readAhead(messages)) {
        if (options.maxMessages !== undefined && totals.sent + totals.alreadyDelivered >= options.maxMessages) break deliveries;
        // The cursor is only right if the batch continues the numbering exactly.
        rows.forEach((row, i) => {
          if (Number(row.position) !== read + 1 + i) throw new WarehouseError(`delivery of ${delivery.key}: message ${read + 1 + i} expected, ${String(row.position)} read`);
        });
        target ??= openDestination(destination, project.dir, options.open);
        let batch: RenderedBatch;
        try {
          batch = renderBatch(rows, (row) => renderMessage(toChange(row, delivery, descriptions, repeats), destination));
        } catch (e) {
          if (!(e instanceof EventNameError)) throw e;
          errors.push(`${e.message}: its messages stay pending until roster.yml is fixed`);
          break deliveries;
        }
        const outcome = await sendBatch(target, batch, reconcile, held.count);
        reconcile = outcome.reconcile;
        totals.sent += outcome.sent;
        totals.alreadyDelivered += outcome.already;
        errors.push(...batch.failures.map((f) => f.error), ...outcome.errors);

        read = Number(rows[rows.length - 1].position);
        const step = held.afterBatch(where, outcome, [...batch.failures, ...outcome.rejected], read);
        await fetched(); // one statement at a time on the connection
        for (const h of step.earlier) await recordCursor(wh, s, h.where, failedOf(h), h.upTo);
        await recordCursor(wh, s, where, step.failedBehind, step.reached > done ? step.reached : undefined);
        for (const h of step.settled) errors.push(...refusedLines(h.refused.map((f) => ({ id: f.messageId ?? '', reason: f.error }))).map((line) => `destination "${destination.name}": ${line}`));
        totals.failed += step.failedBehind.length + step.earlier.reduce((n, h) => n + failedOf(h).length, 0);
        // A held delivery's cursor waited before its first held message.
        progress.done += step.reached - done + step.earlier.reduce((n, h) => n + h.upTo - (h.first - 1), 0);
        options.onProgress?.(progress);
        done = step.reached;
        // The destination said why the held ones stay pending too.
        if (outcome.refusingEverything) held.release();
        // Later messages wait, to keep the order: unless only rejected ones failed.
        if (outcome.unsettled.length) break deliveries;
      }
      await wh.exec(dropDeliveryChangesSql(d));
      // Fewer messages than committed: what they are made of is gone. Say so; later ones wait.
      if (read < delivery.messages) {
        errors.push(`delivery of ${delivery.key} (run ${delivery.runId}): ${delivery.messages} messages were committed, only ${read} can be made from the state schema`);
        break;
      }
    }
    // Still held: nothing was taken after them. They stay pending, as the destination said.
    errors.push(...held.notes);
  } finally {
    await target?.close();
  }
}

/**
 * A delivery's scratch table at most this large is read whole, once: a first delivery of an
 * account trait over 100,000 accounts would otherwise look up most of them again in each of its
 * hundred batches, and a user-level one would scan the table once a batch. A larger one is looked
 * up batch by batch, so what is held stays within a batch. (A million small values hold about
 * 100 MB here.)
 */
const READ_WHOLE = { rows: 1_000_000, chars: 64 * 2 ** 20 };
/** Rows per read of a scratch table read whole. */
const WHOLE_READ_STEP = 100_000;

/**
 * Each batch of a delivery's numbered messages with the values of the change rows they send
 * (values_json), looked up by `ref` in the delivery's scratch table: the numbering never sorts
 * the values, and a value that an account trait sends to each of its users is read once a batch.
 */
async function* withValues(wh: Warehouse, numbered: () => AsyncIterable<Row[]>, readWhole: NonNullable<DeliverOptions['readWhole']>): AsyncGenerator<Row[]> {
  const d = wh.dialect;
  const [size] = await wh.query(deliveryChangesSizeSql(d));
  let whole: Map<number, unknown> | undefined;
  if (Number(size.n) <= readWhole.rows && Number(size.chars) <= readWhole.chars) {
    whole = new Map();
    // Read to its end before the numbering starts: one stream at a time on the connection.
    for await (const found of wh.stream(allValuesSql(d), WHOLE_READ_STEP)) byRef(found, whole);
  } else {
    for (const sql of d.lookupIndex(DELIVERY_CHANGES, 'ref')) await wh.exec(sql);
  }
  for await (const rows of numbered()) {
    const values = whole ?? byRef(await wh.query(valuesByRefSql(d), refsText([...new Set(rows.map((r) => Number(r.ref)))]), ['refs']));
    for (const row of rows) {
      row.values_json = values.get(Number(row.ref));
      if (row.values_json === undefined) throw new WarehouseError(`message ${String(row.position)}: its change row ${String(row.ref)} was not found in the delivery's scratch table`);
    }
    yield rows;
  }
}

/**
 * Adds change rows' values to `into` by ref. A ref that is not a whole number JavaScript holds
 * exactly, or one seen twice, would give a message another row's values: refused.
 */
function byRef(found: readonly Row[], into = new Map<number, unknown>()): Map<number, unknown> {
  for (const v of found) {
    const ref = Number(v.ref);
    if (!Number.isSafeInteger(ref) || into.has(ref)) throw new WarehouseError(`the delivery's scratch table has a change row ref that is ${into.has(ref) ? 'not unique' : 'not a whole number below 2^53'}: ${String(v.ref)}`);
    into.set(ref, v.values_json);
  }
  return into;
}

/** Records a delivery's failed messages and moves its cursor (when `to` is given), together. */
async function recordCursor(wh: Warehouse, s: StateNames, where: DeliveryKey, failed: readonly FailedMessage[], to?: number): Promise<void> {
  if (!failed.length && to === undefined) return;
  await wh.transaction(async () => {
    if (failed.length) await wh.exec(insertFailedSql(wh.dialect, s, where, failed));
    if (to !== undefined) await wh.exec(advanceDeliverySql(wh.dialect, s, where, to));
  });
}

/** One batch rendered: identical changes (same messageId) are one message, at all their positions. */
interface RenderedBatch {
  readonly messages: readonly SegmentMessage[];
  readonly positionsOf: ReadonlyMap<string, readonly number[]>;
  /** Changes that cannot become a message. */
  readonly failures: readonly FailedMessage[];
}

function renderBatch(rows: readonly Row[], render: (row: Row) => SegmentMessage): RenderedBatch {
  const messages: SegmentMessage[] = [];
  const positionsOf = new Map<string, number[]>();
  const failures: FailedMessage[] = [];
  for (const row of rows) {
    const position = Number(row.position);
    try {
      const message = render(row);
      const positions = positionsOf.get(message.messageId);
      if (positions) positions.push(position);
      else (positionsOf.set(message.messageId, [position]), messages.push(message));
    } catch (e) {
      // A destination's event-name template is configuration: fixed, the message can still be sent.
      if (e instanceof EventNameError) throw e;
      failures.push({ position, error: (e as Error).message });
    }
  }
  return { messages, positionsOf, failures };
}

/** What a destination made of one batch. */
interface BatchOutcome {
  readonly sent: number;
  /** Already held by the destination (a crash between sending and moving the cursor). */
  readonly already: number;
  /** Positions of messages refused as they are: recorded as failed, not re-sent. */
  readonly rejected: readonly FailedMessage[];
  /** Positions of messages not delivered that a later delivery should send again. */
  readonly unsettled: readonly number[];
  /** Messages refused alone with none taken after them (not in `unsettled`), by position: see Held. */
  readonly awaiting: readonly FailedMessage[];
  /** What the destination said of them. */
  readonly awaitingNote?: string;
  /** Stopped after too many refused in a row, counting the held ones: they stay pending too. */
  readonly refusingEverything?: boolean;
  readonly errors: readonly string[];
  /** Whether the next batch should be checked against the destination first. */
  readonly reconcile: boolean;
}

/** `refusedInARow`: messages held (see Held), which the destination counts toward its stop. */
async function sendBatch(target: DeliveryTarget, batch: RenderedBatch, reconcile: boolean, refusedInARow: number): Promise<BatchOutcome> {
  const positions = (ms: readonly SegmentMessage[]) => ms.flatMap((m) => batch.positionsOf.get(m.messageId)!);
  let toSend = batch.messages;
  let already = 0;
  if (reconcile) {
    let held: Set<string>;
    try {
      held = await target.alreadyDelivered(toSend.map((m) => m.messageId));
    } catch (e) {
      // Unknown whether any is there: all stay pending, and the next try asks again.
      if (!(e instanceof DeliveryError)) throw e;
      return { sent: 0, already: 0, rejected: [], unsettled: positions(toSend), awaiting: [], errors: [e.message], reconcile };
    }
    already = held.size;
    toSend = toSend.filter((m) => !held.has(m.messageId));
    reconcile = held.size === batch.messages.length && batch.messages.length > 0;
  }
  const outcome = { sent: toSend.length, already, rejected: [] as FailedMessage[], unsettled: [] as number[], awaiting: [] as FailedMessage[], errors: [] as string[], reconcile };
  if (toSend.length === 0) return outcome;
  try {
    await target.send(toSend, { refusedInARow });
    crashPoint('mid-delivery');
    return outcome;
  } catch (e) {
    if (!(e instanceof DeliveryError)) throw e;
    const notDelivered = new Set(e.failedMessageIds);
    const rejected = new Set(e.rejectedMessageIds);
    const awaiting = new Set(e.awaitingVerdict);
    const failedAt = (ms: readonly SegmentMessage[]): FailedMessage[] => ms
      .flatMap((m) => batch.positionsOf.get(m.messageId)!.map((position) => ({ position, messageId: m.messageId, error: e.reasons.get(m.messageId) ?? e.message })))
      .sort((a, b) => a.position - b.position);
    return {
      ...outcome,
      sent: toSend.filter((m) => !notDelivered.has(m.messageId)).length,
      rejected: failedAt(toSend.filter((m) => rejected.has(m.messageId))),
      unsettled: positions(toSend.filter((m) => notDelivered.has(m.messageId) && !rejected.has(m.messageId) && !awaiting.has(m.messageId))),
      awaiting: failedAt(toSend.filter((m) => awaiting.has(m.messageId))),
      // What it says of the awaiting messages waits for their verdict (see Held).
      awaitingNote: e.awaitingNote,
      refusingEverything: e.refusingEverything,
      errors: awaiting.size ? (e.besidesAwaiting ? [e.besidesAwaiting] : []) : [e.message],
    };
  }
}

/** The columns of a definition's committed result; none when the table is gone (`stateTables`: read under the lock, so still true). */
async function resultColumns(wh: Warehouse, s: StateNames, stateTables: SourceCatalog, key: string): Promise<readonly { name: string; type: string }[]> {
  if (!stateTables.has(key)) return [];
  return wh.describe(s.result(key));
}

function toOpenDelivery(r: Row): OpenDelivery {
  return {
    runId: Number(r.run_id), key: String(r.definition_key), kind: String(r.definition_kind), entity: String(r.entity),
    mode: String(r.mode) as OpenDelivery['mode'], calls: String(r.calls).split(',') as CallType[],
    messages: Number(r.messages), done: Number(r.done), asOf: String(r.as_of),
    eventNames: r.event_names === null || r.event_names === undefined ? undefined : JSON.parse(String(r.event_names)) as OpenDelivery['eventNames'],
    asOfRepeat: r.as_of_repeat === null || r.as_of_repeat === undefined ? undefined : Number(r.as_of_repeat),
  };
}

/** The word a code of messagesAfterSql stands for; NULL (a word the CASE did not know) is an error. */
function decoded<T>(words: readonly T[], code: unknown, what: string): T {
  const word = code === null || code === undefined ? undefined : words[Number(code)];
  if (word === undefined) throw new Error(`unknown ${what} in the outbox (code ${String(code)})`);
  return word;
}

function toChange(row: Row, delivery: OpenDelivery, descriptions: ReadonlyMap<string, string | undefined>, repeats: ReadonlyMap<number, number>): Change {
  const kind = delivery.kind as Change['definitionKind'];
  return {
    definitionKey: delivery.key,
    definitionKind: kind,
    computationClass: kind === 'audience' ? 'audience' : 'trait',
    call: decoded(CALL_CODES, row.call_code, 'call type'),
    kind: decoded(CHANGE_KIND_CODES, row.kind_code, 'change kind'),
    userId: row.user_id === null || row.user_id === undefined ? undefined : String(row.user_id),
    groupId: row.group_id === null || row.group_id === undefined ? undefined : String(row.group_id),
    values: JSON.parse(String(row.values_json)) as Record<string, unknown>,
    asOf: delivery.asOf,
    // A delivery an earlier roster committed has no count of its own: that roster's, of the run.
    asOfRepeat: delivery.asOfRepeat ?? repeats.get(delivery.runId) ?? 0,
    description: descriptions.get(delivery.key),
    entity: delivery.entity as Change['entity'],
    eventNames: delivery.eventNames,
  };
}

/** run_id -> how many earlier committed runs had the same as_of: the messageIds' count for a delivery an earlier roster committed. */
function legacyAsOfRepeats(runs: readonly Row[]): Map<number, number> {
  const seen = new Map<string, number>();
  const repeats = new Map<number, number>();
  for (const r of runs) {
    const asOf = String(r.as_of);
    const n = seen.get(asOf) ?? 0;
    repeats.set(Number(r.run_id), n);
    seen.set(asOf, n + 1);
  }
  return repeats;
}
