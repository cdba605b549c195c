import type { SourceCatalog } from '../compiler/context.js';
import type { Dialect } from '../compiler/dialect.js';
import { segmentSlug } from '../compiler/names.js';
import type { Definition } from '../definitions/definition.js';
import { EVENTS_TABLE, LAYOUT_TABLES, type ProjectConfig } from '../definitions/project-config.js';
import { WarehouseError } from '../warehouse/warehouse.js';
import { eventNamesRead } from './absent-events.js';

/**
 * Stops a run or preview whose input tables have no timestamp column, or one of text, numbers or
 * booleans (a CSV loaded as text): every comparison with as_of would fail in the engine's words
 * ("Cannot compare values of type VARCHAR and type TIMESTAMP"), once per definition, naming no
 * table. Only the tables the definitions read are checked; a table that does not exist is no
 * events yet (SPEC 3), warned about where it is read.
 */
export function refuseUntimedSources(d: Dialect, config: ProjectConfig, catalog: SourceCatalog, defs: readonly Definition[]): void {
  const { layout, schema } = config.source;
  const eventTables = layout === 'segment' ? eventNamesRead(defs).map(segmentSlug).filter((t) => t !== '') : [EVENTS_TABLE[layout]];
  const problems: string[] = [];
  for (const table of new Set([...LAYOUT_TABLES[layout], ...eventTables])) {
    const columns = catalog.get(d.sourceName(table));
    if (!columns) continue;
    const type = columns.get('timestamp');
    if (type === undefined) problems.push(`${schema}.${table} has no timestamp column`);
    else if (['text', 'number', 'boolean'].includes(d.typeKind(type))) problems.push(`${schema}.${table}.timestamp is ${type.trim().toUpperCase()}`);
  }
  if (problems.length === 0) return;
  throw new WarehouseError(
    `${problems.join('; ')}: roster compares every input row's timestamp with as_of, so it must be a timestamp column`
    + ` (Segment's connector writes TIMESTAMP): load it as one, or point source.schema at views that cast it (roster.yml source.schema)`,
  );
}
