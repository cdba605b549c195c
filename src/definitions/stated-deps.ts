import type { Audience, Definition } from './definition.js';
import { traitProducers, walkConditions } from './references.js';
import { templateStateKeys } from './sql-template.js';
import type { Path } from './yaml-source.js';

/*
 * The dependencies a project states: what the definitions' texts name, and the associations
 * every user of accounts waits for. The graph adds the edges of who counts as an entity
 * (sql-trait-roles.ts), which are decided from these.
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

/** Why a definition uses the users of accounts (usesAccountUsers), in words after its key. */
export function accountUsersUse(d: Definition): string {
  if (d.entity === 'user') return 'a user audience passing through an account audience, which must agree with it';
  return d.kind === 'audience' ? "an account audience: its members' users enter and leave with it" : "an account trait: it reads its users' events";
}
