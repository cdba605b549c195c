import { DeliveryInterrupted, type DeliveryReport, type DestinationTally } from './deliver-outbox.js';
import type { RunReport } from './run-project.js';

/**
 * A run as data, for scripts and schedulers: what `run --json` prints and the library's `run`
 * returns. Keys are stable; counts are entities (entered / exited / changed) and messages written
 * to the outbox per destination.
 */
export function runSummary(report: RunReport, delivery: DeliveryReport | DeliveryInterrupted | undefined, timingsMs: Record<string, number>) {
  const deliveryData = delivery ? deliverySummary(delivery) : null;
  return {
    as_of: report.asOf.toISOString(),
    run_id: report.runId ?? null,
    dry_run: report.dryRun,
    ok: report.ok && (deliveryData?.ok ?? true),
    definitions: report.outcomes.map((o) => ({
      key: o.key,
      kind: o.kind,
      entity: o.entity,
      selected: o.selected,
      status: o.status,
      rows: o.rows ?? null,
      first_run: o.emission?.firstRun ?? null,
      edited: o.emission?.edited ?? null,
      entered: o.emission?.entered ?? null,
      exited: o.emission?.exited ?? null,
      changed: o.emission?.changed ?? null,
      messages: Object.fromEntries((o.emission?.destinations ?? []).map((x) => [x.name, x.messages])),
      full_state: (o.emission?.destinations ?? []).filter((x) => x.full).map((x) => x.name),
      full_state_calls: Object.fromEntries((o.emission?.destinations ?? []).filter((x) => x.fullCalls).map((x) => [x.name, x.fullCalls])),
      warnings: o.warnings,
      error: o.error ?? null,
    })),
    delivery: deliveryData,
    timings_ms: timingsMs,
  };
}

/** A delivery as data; one a failure stopped partway (DeliveryInterrupted) has `error` and no pending counts. */
export function deliverySummary(report: DeliveryReport | DeliveryInterrupted) {
  const done = report instanceof DeliveryInterrupted ? undefined : report;
  return {
    ok: done?.ok ?? false,
    pending: done?.pending ?? null,
    // This delivery's, as a scheduler alerts on; every failure kept in _failed_messages apart.
    failed: report.destinations.reduce((n, x) => n + x.failed, 0),
    failed_in_all: done?.failed ?? null,
    destinations: report.destinations.map((x: DestinationTally & { pending?: number }) => ({
      destination: x.destination, sent: x.sent, already_delivered: x.alreadyDelivered, failed: x.failed, pending: x.pending ?? null, errors: x.errors,
    })),
    orphaned: done?.orphaned ?? null,
    error: report instanceof DeliveryInterrupted ? report.message : null,
  };
}

/** What `deliver --json` prints and the library's `deliver` returns: the delivery, and its time. */
export function deliverSummary(report: DeliveryReport | DeliveryInterrupted, timingsMs: Record<string, number>) {
  const delivery = deliverySummary(report);
  return { ok: delivery.ok, delivery, timings_ms: timingsMs };
}

export type RunSummary = ReturnType<typeof runSummary>;
export type DeliverSummary = ReturnType<typeof deliverSummary>;
export type DeliverySummary = ReturnType<typeof deliverySummary>;
