import { buildGraph } from '../../definitions/graph.js';
import { loadProjectWarning } from '../load.js';
import type { Project } from '../../definitions/project.js';
import { finishRun, runStatus } from '../../run/commit.js';
import { deliverOutbox, DeliveryInterrupted, type DeliveryReport, type DestinationTally } from '../../run/deliver-outbox.js';
import { runSummary } from '../../run/summary.js';
import { AsOfError, futureAsOfWarning, runProject, type RunReport } from '../../run/run-project.js';
import { stateNames } from '../../state/state-tables.js';
import { openWarehouse } from '../../warehouse/open.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { indentedLines, oneLine } from '../../support/terminal-text.js';
import { UsageError, warn } from '../errors.js';
import { parseAsOf } from '../options.js';
import { progressDisplay, StageClock, stageBucket, type ProgressDisplay, type ProgressEvent } from '../progress.js';
import { JsonSummary, messagesOnTerminal, reportSink } from '../report-streams.js';
import { formatTable } from '../table.js';

export interface RunFlags { select?: string[]; asOf?: string; dryRun?: boolean; quiet?: boolean; json?: boolean }

export async function runCommand(dir: string, flags: RunFlags): Promise<number> {
  const json = new JsonSummary(Boolean(flags.json));
  return json.around(() => runReporting(dir, flags, json));
}

async function runReporting(dir: string, flags: RunFlags, json: JsonSummary): Promise<number> {
  const started = performance.now();
  const project = await loadProjectWarning(dir);
  json.project = project;
  const graph = buildGraph(project.definitions);
  const asOf = parseAsOf(flags.asOf);
  if (flags.select?.length) graph.select(flags.select); // unknown keys: exit 1 before touching the warehouse
  if (!flags.dryRun && asOf.getTime() > Date.now() + 60_000) warn(futureAsOfWarning(asOf));
  const out = reportSink(project);
  const kinds = new Map(project.definitions.map((x) => [x.key, x.kind]));
  const clock = new StageClock(stageBucket((k) => kinds.get(k)));
  const progress = progressDisplay({ quiet: flags.quiet || messagesOnTerminal(project), total: flags.select?.length ? undefined : graph.order.length });
  const stage = (event: { stage: string; key?: string }) => {
    clock.mark(event);
    progress.update(event);
  };
  stage({ stage: 'setup' });
  const wh = await openWarehouse(project, { allowMemory: flags.dryRun, readOnly: flags.dryRun, onMissing: warn }).catch((e: unknown) => {
    progress.done();
    throw e;
  });
  try {
    let report: RunReport;
    try {
      report = await runProject(project, graph, wh, {
        asOf, select: flags.select, dryRun: flags.dryRun, onProgress: stage, asOfIsNow: flags.asOf === undefined, onWarning: warn,
      });
    } catch (e) {
      if (e instanceof AsOfError) throw new UsageError(e.message);
      throw e;
    }
    if (!json.enabled) {
      progress.clear(); // the table is printed as soon as it is known; delivery may take a while
      printReport(report, out);
    }
    /** With --json: the problems and delivery errors on stderr, then the summary. */
    const printJson = (delivery: DeliveryReport | DeliveryInterrupted | undefined) => {
      printProblems(report);
      if (delivery instanceof DeliveryInterrupted) printInterrupted(delivery, () => undefined);
      else if (delivery) printDelivery(delivery, () => undefined);
      json.print(runSummary(report, delivery, { ...clock.finish(), total: Math.round(performance.now() - started) }));
    };
    let delivery: DeliveryReport | undefined;
    if (!report.dryRun) {
      stage({ stage: 'delivery' });
      // The run is committed: a delivery stopped partway still says what got out.
      delivery = await deliverReporting(project, wh, progress, (e) => (json.enabled ? printJson(e) : printInterrupted(e, out)));
      stage({ stage: 'finish' });
      const s = stateNames(wh.dialect, project.config.state.schema);
      await finishRun(wh, s, report.runId!, runStatus(report, delivery));
    }
    progress.done();
    if (json.enabled) printJson(delivery);
    else if (delivery) printDelivery(delivery, out);
    return report.ok && (delivery?.ok ?? true) ? 0 : 2;
  } finally {
    progress.done();
    await wh.close();
  }
}

/** One row per definition: what it computed and what it emits, messages per destination. */
/** The table goes to `out`; warnings and errors always to stderr. */
export function printReport(report: RunReport, out: (s: string) => void = (s) => console.error(s), err: (s: string) => void = (s) => console.error(s)): void {
  const destinations = [...new Set(report.outcomes.flatMap((o) => o.emission?.destinations.map((x) => x.name) ?? []))];
  const rows = [['definition', 'kind', 'entity', 'status', 'rows', 'entered', 'exited', 'changed', ...destinations]];
  for (const o of report.outcomes) {
    const e = o.emission;
    const perDestination = destinations.map((name) => {
      const x = e?.destinations.find((y) => y.name === name);
      const full = x?.fullCalls ? ` (full ${x.fullCalls.join(', ')})` : x?.full && !e!.firstRun ? ' (full)' : '';
      return x ? `${x.messages}${full}` : '';
    });
    const status = o.status !== 'ok' ? o.status : e?.firstRun ? 'ok (first run)' : e?.edited ? 'ok (edited)' : 'ok';
    rows.push([
      o.key + (o.selected ? '' : ' (upstream)'), o.kind, o.entity, status, o.rows === undefined ? '' : String(o.rows),
      e ? String(e.entered) : '', e ? String(e.exited) : '', e ? String(e.changed) : '', ...perDestination,
    ]);
  }
  out(`roster run at ${report.asOf.toISOString()}${report.dryRun ? ' (dry run: nothing written or sent)' : ` (run ${report.runId})`}`);
  out(formatTable(rows));
  printProblems(report, err);
  const failed = report.outcomes.filter((o) => o.status !== 'ok').length;
  const n = report.outcomes.length;
  out(failed ? `${failed} definition${failed > 1 ? 's' : ''} failed or skipped; their last committed state is kept` : `${n} definition${n === 1 ? '' : 's'} ok`);
}

/** Warnings, failures and skips: always on stderr, with the table or with --json. */
export function printProblems(report: RunReport, err: (s: string) => void = (s) => console.error(s)): void {
  for (const o of report.outcomes) {
    for (const w of o.warnings) err(`warning: ${o.key}: ${oneLine(w)}`);
    if (o.status === 'failed') err(`error: ${o.key}: ${indentedLines(o.error ?? '')}`);
    if (o.status === 'skipped') err(`skipped: ${o.key}: ${indentedLines(o.error ?? '')}`);
  }
}

/**
 * Delivers what is pending, with progress. A delivery the warehouse stops partway is told to
 * `interrupted` (what each destination got) before its error goes on to the command's exit.
 */
export async function deliverReporting(project: Project, wh: Warehouse, progress: ProgressDisplay, interrupted: (e: DeliveryInterrupted) => void): Promise<DeliveryReport> {
  try {
    return await deliverOutbox(project, wh, { onProgress: (e) => progress.update(deliveryProgress(e)) });
  } catch (e) {
    if (e instanceof DeliveryInterrupted) {
      progress.done();
      interrupted(e);
    }
    throw e;
  }
}

/** A delivery step as a progress line: "delivery crm 1,200,000/18,490,934 messages". */
export function deliveryProgress(e: { destination: string; done: number; total: number }): ProgressEvent {
  return { stage: 'delivery', key: e.destination, detail: `${e.done.toLocaleString('en-US')}/${e.total.toLocaleString('en-US')} messages` };
}

/** "crm: 10 sent, 2 failed, 3 pending" and its first errors, for a destination with anything to say. */
function printDestination(x: DestinationTally & { pending?: number }, out: (s: string) => void, err: (s: string) => void): void {
  const idle = x.sent === 0 && x.alreadyDelivered === 0 && x.failed === 0;
  // After an interruption pending is unknown: a destination that had failed before shows by its errors.
  if (idle && (x.pending === undefined ? x.errors.length === 0 : x.pending === 0)) return;
  const parts = [`${x.sent} sent`];
  // A crash, or a send that failed after part of it arrived (a write error midway, a timeout
  // after the endpoint took the batch): the destination held them, so they were not sent again.
  if (x.alreadyDelivered) parts.push(`${x.alreadyDelivered} already at the destination from an interrupted delivery`);
  if (x.failed) parts.push(`${x.failed} failed`);
  if (x.pending) parts.push(`${x.pending} pending`);
  out(`${x.destination}: ${parts.join(', ')}`);
  for (const e of x.errors.slice(0, 5)) err(`error: ${indentedLines(e)}`);
}

/** What each destination got before a failure stopped the delivery; the failure itself is the command's error. */
export function printInterrupted(e: DeliveryInterrupted, out: (s: string) => void, err: (s: string) => void = (s) => console.error(s)): void {
  for (const x of e.destinations) printDestination(x, out, err);
}

export function printDelivery(report: DeliveryReport, out: (s: string) => void, err: (s: string) => void = (s) => console.error(s)): void {
  for (const x of report.destinations) printDestination(x, out, err);
  let orphaned = 0;
  for (const [name, n] of Object.entries(report.orphaned)) {
    orphaned += n;
    err(`warning: ${n} message${n > 1 ? 's are' : ' is'} pending for destination "${name}", which roster.yml no longer lists: list it again to send them (meanwhile it is told nothing; listed again, it gets each definition's full state, which does not tell it of members who left or values emptied in between)`);
  }
  const deliverable = report.pending - orphaned;
  if (deliverable > 0) err(`${deliverable} message${deliverable > 1 ? 's' : ''} pending in the outbox: \`roster deliver\` (or the next run) sends them`);
  // Said when it happens, not at every later run: the table keeps them for whoever looks.
  const failedNow = report.destinations.reduce((n, x) => n + x.failed, 0);
  if (failedNow) err(`${failedNow} message${failedNow > 1 ? 's' : ''} failed in this delivery and will not be re-sent as they are (${report.failed} in all: see the _failed_messages table in the state schema)`);
}
