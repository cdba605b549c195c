import type { SqlTrait } from '../definitions/definition.js';
import type { CompileContext } from './context.js';
import { renderSqlTemplate } from './sql-trait-template.js';

const LAYOUT_TABLES = { segment: ['tracks', 'identifies', 'groups'], events_json: ['events', 'identifies', 'groups'] };

/** A SQL trait: its template rendered with roster's helpers, which quote through the dialect. */
export function compileSqlTrait(ctx: CompileContext, t: SqlTrait): string {
  return renderSqlTemplate(t.template, {
    source: (name) => {
      if (ctx.source.layout === 'events_json' && !LAYOUT_TABLES.events_json.includes(name)) {
        throw new Error(`{{source "${name}"}}: the events_json layout has only ${LAYOUT_TABLES.events_json.join(', ')}`);
      }
      // The query would fail on it anyway; the engine's message would not say where it came from.
      if (ctx.columnsOf(name) === null) throw new Error(`{{source "${name}"}}: ${ctx.source.schema}.${name} does not exist in the warehouse`);
      return ctx.sourceRelation(name);
    },
    state: (key) => {
      if (!ctx.definition(key)) throw new Error(`{{state "${key}"}}: no definition has that key`);
      return ctx.result(key);
    },
    asOf: () => ctx.dialect.asOf(),
  }).trim().replace(/;\s*$/, '');
}
