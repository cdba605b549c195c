import { readsUniverse } from './audience-candidates.js';
import type { Entity } from './common.js';
import type { Audience, Definition, SqlTrait } from './definition.js';
import { traitProducers } from './references.js';
import { outputColumns } from './sql-output-columns.js';
import { templateStateKeys } from './sql-template.js';
import { explicitDeps, usesAccountUsers } from './stated-deps.js';

/*
 * What a SQL trait does beyond its values, decided once here: whether it associates users with
 * accounts, and for which audiences its ids count as users or accounts. The graph orders
 * definitions by these rules and the compiler reads tables by them, so the two can never disagree.
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
    .filter((d) => countsAs(d, entity))
    .filter(noAudienceUpstream);
}

/**
 * The SQL traits whose returned ids count as entities of `entity` for the audience `viewer` that
 * reads every entity (SPEC 3: every user_id a SQL trait returns counts as a user): those that
 * count for every definition (universeSqlTraits: no audience upstream of them), and those with
 * an audience upstream that the viewer waits for (lateSqlTraits).
 */
export function countedSqlTraits(definitions: readonly Definition[], entity: Entity, viewer: string): readonly SqlTrait[] {
  const everywhere = universeSqlTraits(definitions, entity);
  const late = lateSqlTraits(definitions, entity, viewer);
  return late.length ? [...everywhere, ...late] : everywhere;
}

/**
 * The SQL traits with an audience upstream of them (through {{state}}) whose ids count as
 * entities of `entity` for the audience `viewer` that reads every entity, and which it so waits
 * for. Each such trait,
 * in key order, is offered to each such audience, in key order; the audience takes it unless the
 * trait already depends on the audience, through stated dependencies or traits taken before:
 * waiting for it would close a cycle (the trait reads what the audience computes). So only an
 * audience upstream of a trait does not see its ids, and the graph stays acyclic.
 */
export function lateSqlTraits(definitions: readonly Definition[], entity: Entity, viewer: string): readonly SqlTrait[] {
  let known = lateTraits.get(definitions);
  if (!known) lateTraits.set(definitions, (known = offerLateTraits(definitions)));
  return (known.get(viewer) ?? []).filter((t) => countsAs(t, entity));
}

/** The traits each audience takes, per definitions array: the graph and both compiles ask per audience. */
const lateTraits = new WeakMap<readonly Definition[], ReadonlyMap<string, readonly SqlTrait[]>>();

/** Whether a SQL trait's ids are entities of `entity`: an associating trait's user_ids are users. */
function countsAs(t: SqlTrait, entity: Entity): boolean {
  return t.entity === entity || (entity === 'user' && isAssociating(t));
}

function offerLateTraits(definitions: readonly Definition[]): ReadonlyMap<string, readonly SqlTrait[]> {
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const everywhere = new Set([...universeSqlTraits(definitions, 'user'), ...universeSqlTraits(definitions, 'account')]);
  const late = definitions.filter((d): d is SqlTrait & { file: string } => d.kind === 'sql_trait' && !everywhere.has(d)).sort(byKeyOrder);
  const taken = new Map<string, SqlTrait[]>();
  if (!late.length) return taken;
  const readers = definitions.filter((d): d is Audience & { file: string } => d.kind === 'audience' && readsUniverse(d, definitions)).sort(byKeyOrder);
  // Stated edges (what the texts name, and associations), to which taken traits are added.
  const producers = traitProducers(definitions);
  const associating = definitions.filter(isAssociating).map((a) => a.key);
  const deps = new Map(definitions.map((d) => [d.key, [
    ...explicitDeps(d, producers, byKey).map(([to]) => to),
    ...(usesAccountUsers(d, byKey) ? associating.filter((a) => a !== d.key) : []),
  ]]));
  const dependsOn = (from: string, target: string): boolean => {
    const seen = new Set([from]);
    const queue = [from];
    for (let i = 0; i < queue.length; i++) {
      for (const next of deps.get(queue[i]) ?? []) {
        if (next === target) return true;
        if (!seen.has(next)) (seen.add(next), queue.push(next));
      }
    }
    return false;
  };
  for (const t of late) {
    for (const reader of readers) {
      if (!countsAs(t, reader.entity) || dependsOn(t.key, reader.key)) continue;
      taken.set(reader.key, [...(taken.get(reader.key) ?? []), t]);
      deps.get(reader.key)!.push(t.key);
    }
  }
  return taken;
}

const byKeyOrder = (a: Definition, b: Definition) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
