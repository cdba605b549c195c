import type { Entity } from './common.js';
import type { Condition } from './condition.js';
import type { Audience, ComputedTrait, Definition } from './definition.js';
import { holdsWhenMissing, type MissingValue } from './predicate.js';
import { traitProducers } from './references.js';

/*
 * Which entities an audience must look at, decided once here: the graph orders an audience after
 * the SQL traits whose ids widen the universe only when it reads the universe, and the compiler
 * reads the universe by the same rule, so the two can never disagree.
 */

/**
 * Whether an audience needs every user (account) as candidates. Conditions see every entity
 * (SPEC 2), but a condition that cannot hold for an entity without a row in a relation it reads
 * (`count >= 1`, `eq` on a trait, a member audience, `users: any`) needs only that relation's
 * entities. Those relations hold only entities (SPEC 3): a SQL trait it reads, and every
 * associating one an account audience waits for, run before it.
 */
export function readsUniverse(audience: Audience, definitions: readonly Definition[]): boolean {
  let known = decided.get(definitions);
  if (!known) decided.set(definitions, (known = new Map()));
  let reads = known.get(audience.key);
  if (reads === undefined) known.set(audience.key, (reads = decide(audience, definitions)));
  return reads;
}

/** readsUniverse per definitions array and key: the graph and both compiles ask it for every audience. */
const decided = new WeakMap<readonly Definition[], Map<string, boolean>>();

function decide(audience: Audience, definitions: readonly Definition[]): boolean {
  const producers = traitProducers(definitions);
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const narrows = (c: Condition, entity: Entity): boolean => {
    switch (c.kind) {
      case 'all':
        return c.conditions.some((x) => narrows(x, entity));
      case 'any':
        return c.conditions.length > 0 && c.conditions.every((x) => narrows(x, entity));
      case 'not':
        return false;
      case 'event':
        return holdsWhenMissing(c.count, 'zero') === false;
      case 'trait': {
        const producer = producers[entity].get(c.key);
        const missing = producer?.kind === 'computed_trait' ? missingValue(producer) : 'null';
        return holdsWhenMissing(c.predicate, missing) === false;
      }
      case 'audience':
        return c.member && byKey.get(c.key)?.entity === entity;
      case 'users':
        return c.quantifier !== 'none';
    }
  };
  return !narrows(audience.where, audience.entity);
}

/** What a computed trait is for an entity without matching events, as a condition reads it. */
export function missingValue(t: Pick<ComputedTrait, 'type'>): MissingValue {
  if (t.type === 'event_counter' || t.type === 'unique_list_count') return 'zero';
  return t.type === 'unique_list' ? 'empty_list' : 'null';
}
