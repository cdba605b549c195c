import type { Entity } from './common.js';
import type { Definition, SqlTrait } from './definition.js';
import { outputColumns } from './sql-output-columns.js';
import { templateStateKeys } from './sql-template.js';

/*
 * What a SQL trait does beyond its values, decided once here: the graph orders definitions by
 * these rules and the compiler reads tables by them, so the two can never disagree.
 */

/**
 * An account-level SQL trait that may return (group_id, user_id) associations: its SELECT list
 * names user_id, or the text does not tell (`SELECT *`, `FROM t`). Decided from the text because
 * the graph orders definitions before anything runs; a trait taken for associating that returns
 * no user_id only associates no one, where one taken for not associating that did would leave
 * the definitions before it blind to its users.
 */
export function isAssociating(d: { kind: string; entity: Entity; template?: string }): boolean {
  if (d.kind !== 'sql_trait' || d.entity !== 'account') return false;
  return outputColumns(d.template ?? '')?.includes('user_id') ?? true;
}

/** An associating SQL trait whose SELECT list does not name its columns: it is only assumed to return user_id. */
export function mayAssociate(d: { kind: string; entity: Entity; template?: string }): boolean {
  return d.kind === 'sql_trait' && d.entity === 'account' && outputColumns(d.template ?? '') === undefined;
}

/**
 * SQL traits whose returned ids count as entities of `entity` (SPEC 3); users also come from
 * associating traits. Audiences see every entity, so they run after these traits: a trait counts
 * here, for every audience, only if no audience is upstream of it (through its {{state}} keys), so
 * that order never closes a cycle. The ids of a SQL trait that reads an audience's state count for
 * the audiences that can wait for it (countedSqlTraits).
 */
export function universeSqlTraits(definitions: readonly Definition[], entity: Entity): readonly (SqlTrait & { file: string })[] {
  let known = universes.get(definitions);
  if (!known) universes.set(definitions, (known = { user: widening(definitions, 'user'), account: widening(definitions, 'account') }));
  return known[entity];
}

/** universeSqlTraits per definitions array: the compiler asks it for every audience, each time walking templates. */
const universes = new WeakMap<readonly Definition[], Record<Entity, readonly (SqlTrait & { file: string })[]>>();

function widening(definitions: readonly Definition[], entity: Entity): (SqlTrait & { file: string })[] {
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const widens = new Map<string, boolean>();
  const noAudienceUpstream = (d: Definition): boolean => {
    if (d.kind === 'computed_trait') return true;
    if (d.kind === 'audience') return false;
    const known = widens.get(d.key);
    if (known !== undefined) return known;
    widens.set(d.key, false); // a cycle of SQL traits is a validation error of its own
    const keys = templateStateKeys(d.template);
    const result = keys.every((key) => {
      const upstream = byKey.get(key);
      return upstream !== undefined && noAudienceUpstream(upstream);
    });
    widens.set(d.key, result);
    return result;
  };
  return definitions.filter((d): d is SqlTrait & { file: string } => d.kind === 'sql_trait')
    .filter((d) => d.entity === entity || (entity === 'user' && isAssociating(d)))
    .filter(noAudienceUpstream);
}
