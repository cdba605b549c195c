import type { ComputedTrait } from '../../definitions/definition.js';
import { ID_COLUMN, type CompileContext } from '../context.js';
import { aggregateKept, mostFrequentFromCounts, traitEventSelection } from '../computed-trait.js';
import { QueryParts } from '../query.js';
import { eventSourceParts } from '../sources.js';
import type { EventFeatures, FeatureKind } from './features.js';

const KIND: Record<Exclude<ComputedTrait['type'], 'most_frequent' | 'aggregation'>, FeatureKind> = {
  event_counter: 'count', first: 'first', last: 'last', unique_list: 'list', unique_list_count: 'list_count',
};

/**
 * A computed trait read off the event features: one row per entity with a non-empty value, the
 * same rows and columns as its standalone query; rendered once the plan is complete (the tables
 * a feature lands in depend on all of them). undefined when it keeps its own query: a
 * most_frequent with scope: group_context, and events spread over several Segment tables or a
 * missing table (rare; the standalone query handles them).
 */
export function fusedComputedTrait(ctx: CompileContext, features: EventFeatures, t: ComputedTrait): (() => string) | undefined {
  const groupContext = t.entity === 'account' && t.scope === 'group_context';
  const sources = eventSourceParts(ctx, traitEventSelection(t));
  if (sources.length !== 1 || !sources[0].relation) return undefined;
  const d = ctx.dialect;
  if (t.type === 'most_frequent') {
    // An event counts for the account in its context_group_id: not a sum of its users' counts.
    if (groupContext) return undefined;
    const counts = features.mostFrequent(sources[0], t.entity, t.key);
    return () => {
      const c = counts();
      const q = new QueryParts();
      if (c.memberships) {
        const relation = q.cte('counts', 'value_counts', () => [
          `SELECT au.group_id, g.value, sum(g.${c.count}) AS n`,
          `FROM ${c.relation} AS g`,
          `JOIN ${c.memberships} AS au ON au.user_id = g.user_id`,
          `WHERE g.value IS NOT NULL AND g.${c.count} > 0`,
          'GROUP BY au.group_id, g.value',
        ].join('\n'));
        return mostFrequentFromCounts(ctx, t, q, { relation, count: 'n' });
      }
      const relation = c.regroup
        ? q.cte('counts', 'value_counts', () => `SELECT user_id, value, sum(${c.count}) AS n\nFROM ${c.relation}\nWHERE value IS NOT NULL\nGROUP BY user_id, value`)
        : c.relation;
      return mostFrequentFromCounts(ctx, t, q, c.regroup ? { relation, count: 'n' } : { relation, count: c.count, nullable: true });
    };
  }
  const kind = t.type === 'aggregation' ? t.function! : KIND[t.type];
  const f = features.request({ source: sources[0], entity: t.entity, kind, groupContext, by: t.key });
  const value = `${f.column}`;
  // Empty values are not stored (SPEC 2): no events, a null aggregate, no distinct values.
  const [select, keep] = t.type === 'event_counter' || t.type === 'unique_list_count'
    ? [value, `${value} > 0`]
    : t.type === 'aggregation' ? [d.round12(value), aggregateKept(d, t.function!, value)] : [value, `${value} IS NOT NULL`];
  const id = ID_COLUMN[t.entity];
  const sql = `SELECT ${id}, ${select} AS ${d.quoteIdent(t.key)}\nFROM ${f.relation}\nWHERE ${keep}`;
  return () => sql;
}
