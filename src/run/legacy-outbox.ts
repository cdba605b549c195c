import type { SourceCatalog } from '../compiler/context.js';
import { WarehouseError, type Warehouse } from '../warehouse/warehouse.js';
import type { StateNames } from '../state/state-tables.js';

/** The outbox table of earlier roster builds: one row per message, with a status. */
const LEGACY_OUTBOX = '_outbox';

/**
 * Refuses to go on while a state schema holds messages still pending in the earlier outbox
 * format, which this version neither reads nor sends: carrying on would silently drop them.
 * `stateTables`: the state schema's catalog, as the caller read it.
 */
export async function refuseLegacyPending(wh: Warehouse, s: StateNames, stateTables: SourceCatalog): Promise<void> {
  const problem = await legacyPending(wh, s, stateTables);
  if (problem) throw new WarehouseError(problem);
}

/** What refuseLegacyPending refuses, said (a dry run warns of it: the real run would stop there). */
export async function legacyPending(wh: Warehouse, s: StateNames, stateTables: SourceCatalog): Promise<string | undefined> {
  if (!stateTables.has(LEGACY_OUTBOX)) return undefined;
  const table = wh.dialect.qualify(s.schema, LEGACY_OUTBOX);
  const [{ n }] = await wh.query(`SELECT count(*) AS n FROM ${table} WHERE status = 'pending'`);
  if (Number(n) === 0) return undefined;
  return `the state schema ${s.schema} holds ${n} message${Number(n) > 1 ? 's' : ''} not yet marked delivered in the outbox of an earlier roster (table ${LEGACY_OUTBOX}), `
    + `which this version does not send: deliver them with the version that wrote them, or drop ${s.schema}.${LEGACY_OUTBOX} to discard them`;
}
