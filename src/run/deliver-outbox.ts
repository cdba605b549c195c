import type { Destination } from '../definitions/project-config.js';
import type { Project } from '../definitions/project.js';
import { DeliveryError, openDestination, type DeliveryTarget, type OpenOptions } from '../destinations/index.js';
import { compileEventNames, renderMessage, type Change, type SegmentMessage } from '../emit/index.js';
import { committedRunsSql, markOutboxSql, markSentSql, outboxStatusSql, pendingBatchSql, pendingCountSql, type OutboxMark } from '../state/outbox-sql.js';
import { INTERNAL, stateNames, type StateNames } from '../state/state-tables.js';
import type { Row, Warehouse } from '../warehouse/warehouse.js';
import { crashPoint } from './crash-point.js';

export interface DeliverOptions {
  /** Hooks for destinations (tests, CLI). */
  readonly open?: OpenOptions;
  /** Outbox rows rendered and sent per step (default 1000). */
  readonly batchSize?: number;
}

/** What happened to one destination's pending messages. */
export interface DestinationDelivery {
  readonly destination: string;
  readonly sent: number;
  /** Pending rows the destination already held (a crash between sending and marking). */
  readonly alreadyDelivered: number;
  /** Newly marked failed: they cannot be delivered as they are (rejected, or not renderable). */
  readonly failed: number;
  /** Still pending after this delivery. */
  readonly pending: number;
  readonly errors: readonly string[];
}

export interface DeliveryReport {
  readonly destinations: readonly DestinationDelivery[];
  /** Rows still pending, including those of destinations no longer in roster.yml. */
  readonly pending: number;
  /** Rows in status failed (this delivery's and earlier ones'). */
  readonly failed: number;
  readonly ok: boolean;
  /** Pending rows of destinations that roster.yml no longer lists: name -> rows. */
  readonly orphaned: Readonly<Record<string, number>>;
}

/**
 * Drains the outbox (SPEC 4): per destination, pending rows in seq order are rendered and sent
 * batch by batch, then marked sent. After a crash the destination is first asked which of the
 * next pending messages it already holds (jsonl reads its tail), and those are only marked.
 * A failing destination keeps its rows pending (in order) and delivery moves to the next one.
 */
export async function deliverOutbox(project: Project, wh: Warehouse, options: DeliverOptions = {}): Promise<DeliveryReport> {
  const s = stateNames(wh.dialect, project.config.state.schema);
  await wh.lockRun(project.config.state.schema);
  if (!(await wh.catalog(s.schema)).has(INTERNAL.outbox)) return { destinations: [], pending: 0, failed: 0, ok: true, orphaned: {} };
  const results: DestinationDelivery[] = [];
  for (const destination of project.config.destinations) {
    results.push(await deliverTo(project, wh, s, destination, options));
  }
  const configured = new Set(project.config.destinations.map((x) => x.name));
  let pending = 0;
  let failed = 0;
  const orphaned: Record<string, number> = {};
  for (const r of await wh.query(outboxStatusSql(s))) {
    const n = Number(r.n);
    if (r.status === 'pending') pending += n;
    if (r.status === 'failed') failed += n;
    if (r.status === 'pending' && !configured.has(String(r.destination))) orphaned[String(r.destination)] = n;
  }
  return { destinations: results, pending, failed, ok: pending === 0 && results.every((r) => r.failed === 0), orphaned };
}

async function deliverTo(project: Project, wh: Warehouse, s: StateNames, destination: Destination, options: DeliverOptions): Promise<DestinationDelivery> {
  const d = wh.dialect;
  const batchSize = options.batchSize ?? 5000;
  const descriptions = new Map(project.definitions.map((x) => [x.key, x.description]));
  const errors: string[] = [];
  let sent = 0;
  let already = 0;
  let failed = 0;
  let afterSeq = 0;
  let target: DeliveryTarget | undefined;
  // Until a batch turns out not to be (entirely) at the destination, ask before sending.
  let reconcile = true;
  let firstSend = true;
  const mark = async (rows: readonly OutboxMark[], status: 'sent' | 'failed' | 'pending', error?: string) => {
    if (status === 'sent') {
      if (rows.length) await wh.exec(markSentSql(s, rows.map((r) => r.seq)));
      return;
    }
    for (let i = 0; i < rows.length; i += 1000) await wh.exec(markOutboxSql(d, s, rows.slice(i, i + 1000), status, error));
  };
  const repeats = asOfRepeats(await wh.query(committedRunsSql(s)));
  const pendingNow = async () => Number((await wh.query(pendingCountSql(d, s, destination.name)))[0].n);
  try {
    compileEventNames(destination); // a broken template is a configuration error: keep everything pending
  } catch (e) {
    return { destination: destination.name, sent, alreadyDelivered: already, failed, pending: await pendingNow(), errors: [(e as Error).message] };
  }
  try {
    for (;;) {
      const rows = await wh.query(pendingBatchSql(d, s, destination.name, afterSeq, batchSize));
      if (rows.length === 0) break;
      afterSeq = Number(rows[rows.length - 1].seq);
      target ??= openDestination(destination, project.dir, options.open);

      // Identical changes (same messageId) are one message: sent once, every row marked.
      const messages: SegmentMessage[] = [];
      const seqsOf = new Map<string, number[]>();
      const unrenderable: { seq: number; error: string }[] = [];
      for (const row of rows) {
        try {
          const message = renderMessage(toChange(row, descriptions, repeats), destination);
          const seqs = seqsOf.get(message.messageId);
          if (seqs) seqs.push(Number(row.seq));
          else (seqsOf.set(message.messageId, [Number(row.seq)]), messages.push(message));
        } catch (e) {
          unrenderable.push({ seq: Number(row.seq), error: (e as Error).message });
        }
      }
      for (const u of unrenderable) {
        await mark([{ seq: u.seq }], 'failed', u.error);
        errors.push(u.error);
      }
      failed += unrenderable.length;
      const marks = (ms: readonly SegmentMessage[]) => ms.flatMap((m) => seqsOf.get(m.messageId)!.map((seq) => ({ seq, messageId: m.messageId })));

      let toSend = messages;
      if (reconcile) {
        const held = await target.alreadyDelivered(messages.map((m) => m.messageId));
        if (held.size) {
          await mark(marks(messages.filter((m) => held.has(m.messageId))), 'sent');
          already += held.size;
          toSend = messages.filter((m) => !held.has(m.messageId));
        }
        reconcile = held.size === messages.length && messages.length > 0;
      }
      if (toSend.length === 0) continue;
      try {
        await target.send(toSend);
      } catch (e) {
        if (!(e instanceof DeliveryError)) throw e;
        const notDelivered = new Set(e.failedMessageIds);
        const rejected = new Set(e.rejectedMessageIds);
        const delivered = toSend.filter((m) => !notDelivered.has(m.messageId));
        await mark(marks(delivered), 'sent');
        sent += delivered.length;
        const rejectedMessages = toSend.filter((m) => rejected.has(m.messageId));
        await mark(marks(rejectedMessages), 'failed', e.message);
        failed += rejectedMessages.length;
        await mark(marks(toSend.filter((m) => notDelivered.has(m.messageId) && !rejected.has(m.messageId))), 'pending', e.message);
        errors.push(e.message);
        // Later messages wait, to keep the order: unless only rejected ones failed.
        if (e.retryable) break;
        continue;
      }
      if (firstSend) crashPoint('mid-delivery');
      firstSend = false;
      await mark(marks(toSend), 'sent');
      sent += toSend.length;
    }
  } finally {
    await target?.close();
  }
  return { destination: destination.name, sent, alreadyDelivered: already, failed, pending: await pendingNow(), errors };
}

function toChange(row: Row, descriptions: ReadonlyMap<string, string | undefined>, repeats: ReadonlyMap<number, number>): Change {
  const key = String(row.definition_key);
  const kind = String(row.definition_kind) as Change['definitionKind'];
  return {
    definitionKey: key,
    definitionKind: kind,
    computationClass: kind === 'audience' ? 'audience' : 'trait',
    call: String(row.call_type) as Change['call'],
    kind: String(row.change_kind) as Change['kind'],
    userId: row.user_id === null || row.user_id === undefined ? undefined : String(row.user_id),
    groupId: row.group_id === null || row.group_id === undefined ? undefined : String(row.group_id),
    values: JSON.parse(String(row.values_json)) as Record<string, unknown>,
    asOf: String(row.as_of),
    asOfRepeat: repeats.get(Number(row.run_id)) ?? 0,
    description: descriptions.get(key),
    entity: String(row.entity) as Change['entity'],
  };
}

/** run_id -> how many earlier committed runs had the same as_of (part of the messageId). */
function asOfRepeats(runs: readonly Row[]): Map<number, number> {
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
