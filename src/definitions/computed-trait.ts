import { z } from 'zod';
import { definitionBase, Scope, strictObject, Window } from './common.js';
import { PropertyFilter } from './predicate.js';

export const COMPUTED_TRAIT_TYPES = ['event_counter', 'aggregation', 'most_frequent', 'first', 'last', 'unique_list', 'unique_list_count'] as const;
export type ComputedTraitType = (typeof COMPUTED_TRAIT_TYPES)[number];

const hasValidType = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (COMPUTED_TRAIT_TYPES as readonly unknown[]).includes((value as { type?: unknown }).type);

const usesProperty = new Set<ComputedTraitType>(['aggregation', 'most_frequent', 'first', 'last', 'unique_list', 'unique_list_count']);

/** A computed trait (SPEC 2): one value per entity from its matching events. */
export const ComputedTrait = strictObject({
    kind: z.literal('computed_trait'),
    ...definitionBase,
    type: z.enum(COMPUTED_TRAIT_TYPES),
    event: z.union([z.string().min(1), z.array(z.string().min(1)).min(1, 'event needs at least one event name')], { error: 'event is an event name or a list of names' }),
    where: z.array(PropertyFilter).optional(),
    window: Window.optional(),
    property: z.string().min(1).optional(),
    function: z.enum(['sum', 'avg', 'min', 'max']).optional(),
    min_frequency: z.number().int().min(1).optional(),
    scope: Scope.optional(),
  })
  .superRefine((t, ctx) => {
    if (usesProperty.has(t.type) && t.property === undefined) ctx.addIssue({ code: 'custom', path: ['property'], message: `${t.type} needs a property` });
    if (t.type === 'aggregation' && t.function === undefined) ctx.addIssue({ code: 'custom', path: ['function'], message: 'aggregation needs a function: sum, avg, min or max' });
  }, { when: (payload) => hasValidType(payload.value) }) // also when other fields failed, so every problem is reported at once
  .transform((t) => ({
    ...t,
    events: typeof t.event === 'string' ? [t.event] : t.event,
    where: t.where ?? [],
    scope: t.scope ?? 'all_events',
    // Fields of other types are ignored (see ignoredFields), as if absent.
    property: usesProperty.has(t.type) ? t.property : undefined,
    function: t.type === 'aggregation' ? t.function : undefined,
    min_frequency: t.type === 'most_frequent' ? (t.min_frequency ?? 2) : undefined,
  }));
export type ComputedTrait = z.infer<typeof ComputedTrait>;

/**
 * Fields a computed trait of its type does not use, with why: they are ignored with a warning,
 * not refused, so SPEC 2's example (every field at once) is a valid definition.
 */
export function ignoredFields(t: Pick<z.input<typeof ComputedTrait>, 'type' | 'property' | 'function' | 'min_frequency'>): { field: string; message: string }[] {
  const ignored: { field: string; message: string }[] = [];
  if (!usesProperty.has(t.type) && t.property !== undefined) ignored.push({ field: 'property', message: `${t.type} takes no property: ignored` });
  if (t.type !== 'aggregation' && t.function !== undefined) ignored.push({ field: 'function', message: `function is only for aggregation, not ${t.type}: ignored` });
  if (t.type !== 'most_frequent' && t.min_frequency !== undefined) ignored.push({ field: 'min_frequency', message: `min_frequency is only for most_frequent, not ${t.type}: ignored` });
  return ignored;
}
