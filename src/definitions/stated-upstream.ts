import type { Entity } from './common.js';
import type { Audience, Definition, SqlTrait } from './definition.js';
import { traitProducers, walkConditions } from './references.js';
import { templateStateKeys } from './sql-template.js';
import { isAssociating, universeSqlTraits } from './sql-trait-roles.js';
import type { Path } from './yaml-source.js';

/*
 * The dependencies a project states, before roster decides who counts as an entity: what the
 * definitions' texts name, and the associations every user of accounts waits for. The graph adds
 * edges to the SQL traits whose ids widen the universe; which traits widen it for one definition
 * is decided from these edges alone, so that decision cannot change the graph it is read from.
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
 * The SQL traits whose returned ids count as entities of `entity` for `viewer` (SPEC 3: every
 * user_id a SQL trait returns counts as a user): those that count for every definition
 * (universeSqlTraits: no audience upstream of them), and those that do not but run before the
 * viewer anyway, being upstream of it by stated dependencies. Only a definition upstream of
 * such a trait cannot see its ids: they are computed from its own result.
 */
export function countedSqlTraits(definitions: readonly Definition[], entity: Entity, viewer: string): readonly SqlTrait[] {
  const everywhere = universeSqlTraits(definitions, entity);
  const upstream = statedUpstream(definitions, viewer);
  const before = definitions.filter((d): d is SqlTrait & { file: string } => d.kind === 'sql_trait' && upstream.has(d.key)
    && (d.entity === entity || (entity === 'user' && isAssociating(d))) && !everywhere.includes(d));
  return before.length ? [...everywhere, ...before] : everywhere;
}

/** The keys upstream of `key` by stated dependencies, transitively. */
export function statedUpstream(definitions: readonly Definition[], key: string): ReadonlySet<string> {
  let known = upstreams.get(definitions);
  if (!known) upstreams.set(definitions, (known = new Map()));
  let found = known.get(key);
  if (!found) known.set(key, (found = walkUpstream(definitions, key)));
  return found;
}

/** statedUpstream per definitions array and key: the graph and both compiles ask it per audience. */
const upstreams = new WeakMap<readonly Definition[], Map<string, ReadonlySet<string>>>();

function walkUpstream(definitions: readonly Definition[], key: string): ReadonlySet<string> {
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const producers = traitProducers(definitions);
  const associating = definitions.filter(isAssociating);
  const seen = new Set<string>();
  const queue = [key];
  for (let i = 0; i < queue.length; i++) {
    const d = byKey.get(queue[i]);
    if (!d) continue;
    const next = explicitDeps(d, producers, byKey).map(([to]) => to);
    if (usesAccountUsers(d, byKey)) next.push(...associating.map((a) => a.key));
    for (const k of next) {
      if (k === key || seen.has(k)) continue;
      seen.add(k);
      queue.push(k);
    }
  }
  return seen;
}
