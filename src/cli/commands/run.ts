import { buildGraph } from '../../definitions/graph.js';
import { loadProject } from '../../definitions/load-project.js';
import { runProject, type RunReport } from '../../run/run-project.js';
import { openWarehouse } from '../../warehouse/open.js';
import { parseAsOf } from '../options.js';
import { formatTable } from '../table.js';

export interface RunFlags { select?: string[]; asOf?: string; dryRun?: boolean }

export async function runCommand(dir: string, flags: RunFlags): Promise<number> {
  const project = await loadProject(dir);
  const graph = buildGraph(project.definitions);
  const asOf = parseAsOf(flags.asOf);
  if (flags.select?.length) graph.select(flags.select); // unknown keys: exit 1 before touching the warehouse
  const wh = await openWarehouse(project, { allowMemory: flags.dryRun });
  try {
    const report = await runProject(project, graph, wh, { asOf, select: flags.select, dryRun: flags.dryRun });
    printReport(report, Boolean(flags.dryRun));
    return report.ok ? 0 : 2;
  } finally {
    await wh.close();
  }
}

export function printReport(report: RunReport, dryRun: boolean, out: (s: string) => void = (s) => console.error(s)): void {
  const rows = [['definition', 'kind', 'entity', 'status', 'rows']];
  for (const o of report.outcomes) {
    rows.push([o.key + (o.selected ? '' : ' (upstream)'), o.kind, o.entity, o.status, o.rows === undefined ? '' : String(o.rows)]);
  }
  out(`roster run at ${report.asOf.toISOString()}${dryRun ? ' (dry run: nothing written)' : ''}`);
  out(formatTable(rows));
  for (const o of report.outcomes) {
    for (const w of o.warnings) out(`warning: ${o.key}: ${w}`);
    if (o.status === 'failed') out(`error: ${o.key}: ${o.error}`);
    if (o.status === 'skipped') out(`skipped: ${o.key}: ${o.error}`);
  }
  const failed = report.outcomes.filter((o) => o.status !== 'ok').length;
  out(failed ? `${failed} definition${failed > 1 ? 's' : ''} failed or skipped; their last committed state is kept` : `${report.outcomes.length} definitions ok`);
}
