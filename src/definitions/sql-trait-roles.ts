import type { Entity } from './common.js';
import type { Definition, SqlTrait } from './definition.js';
import { templateStateKeys } from './sql-template.js';

/*
 * What a SQL trait does beyond its values, decided once here: the graph orders definitions by
 * these rules and the compiler reads tables by them, so the two can never disagree.
 */

/** An account-level SQL trait that may return (group_id, user_id) associations: its SQL mentions user_id. */
export function isAssociating(d: { kind: string; entity: Entity; template?: string }): boolean {
  return d.kind === 'sql_trait' && d.entity === 'account' && /\buser_id\b/i.test(d.template ?? '');
}

/** A SQL trait without {{state}} dependencies: it can run first, so it may widen the universe. */
export function isStateless(d: Definition): d is SqlTrait & { file: string } {
  return d.kind === 'sql_trait' && templateStateKeys(d.template).length === 0;
}

/**
 * SQL traits whose returned ids count as entities of `entity` (SPEC 3): stateless ones only, so
 * the audiences that read them never close a cycle; users also come from associating traits.
 */
export function universeSqlTraits(definitions: readonly Definition[], entity: Entity): (SqlTrait & { file: string })[] {
  return definitions.filter(isStateless).filter((d) => d.entity === entity || (entity === 'user' && isAssociating(d)));
}
