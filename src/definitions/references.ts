import type { Entity } from './common.js';
import type { Condition } from './condition.js';
import type { Audience, Definition } from './definition.js';
import type { Path } from './yaml-source.js';

/** Where a condition sits: its path in the YAML file, and the entity it is evaluated for. */
export interface ConditionSite {
  readonly path: Path;
  /** `user` inside `users:` (and everywhere in a user audience), else the audience's entity. */
  readonly entity: Entity;
  /** Nesting depth of `users:` around this condition (0 outside). */
  readonly usersDepth: number;
}

/** Visits every condition of an audience, depth first, with its YAML path (`where.all[1].users`). */
export function walkConditions(audience: Audience, visit: (c: Condition, site: ConditionSite) => void): void {
  const walk = (c: Condition, site: ConditionSite): void => {
    visit(c, site);
    switch (c.kind) {
      case 'all':
      case 'any':
        c.conditions.forEach((child, i) => walk(child, { ...site, path: [...site.path, c.kind, i] }));
        return;
      case 'not':
        walk(c.condition, { ...site, path: [...site.path, 'not'] });
        return;
      case 'users':
        walk(c.where, { path: [...site.path, 'where'], entity: 'user', usersDepth: site.usersDepth + 1 });
        return;
      case 'event':
      case 'trait':
      case 'audience':
        return;
      default: {
        const _: never = c;
        return _;
      }
    }
  };
  walk(audience.where, { path: ['where'], entity: audience.entity, usersDepth: 0 });
}

/**
 * The definitions that produce each trait name, per entity: a computed trait's key, a SQL
 * trait's `traits` columns. A `trait:` condition of entity E names the producer in E's map.
 */
export function traitProducers(defs: readonly Definition[]): Record<Entity, Map<string, Definition>> {
  const out: Record<Entity, Map<string, Definition>> = { user: new Map(), account: new Map() };
  for (const d of defs) {
    if (d.kind === 'computed_trait' && !out[d.entity].has(d.key)) out[d.entity].set(d.key, d);
    if (d.kind === 'sql_trait') for (const name of d.traits) if (!out[d.entity].has(name)) out[d.entity].set(name, d);
  }
  return out;
}
