import type { SqlTrait } from '../definitions/definition.js';
import { LAYOUT_TABLES, type SourceLayout } from '../definitions/project-config.js';
import type { CompileContext } from './context.js';
import { renderSqlTemplate } from './sql-trait-template.js';
import { hasTraitValue } from './sql-trait-shape.js';
import { withoutQuoted } from '../support/sql-text.js';

/** The columns SPEC 3 gives a layout's own tables: what a missing one is read as (empty). */
const LAYOUT_COLUMNS: Record<SourceLayout, Record<string, readonly [string, 'text' | 'timestamp' | 'json'][]>> = {
  segment: {
    tracks: [['id', 'text'], ['user_id', 'text'], ['anonymous_id', 'text'], ['event', 'text'], ['event_text', 'text'], ['timestamp', 'timestamp'], ['context_group_id', 'text']],
    identifies: [['id', 'text'], ['user_id', 'text'], ['timestamp', 'timestamp']],
    groups: [['id', 'text'], ['user_id', 'text'], ['group_id', 'text'], ['timestamp', 'timestamp']],
  },
  events_json: {
    events: [['id', 'text'], ['user_id', 'text'], ['event', 'text'], ['timestamp', 'timestamp'], ['context_group_id', 'text'], ['properties', 'json']],
    identifies: [['id', 'text'], ['user_id', 'text'], ['timestamp', 'timestamp'], ['traits', 'json']],
    groups: [['id', 'text'], ['user_id', 'text'], ['group_id', 'text'], ['timestamp', 'timestamp'], ['traits', 'json']],
  },
};

/**
 * A SQL trait: its template rendered with roster's helpers, which quote through the dialect.
 * `{{source "x"}}` names a CTE where it is not the table itself (de-duplicated with
 * `source.deduplicate`, or an empty stand-in for a layout table Segment has not created yet), not
 * a subquery: user SQL may leave a source without an alias, which Postgres refuses for a subquery.
 */
export function compileSqlTrait(ctx: CompileContext, t: SqlTrait): string {
  const d = ctx.dialect;
  const ctes = new Map<string, string>();
  const sourcePrefix = unusedPrefix(t.template, 'roster_source');
  const statePrefix = unusedPrefix(t.template, 'roster_state');
  const body = withoutFinalSemicolon(renderSqlTemplate(t.template, {
    source: (name) => {
      if (ctx.source.layout === 'events_json' && !LAYOUT_TABLES.events_json.includes(name)) {
        throw new Error(`{{source "${name}"}}: the events_json layout has only ${LAYOUT_TABLES.events_json.join(', ')}`);
      }
      const cte = d.quoteIdent(`${sourcePrefix}${name}`);
      if (ctx.columnsOf(name) === null) {
        // SPEC 3: a table Segment has not created yet holds no rows. In the segment layout any
        // other name is an event's table (a typo reads so too, as an event name does): the
        // columns of tracks, which every event table has; its properties are unknown.
        const layoutTable = LAYOUT_COLUMNS[ctx.source.layout][name];
        const columns = layoutTable ?? (ctx.source.layout === 'segment' ? LAYOUT_COLUMNS.segment.tracks : undefined);
        if (!columns) throw new Error(`{{source "${name}"}}: ${ctx.source.schema}.${name} does not exist in the warehouse`);
        ctx.warn((layoutTable
          ? `{{source "${name}"}}: table ${ctx.source.schema}.${name} does not exist; read as empty`
          : `{{source "${name}"}}: table ${ctx.source.schema}.${name} does not exist; read as an event table with no events yet (the columns of tracks, no property columns)`) + ctx.caseHint(name));
        const type = { text: 'VARCHAR', timestamp: 'TIMESTAMP', json: d.jsonColumnType() };
        ctes.set(cte, `(SELECT ${columns.map(([c, t]) => `CAST(NULL AS ${type[t]}) AS ${d.quoteIdent(c)}`).join(', ')} WHERE FALSE)`);
        return cte;
      }
      if (!ctx.source.deduplicate) return ctx.sourceTable(name);
      ctes.set(cte, d.deduplicate(ctx.sourceTable(name)));
      return cte;
    },
    state: (key) => {
      const upstream = ctx.definition(key);
      if (!upstream) throw new Error(`{{state "${key}"}}: no definition has that key`);
      if (upstream.kind !== 'sql_trait') return ctx.result(key);
      // A SQL trait's result keeps rows whose trait columns are all null: their ids still count as
      // entities and associate users. {{state}} gives non-empty rows only (SPEC 2).
      const cte = d.quoteIdent(`${statePrefix}${key}`);
      ctes.set(cte, `(SELECT * FROM ${ctx.result(key)} WHERE ${hasTraitValue(d, upstream.traits)})`);
      return cte;
    },
    asOf: () => d.asOf(),
  }));
  if (!ctes.size) return body;
  const withs = [...ctes].map(([name, relation]) => `${name} AS ${relation}`).join(',\n');
  return `WITH ${withs}\nSELECT * FROM (\n${body}\n) AS sql_trait_rows`;
}

/**
 * `base_`, or `base2_`, `base3_`, ...: the first that the template's text does not hold in any
 * case. The helpers' CTEs wrap the user's query, so a CTE of the user's own of the same name would
 * shadow them inside it (`WITH roster_source_tracks AS (...) ... {{source "tracks"}}` would read
 * the user's CTE); engines fold unquoted names, hence any case.
 */
function unusedPrefix(template: string, base: string): string {
  const text = template.toLowerCase();
  let prefix = `${base}_`;
  for (let n = 2; text.includes(prefix); n++) prefix = `${base}${n}_`;
  return prefix;
}

/**
 * The query without its final `;`s (the run wraps it as a subquery), also when comments follow
 * them: `SELECT ...; -- done` or `;;` would otherwise end the wrapper's subquery early.
 */
export function withoutFinalSemicolon(sql: string): string {
  // Literals and comments are blanked to spaces in `code`: look for the ;s, not for the blanks.
  const end = withoutQuoted(sql).search(/;[\s;]*$/);
  return (end < 0 ? sql : sql.slice(0, end)).trim();
}
