import { z } from 'zod';
import { Key, Scope, strictObject, Window } from './common.js';
import { parsePredicate, PropertyFilter, type Predicate } from './predicate.js';
import { closest, didYouMean, unknownFieldsMessage } from './suggest.js';

/** Words of SQL and other tools for a condition head: spelled close to another head (and ~ any), they would be taken for it. */
const HEAD_MEANINGS: Readonly<Record<string, string>> = { and: 'all', or: 'any', every: 'all', some: 'any' };

export type CountOp = 'gte' | 'gt' | 'eq' | 'lte' | 'lt';
export interface Count { readonly op: CountOp; readonly value: number }

/** The condition tree of an audience (SPEC 2), tagged by `kind`. */
export type Condition =
  | { readonly kind: 'all'; readonly conditions: readonly Condition[] }
  | { readonly kind: 'any'; readonly conditions: readonly Condition[] }
  | { readonly kind: 'not'; readonly condition: Condition }
  | EventCondition
  | TraitCondition
  | AudienceCondition
  | UsersCondition;

export interface EventCondition {
  readonly kind: 'event';
  readonly name: string;
  readonly where: readonly PropertyFilter[];
  readonly count: Count;
  readonly window?: Window;
  readonly scope: Scope;
}
export interface TraitCondition { readonly kind: 'trait'; readonly key: string; readonly predicate: Predicate }
export interface AudienceCondition { readonly kind: 'audience'; readonly key: string; readonly member: boolean }
export interface UsersCondition { readonly kind: 'users'; readonly quantifier: 'any' | 'all' | 'none'; readonly where: Condition }

const CountSchema = z
  .record(z.string(), z.number().int().min(0))
  .transform((raw, ctx): Count => {
    const entries = Object.entries(raw);
    const ops = ['gte', 'gt', 'eq', 'lte', 'lt'];
    const unknown = entries.map(([k]) => k).filter((k) => !ops.includes(k));
    if (unknown.length) {
      ctx.addIssue({ code: 'unrecognized_keys', keys: unknown, message: `unknown count op "${unknown[0]}"${didYouMean(unknown[0], ops) || '; count is one of { gte | gt | eq | lte | lt: N }'}` });
      return z.NEVER;
    }
    if (entries.length !== 1) {
      ctx.addIssue({ code: 'custom', message: `count takes exactly one of gte, gt, eq, lte, lt; found ${entries.length ? entries.map(([k]) => k).join(' and ') : 'none'}` });
      return z.NEVER;
    }
    return { op: entries[0][0] as CountOp, value: entries[0][1] };
  });

const EventBody = strictObject({
  name: z.string().min(1),
  where: z.array(PropertyFilter).optional(),
  count: CountSchema.optional(),
  window: Window.optional(),
  scope: Scope.optional(),
}, 'an event condition is a mapping like { name: Logged In, count: { gte: 1 } }');

/**
 * A trait a condition reads: a definition's key, or else a custom trait, whose name is the
 * source's (events_json keeps Segment's own trait names such as firstName or "Plan Name").
 */
const TraitName = z.string().min(1, { message: 'must name a trait' }).max(255, { message: 'must be at most 255 characters' });

const TraitBody = z.looseObject({ key: TraitName }).transform((raw, ctx) => {
  const extra = Object.keys(raw).filter((k) => !['key', 'op', 'value'].includes(k));
  if (extra.length) ctx.addIssue({ code: 'unrecognized_keys', keys: extra, message: unknownFieldsMessage(extra, ['key', 'op', 'value']) });
  return { key: raw.key, predicate: parsePredicate(raw as { op?: unknown; value?: unknown }, ctx) as Predicate };
});

const AudienceBody = strictObject({ key: Key, member: z.boolean().optional() }, 'an audience condition is a mapping like { key: churned_users }');

const CONDITION_HEADS = ['all', 'any', 'not', 'event', 'trait', 'audience', 'users'] as const;

/**
 * YAML conditions are untagged (`all: [...]`, `event: {...}`); this dispatches on the one head
 * key so errors point into the branch the author meant instead of listing every union member.
 */
export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.unknown().transform((raw, ctx): Condition => {
    const nested = <T>(schema: z.ZodType<T>, value: unknown, path: (string | number)[]): T => {
      const r = schema.safeParse(value);
      if (!r.success) {
        for (const issue of r.error.issues) ctx.addIssue({ ...(issue as any), path: [...path, ...issue.path] });
        return z.NEVER as T;
      }
      return r.data;
    };
    if (raw === undefined) {
      ctx.addIssue({ code: 'invalid_type', expected: 'object', input: raw, message: 'Invalid input: a condition is required' });
      return z.NEVER;
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      const got = raw === null ? 'an empty value' : Array.isArray(raw) ? 'a list' : JSON.stringify(raw);
      ctx.addIssue({ code: 'custom', message: `expected a condition (a mapping with one of ${CONDITION_HEADS.join(', ')}), got ${got}` });
      return z.NEVER;
    }
    const obj = raw as Record<string, unknown>;
    const heads = Object.keys(obj).filter((k) => (CONDITION_HEADS as readonly string[]).includes(k));
    if (heads.length !== 1) {
      const first = Object.keys(obj)[0];
      if (heads.length === 0 && first !== undefined) {
        const hint = didYouMean(first, CONDITION_HEADS, HEAD_MEANINGS) || `; expected one of ${CONDITION_HEADS.join(', ')}`;
        ctx.addIssue({ code: 'unrecognized_keys', keys: [first], message: `unknown condition "${first}"${hint}` });
      } else {
        const found = heads.length ? `found ${heads.join(' and ')}` : 'found none';
        ctx.addIssue({ code: 'custom', message: `a condition has exactly one of ${CONDITION_HEADS.join(', ')}; ${found}` });
      }
      return z.NEVER;
    }
    const head = heads[0] as (typeof CONDITION_HEADS)[number];
    const allowed = head === 'users' ? ['users', 'where'] : [head];
    const extra = Object.keys(obj).filter((k) => !allowed.includes(k));
    if (extra.length) {
      for (const k of extra) {
        const inside = head === 'event' ? closest(k, ['where', 'count', 'window', 'scope']) : undefined;
        const hint = head === 'users' ? didYouMean(k, ['where']) : inside ? `; ${inside} goes inside event: { name, where, count, window, scope }` : '';
        ctx.addIssue({ code: 'unrecognized_keys', keys: [k], message: `unknown field "${k}" next to ${head}${hint}` });
      }
      return z.NEVER;
    }
    switch (head) {
      case 'all':
      case 'any': {
        const list = nested(z.array(Condition).min(1, `${head} needs at least one condition`), obj[head], [head]);
        return { kind: head, conditions: list };
      }
      case 'not':
        return { kind: 'not', condition: nested(Condition, obj.not, ['not']) };
      case 'event': {
        const e = nested(EventBody, obj.event, ['event']);
        if (!e) return z.NEVER;
        return {
          kind: 'event', name: e.name, where: e.where ?? [], count: e.count ?? { op: 'gte', value: 1 },
          ...(e.window ? { window: e.window } : {}), scope: e.scope ?? 'all_events',
        };
      }
      case 'trait': {
        const t = nested(TraitBody, obj.trait, ['trait']);
        return t ? { kind: 'trait', key: t.key, predicate: t.predicate } : z.NEVER;
      }
      case 'audience': {
        const a = nested(AudienceBody, obj.audience, ['audience']);
        return a ? { kind: 'audience', key: a.key, member: a.member ?? true } : z.NEVER;
      }
      case 'users': {
        const q = nested(z.enum(['any', 'all', 'none'], { error: 'users is any, all or none' }), obj.users, ['users']);
        if (obj.where === undefined) {
          ctx.addIssue({ code: 'custom', message: 'users needs a where: condition over the account\'s users', path: [] });
          return z.NEVER;
        }
        const where = nested(Condition, obj.where, ['where']);
        return { kind: 'users', quantifier: q, where };
      }
    }
  }),
);
