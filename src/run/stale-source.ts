import type { SourceCatalog } from '../compiler/context.js';
import { sentText } from '../compiler/sources.js';
import { EVENTS_TABLE, type ProjectConfig } from '../definitions/project-config.js';
import type { Warehouse } from '../warehouse/warehouse.js';

/** How far behind as_of the newest event may be before a run at "now" looks like a slip. */
const STALE_AFTER = { amount: 7, unit: 'day' } as const;
export const STALE_AFTER_MS = STALE_AFTER.amount * 24 * 3600 * 1000;

/**
 * Why an as_of left to its default (now) is likely a slip, or undefined: the newest event is more
 * than a week before it, so every window over the events is empty (the demo's data of 2024, a
 * load that stopped). Reads one max(timestamp) of the events table.
 */
export async function staleSourceWarning(wh: Warehouse, config: ProjectConfig, catalog: SourceCatalog, asOf: string): Promise<string | undefined> {
  const d = wh.dialect;
  const table = EVENTS_TABLE[config.source.layout];
  const type = catalog.get(table)?.get('timestamp');
  if (type === undefined) return undefined;
  const ts = d.quoteIdent('timestamp');
  // Written as messages write an instant (2024-06-05T10:00:00.000Z), not in the engine's own way.
  const newest = sentText(d, `max(${ts})`, type) ?? d.castText(`max(${ts})`);
  const [row] = await wh.query(
    `SELECT ${newest} AS newest, max(${ts}) <= ${d.timestampMinus(d.asOf(), STALE_AFTER)} AS stale FROM ${d.qualify(config.source.schema, table)}`,
    { as_of: asOf }, ['as_of'],
  );
  if (row?.stale !== true) return undefined;
  return `the newest event in ${config.source.schema}.${table} is at ${String(row.newest)}, more than a week before as_of ${asOf} (now, as --as-of was not given): `
    + 'windows such as "last 30 days" hold nothing then; pass --as-of to compute at another instant';
}
