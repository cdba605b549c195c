import { loadProjectForDelivery } from '../../definitions/load-project.js';
import { DeliveryInterrupted, type DeliveryReport } from '../../run/deliver-outbox.js';
import { openWarehouse } from '../../warehouse/open.js';
import { warn } from '../errors.js';
import { progressDisplay } from '../progress.js';
import { JsonSummary, messagesOnTerminal, reportSink } from '../report-streams.js';
import { deliverSummary } from '../../run/summary.js';
import { deliverReporting, printDelivery, printInterrupted } from './run.js';

export interface DeliverFlags { quiet?: boolean; json?: boolean }

/** Sends what is pending in the outbox, nothing else (SPEC 5). Exit 2 when some stays pending. */
export async function deliverCommand(dir: string, flags: DeliverFlags = {}): Promise<number> {
  const json = new JsonSummary(Boolean(flags.json));
  return json.around(() => deliverPending(dir, flags, json));
}

async function deliverPending(dir: string, flags: DeliverFlags, json: JsonSummary): Promise<number> {
  const started = performance.now();
  const project = await loadProjectForDelivery(dir, warn);
  json.project = project;
  const out = reportSink(project);
  const wh = await openWarehouse(project, { emptyIfMissing: true, onMissing: warn });
  const progress = progressDisplay({ quiet: flags.quiet || messagesOnTerminal(project) });
  try {
    progress.update({ stage: 'delivery' });
    /** With --json: delivery errors on stderr, then the summary. */
    const printJson = (delivery: DeliveryReport | DeliveryInterrupted) => {
      if (delivery instanceof DeliveryInterrupted) printInterrupted(delivery, () => undefined);
      else printDelivery(delivery, () => undefined);
      json.print(deliverSummary(delivery, { total: Math.round(performance.now() - started) }));
    };
    const report = await deliverReporting(project, wh, progress, (e) => (json.enabled ? printJson(e) : printInterrupted(e, out)));
    progress.done();
    if (json.enabled) {
      printJson(report);
    } else {
      printDelivery(report, out);
      if (report.destinations.every((x) => x.sent === 0 && x.alreadyDelivered === 0) && report.pending === 0 && report.destinations.every((x) => x.failed === 0)) out('nothing pending');
    }
    return report.ok ? 0 : 2;
  } finally {
    progress.done();
    await wh.close();
  }
}
