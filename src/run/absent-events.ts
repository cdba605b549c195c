import type { SourceCatalog } from '../compiler/context.js';
import { segmentSlug } from '../compiler/names.js';
import type { Definition } from '../definitions/definition.js';
import { EVENTS_TABLE, type ProjectConfig } from '../definitions/project-config.js';
import { walkConditions } from '../definitions/references.js';
import { closest } from '../definitions/suggest.js';
import type { Warehouse } from '../warehouse/warehouse.js';

/** Every event name the definitions read, sorted. */
export function eventNamesRead(defs: readonly Definition[]): string[] {
  return [...eventReaders(defs).keys()];
}

/** Every event name the definitions read, sorted, with the keys of the definitions reading it. */
function eventReaders(defs: readonly Definition[]): Map<string, string[]> {
  const readers = new Map<string, Set<string>>();
  const add = (name: string, key: string) => readers.set(name, (readers.get(name) ?? new Set()).add(key));
  for (const d of defs) {
    if (d.kind === 'computed_trait') for (const n of d.events) add(n, d.key);
    if (d.kind === 'audience') {
      walkConditions(d, (c) => {
        if (c.kind === 'event') add(c.name, d.key);
      });
    }
  }
  return new Map([...readers.keys()].sort().map((name) => [name, [...readers.get(name)!].sort()]));
}

/** Past this many names, a table's list of held names may be cut short: probe it name by name. */
const HELD_NAMES_LIMIT = 1000;

/**
 * Warnings for event names that the table they are read from holds no event of, though it holds
 * others: a name in another case (`Logged in`), or the table's snake_case written for the name
 * (`logged_in`). Names match exactly, so such a definition would silently see no events. A
 * missing table is warned about where the definition is compiled. A name is probed with one row;
 * the first name a table lacks reads the table's distinct names once, and when they are all
 * there, the table's other names are looked up in them, not probed: an absent name's probe reads
 * the whole table, and in the events_json layout every name is probed in the one events table.
 */
export async function absentEventWarnings(wh: Warehouse, config: ProjectConfig, catalog: SourceCatalog, defs: readonly Definition[]): Promise<string[]> {
  const d = wh.dialect;
  const json = config.source.layout === 'events_json';
  const heldByTable = new Map<string, string[]>();
  const warnings: string[] = [];
  for (const [name, readBy] of eventReaders(defs)) {
    const [table, column] = json ? [EVENTS_TABLE.events_json, 'event'] : [segmentSlug(name), 'event_text'];
    if (table === '' || !catalog.get(table)?.has(column)) continue;
    const from = d.qualify(config.source.schema, table);
    const col = d.quoteIdent(column);
    let held = heldByTable.get(table);
    try {
      const present = held && held.length <= HELD_NAMES_LIMIT
        ? held.includes(name)
        : (await wh.query(`SELECT 1 AS hit FROM ${from} WHERE ${col} = ${d.stringLiteral(name)} LIMIT 1`)).length > 0;
      if (present) continue;
      if (!held) {
        held = (await wh.query(`SELECT DISTINCT ${col} AS name FROM ${from} WHERE ${col} IS NOT NULL ORDER BY 1 LIMIT ${HELD_NAMES_LIMIT + 1}`)).map((r) => String(r.name));
        heldByTable.set(table, held);
      }
    } catch {
      continue; // a table roster may not read (no SELECT): the definitions reading it fail and say so
    }
    if (held.length === 0) continue;
    const where = `event "${name}" (read by ${readBy.join(', ')}): ${config.source.schema}.${table} holds no event of that name`;
    if (json) {
      // One table holds every event: a name nothing is close to is an event not sent yet.
      const near = closest(name, held.slice(0, HELD_NAMES_LIMIT));
      warnings.push(near ? `${where}, so it matches none (did you mean "${near}"? event names match exactly, case included)` : `${where}; no such events yet`);
    } else {
      const named = held.length <= 3 ? ` (its events are named "${held.join('", "')}")` : '';
      warnings.push(`${where}, so it matches none${named}; event names match exactly, case included`);
    }
  }
  return warnings;
}
