import { loadProject } from '../../definitions/load-project.js';
import { deliverOutbox } from '../../run/deliver-outbox.js';
import { openWarehouse } from '../../warehouse/open.js';
import { printDelivery, reportSink } from './run.js';

/** Sends what is pending in the outbox, nothing else (SPEC 5). Exit 2 when some stays pending. */
export async function deliverCommand(dir: string): Promise<number> {
  const project = await loadProject(dir);
  const out = reportSink(project);
  const wh = await openWarehouse(project);
  try {
    const report = await deliverOutbox(project, wh);
    printDelivery(report, out);
    if (report.destinations.every((x) => x.sent === 0 && x.alreadyDelivered === 0) && report.pending === 0 && report.failed === 0) out('nothing pending');
    return report.ok ? 0 : 2;
  } finally {
    await wh.close();
  }
}
