import type { SqlTrait } from '../definitions/definition.js';
import { LAYOUT_TABLES } from '../definitions/project-config.js';
import type { CompileContext } from './context.js';
import { renderSqlTemplate } from './sql-trait-template.js';

/**
 * A SQL trait: its template rendered with roster's helpers, which quote through the dialect.
 * With `source.deduplicate`, `{{source "x"}}` names a CTE holding the de-duplicated table, not a
 * subquery: user SQL may leave a source without an alias, which Postgres refuses for a subquery.
 */
export function compileSqlTrait(ctx: CompileContext, t: SqlTrait): string {
  const d = ctx.dialect;
  const deduplicated = new Map<string, string>();
  const body = renderSqlTemplate(t.template, {
    source: (name) => {
      if (ctx.source.layout === 'events_json' && !LAYOUT_TABLES.events_json.includes(name)) {
        throw new Error(`{{source "${name}"}}: the events_json layout has only ${LAYOUT_TABLES.events_json.join(', ')}`);
      }
      // The query would fail on it anyway; the engine's message would not say where it came from.
      if (ctx.columnsOf(name) === null) throw new Error(`{{source "${name}"}}: ${ctx.source.schema}.${name} does not exist in the warehouse`);
      if (!ctx.source.deduplicate) return ctx.sourceTable(name);
      const cte = d.quoteIdent(`roster_source_${name}`);
      deduplicated.set(cte, d.deduplicate(ctx.sourceTable(name)));
      return cte;
    },
    state: (key) => {
      if (!ctx.definition(key)) throw new Error(`{{state "${key}"}}: no definition has that key`);
      return ctx.result(key);
    },
    asOf: () => d.asOf(),
  }).trim().replace(/;\s*$/, '');
  if (!deduplicated.size) return body;
  const ctes = [...deduplicated].map(([name, relation]) => `${name} AS ${relation}`).join(',\n');
  return `WITH ${ctes}\nSELECT * FROM (\n${body}\n) AS sql_trait_rows`;
}
