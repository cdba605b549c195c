import type { Entity } from './common.js';
import type { Audience, Definition, SqlTrait } from './definition.js';
import { traitProducers, walkConditions } from './references.js';
import { templateStateKeys } from './sql-template.js';
import { readsUniverse } from './audience-candidates.js';
import { isAssociating, universeSqlTraits } from './sql-trait-roles.js';
import type { Path } from './yaml-source.js';

/*
 * The dependencies a project states (what the definitions' texts name, and the associations
 * every user of accounts waits for), and from them who counts as an entity for an audience that
 * reads every entity: the graph adds an edge to every SQL trait whose ids it counts.
 */

/** Edges a definition's own text makes: names in its conditions, `{{state}}` in its SQL. */
export function explicitDeps(d: Definition, producers: ReturnType<typeof traitProducers>, byKey: Map<string, Definition>): [string, Path][] {
  const out: [string, Path][] = [];
  if (d.kind === 'sql_trait') {
    for (const key of templateStateKeys(d.template)) if (byKey.has(key)) out.push([key, [d.sql_file !== undefined ? 'sql_file' : 'sql']]);
  } else if (d.kind === 'audience') {
    walkConditions(d, (c, site) => {
      if (c.kind === 'audience' && byKey.get(c.key)?.kind === 'audience') out.push([c.key, [...site.path, 'audience', 'key']]);
      if (c.kind === 'trait') {
        const producer = producers[site.entity].get(c.key);
        if (producer) out.push([producer.key, [...site.path, 'trait', 'key']]);
      }
    });
  }
  return out;
}

/**
 * Whether a definition uses the users of accounts, so account-level SQL traits that associate
 * users with accounts must run first: account computed traits (they read their users' events),
 * account audiences (their members' users enter and leave with them, and user audiences that pass
 * through them must agree) and user audiences that pass through an account audience.
 */
export function usesAccountUsers(d: Definition, byKey: ReadonlyMap<string, Definition>): boolean {
  if (d.entity === 'account') return d.kind !== 'sql_trait';
  if (d.kind !== 'audience') return false;
  let uses = false;
  walkConditions(d as Audience, (c) => {
    if (c.kind === 'audience' && byKey.get(c.key)?.kind === 'audience' && byKey.get(c.key)?.entity === 'account') uses = true;
  });
  return uses;
}

/**
 * The SQL traits whose returned ids count as entities of `entity` for the audience `viewer` that
 * reads every entity (SPEC 3: every user_id a SQL trait returns counts as a user): those that
 * count for every definition (universeSqlTraits: no audience upstream of them), and those with
 * an audience upstream that the viewer waits for (lateUniverseTraits).
 */
export function countedSqlTraits(definitions: readonly Definition[], entity: Entity, viewer: string): readonly SqlTrait[] {
  const everywhere = universeSqlTraits(definitions, entity);
  const late = (lateUniverseTraits(definitions).get(viewer) ?? []).filter((t) => countsAs(t, entity));
  return late.length ? [...everywhere, ...late] : everywhere;
}

/**
 * For each audience that reads every entity (readsUniverse), the SQL traits with an audience
 * upstream of them (through {{state}}) whose ids it counts, and so waits for. Each such trait,
 * in key order, is offered to each such audience, in key order; the audience takes it unless the
 * trait already depends on the audience, through stated dependencies or traits taken before:
 * waiting for it would close a cycle (the trait reads what the audience computes). So only an
 * audience upstream of a trait does not see its ids, and the graph stays acyclic.
 */
export function lateUniverseTraits(definitions: readonly Definition[]): ReadonlyMap<string, readonly SqlTrait[]> {
  let known = lateTraits.get(definitions);
  if (!known) lateTraits.set(definitions, (known = offerLateTraits(definitions)));
  return known;
}

/** lateUniverseTraits per definitions array: the graph and both compiles ask it per audience. */
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
