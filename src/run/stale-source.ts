import type { SourceCatalog } from '../compiler/context.js';
import { EVENTS_TABLE, type ProjectConfig } from '../definitions/project-config.js';
import type { Warehouse } from '../warehouse/warehouse.js';

/** How far behind as_of the newest event may be before a run at "now" looks like a slip. */
const STALE_AFTER = { amount: 7, unit: 'day' } as const;

/**
 * Why an as_of left to its default (now) is likely a slip, or undefined: the newest event is more
 * than a week before it, so every window over the events is empty (the demo's data of 2024, a
 * load that stopped). Reads one max(timestamp) of the events table.
 */
export async function staleSourceWarning(wh: Warehouse, config: ProjectConfig, catalog: SourceCatalog, asOf: string): Promise<string | undefined> {
  const d = wh.dialect;
  const table = EVENTS_TABLE[config.source.layout];
  if (!catalog.get(table)?.has('timestamp')) return undefined;
  const ts = d.quoteIdent('timestamp');
  const [row] = await wh.query(
    `SELECT ${d.castText(`max(${ts})`)} AS newest, max(${ts}) <= ${d.timestampMinus(d.asOf(), STALE_AFTER)} AS stale FROM ${d.qualify(config.source.schema, table)}`,
    { as_of: asOf }, ['as_of'],
  );
  if (row?.stale !== true) return undefined;
  return `the newest event in ${config.source.schema}.${table} is at ${String(row.newest)}, more than a week before as_of ${asOf} (now, as --as-of was not given): `
    + 'windows such as "last 30 days" hold nothing then; pass --as-of to compute at another instant';
}
