import { round12 } from '../support/round12.js';
import type { TraitCondition } from './condition.js';
import { isSegmentCallColumn } from './common.js';
import type { ComputedTrait, Definition } from './definition.js';
import type { LoadedDefinition, LoadedDefinitions } from './load-definitions.js';
import type { Problem } from './project.js';
import type { SourceLayout } from './project-config.js';
import { traitProducers, walkConditions } from './references.js';
import { listAgainstOneValue } from './predicate.js';
import { describe, didYouMean, editDistance } from './suggest.js';
import { formatPath, type Path } from './yaml-source.js';

export interface ReferenceCheck {
  readonly problems: readonly Problem[];
  /** Legal, but likely not what was meant (a trait named like a definition of the other entity). */
  readonly warnings: readonly Problem[];
  /** The definitions with a key of their own (a later file repeating a key is left out). */
  readonly unique: readonly LoadedDefinition[];
}

/** What roster.yml tells the reference checks. */
export interface ReferenceConfig {
  readonly destinations: readonly string[];
  readonly layout: SourceLayout;
}

/**
 * Cross-definition checks, all collected: duplicate keys and produced names, unknown
 * destinations, `{{state}}` and `audience:` keys, entity rules of conditions, and comparisons
 * that cannot hold for a computed trait's type. Keys of files that failed validation
 * (`brokenKeys`, and `keylessBroken`, the names of such files holding no key) are not reported as
 * unknown; without `config` (roster.yml unreadable) destinations are not checked.
 */
export function checkReferences(
  definitions: Pick<LoadedDefinitions, 'loaded' | 'brokenKeys' | 'keylessBroken'>, config?: ReferenceConfig,
): ReferenceCheck {
  const { loaded, brokenKeys, keylessBroken } = definitions;
  const destinations = config?.destinations;
  const layout = config?.layout;
  const isBroken = (key: string) => brokenKeys.has(key) || keylessBroken.has(key);
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const located = (l: LoadedDefinition, path: Path, message: string): Problem => {
    const at = l.source.locate(path);
    return { file: l.def.file, line: at.line, column: at.column, ...(at.path.length ? { path: formatPath(at.path) } : {}), message };
  };
  const report = (l: LoadedDefinition, path: Path, message: string) => problems.push(located(l, path, message));

  const byKey = new Map<string, Definition>();
  const unique: LoadedDefinition[] = [];
  for (const l of loaded) {
    const first = byKey.get(l.def.key);
    // A file with problems of its own still holds its key: said now, not once it is fixed.
    const broken = brokenKeys.get(l.def.key);
    if (first) report(l, ['key'], `key "${l.def.key}" is already defined in ${first.file}`);
    else if (broken !== undefined && broken !== l.def.file) report(l, ['key'], `key "${l.def.key}" is already defined in ${broken}`);
    else (byKey.set(l.def.key, l.def), unique.push(l));
  }
  const defs = unique.map((l) => l.def);
  const audienceKeys = defs.filter((d) => d.kind === 'audience').map((d) => d.key);
  const producers = traitProducers(defs);
  const produced = new Map<string, Definition>();

  for (const l of unique) {
    const d = l.def;
    for (const [name, path] of producedNames(l)) {
      const other = produced.get(name);
      if (other && other !== d) report(l, path, `trait name "${name}" is also produced by ${other.file} (${other.kind} ${other.key}): two definitions cannot produce the same name`);
      else produced.set(name, d);
    }
    if (destinations) {
      (d.destinations ?? []).forEach((name, i) => {
        if (!destinations.includes(name)) {
          const hint = didYouMean(name, destinations) || `; roster.yml defines ${destinations.length ? destinations.join(', ') : 'no destinations'}`;
          report(l, ['destinations', i], `unknown destination "${name}"${hint}`);
        }
      });
    }
    for (const ref of l.stateRefs) {
      if (byKey.has(ref.key) || isBroken(ref.key)) continue;
      problems.push({ ...ref.at, message: `{{state "${ref.key}"}} names no definition${didYouMean(ref.key, byKey.keys())}` });
    }
    if (d.kind === 'computed_trait' && d.entity === 'user' && d.scope === 'group_context') report(l, ['scope'], GROUP_CONTEXT_NEEDS_AN_ACCOUNT);
    if (d.kind !== 'audience') continue;
    walkConditions(d, (c, site) => {
      if (c.kind === 'event' && c.scope === 'group_context' && site.entity === 'user' && site.usersDepth === 0) {
        report(l, [...site.path, 'event', 'scope'], GROUP_CONTEXT_NEEDS_AN_ACCOUNT);
      }
      if (c.kind === 'users') {
        if (site.usersDepth > 0) report(l, [...site.path, 'users'], 'a users: condition cannot be inside another one (its where: is already about one user)');
        else if (d.entity === 'user') report(l, [...site.path, 'users'], 'only account audiences have users: conditions, and this audience\'s entity is user');
      }
      if (c.kind === 'audience') {
        const target = byKey.get(c.key);
        const path = [...site.path, 'audience', 'key'];
        if (!target) {
          if (!isBroken(c.key)) report(l, path, `unknown audience "${c.key}"${didYouMean(c.key, audienceKeys.filter((k) => k !== d.key))}`);
        } else if (target.kind !== 'audience') {
          report(l, path, `"${c.key}" is a ${target.kind}, not an audience${target.kind === 'computed_trait' ? ': use trait: to compare its value' : ''}`);
        } else if (site.entity === 'account' && target.entity === 'user') {
          report(l, path, `"${c.key}" is a user audience: an account audience reaches user audiences only inside users:`);
        }
      }
      if (c.kind === 'trait') {
        const producer = producers[site.entity].get(c.key);
        const message = producer?.kind === 'computed_trait' ? comparisonProblem(c, producer) : oneValueProblem(c, producer);
        if (message) report(l, [...site.path, 'trait', message.field], message.text);
        // SPEC 2 then reads a custom trait of that name: legal, and easily not what was meant.
        const other = producer ? undefined : producers[site.entity === 'user' ? 'account' : 'user'].get(c.key);
        const from = site.entity === 'user' ? 'identify' : 'group';
        if (other) {
          warnings.push(located(l, [...site.path, 'trait', 'key'], `"${c.key}" is ${other.entity === 'account' ? 'an account' : 'a user'}-level ${other.kind} (${other.file}); here, at ${site.entity} level, it names a custom trait of ${from} calls`));
        } else if (!producer && layout === 'segment' && isSegmentCallColumn(c.key)) {
          warnings.push(located(l, [...site.path, 'trait', 'key'], `"${c.key}" is a column Segment writes for every ${from} call, never a custom trait (SPEC 3): this trait is always missing`));
        } else if (!producer) {
          const near = misspelt(c.key, producers[site.entity].keys());
          if (near) warnings.push(located(l, [...site.path, 'trait', 'key'], `"${c.key}" is no definition's trait, so it names a custom trait of ${from} calls; did you mean "${near}"?`));
        }
      }
    });
  }
  return { problems, warnings, unique };
}

/**
 * A produced trait name `name` is likely a misspelling of: one or two letters apart, in names of
 * six or more (shorter ones, plan and plans, are as likely two traits).
 */
function misspelt(name: string, produced: Iterable<string>): string | undefined {
  if (name.length < 6) return undefined;
  return [...produced].find((p) => p !== name && editDistance(name, p) <= Math.min(2, Math.floor(name.length / 6)));
}

/** Names a definition produces as traits, with where each is written. */
function producedNames({ def: d, source }: LoadedDefinition): [string, Path][] {
  if (d.kind !== 'sql_trait' || !source.doc.has('traits')) return [[d.key, ['key']]]; // traits default to [key]
  return d.traits.map((name, i) => [name, ['traits', i]]);
}

/**
 * The text a computed number is sent as, which a string literal is compared with (SPEC 2, 3): a
 * count's digits, an aggregate rounded to 12 significant digits as JSON writes it. "10.0" or
 * " 10" never equal one.
 */
function numberSentAs(v: string, type: ComputedTrait['type']): string | undefined {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) return undefined;
  return String(type === 'aggregation' ? round12(n) : n);
}

const GROUP_CONTEXT_NEEDS_AN_ACCOUNT = 'group_context keeps only the events whose context_group_id is the account, so it needs one: '
  + 'use it on an account-level trait or event condition, or inside users: of an account audience';

const NUMERIC = new Set(['event_counter', 'aggregation', 'unique_list_count']);
const article = (type: string) => (/^(?!uni)[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/**
 * Why a `trait:` comparison with a list cannot hold for a SQL trait's column or a custom trait:
 * each holds one value (only a unique_list trait is a list), which no list equals.
 */
function oneValueProblem(c: TraitCondition, producer: Definition | undefined): { field: 'value'; text: string } | undefined {
  const p = c.predicate;
  if (!((p.op === 'eq' || p.op === 'neq') && Array.isArray(p.value))) return undefined;
  const what = producer ? `a column of the SQL trait ${producer.key}` : 'a custom trait';
  return { field: 'value', text: listAgainstOneValue(`${c.key} is ${what}`, p.op) };
}

/** Why a `trait:` comparison cannot hold for a computed trait's type, if it cannot. */
function comparisonProblem(c: TraitCondition, t: ComputedTrait): { field: 'op' | 'value'; text: string } | undefined {
  const p = c.predicate;
  const what = `${c.key} is ${article(t.type)}`;
  if (NUMERIC.has(t.type)) {
    if (['contains', 'not_contains', 'starts_with', 'ends_with', 'before', 'after', 'within_last'].includes(p.op)) {
      return { field: 'op', text: `${p.op} cannot hold: ${what}, a number` };
    }
    if (['gt', 'gte', 'lt', 'lte'].includes(p.op) && 'value' in p && typeof p.value !== 'number') {
      return { field: 'value', text: `${what}, a number: ${p.op} needs a number, got ${describe(p.value)}` };
    }
    if ((p.op === 'eq' || p.op === 'neq') && Array.isArray(p.value)) return { field: 'value', text: `${what}, a number: ${p.op} cannot compare it with a list` };
    // A literal that is not a number (true, "ten") never equals a count: eq could never hold, neq always would.
    const literals = ['eq', 'neq', 'in', 'not_in'].includes(p.op) && 'value' in p ? [p.value].flat() : [];
    const notNumber = literals.find((v) => typeof v !== 'number' && (typeof v !== 'string' || numberSentAs(v, t.type) === undefined));
    if (notNumber !== undefined) return { field: 'value', text: `${what}, a number: ${p.op} needs numbers, got ${describe(notNumber)}` };
    // A string compares with the number's text as sent: "10.0" never equals it (10 is sent as 10).
    const unsent = literals.find((v): v is string => typeof v === 'string' && numberSentAs(v, t.type) !== v);
    if (unsent !== undefined) return { field: 'value', text: `${what}, a number: ${p.op} compares ${describe(unsent)} with the number's text as sent (${JSON.stringify(numberSentAs(unsent, t.type))} for ${unsent.trim()}), so it never matches: write the number without quotes` };
  }
  if ((t.type === 'first' || t.type === 'last' || t.type === 'most_frequent') && (p.op === 'eq' || p.op === 'neq') && Array.isArray(p.value)) {
    return { field: 'value', text: listAgainstOneValue(what, p.op) };
  }
  if (t.type === 'unique_list') {
    // in / not_in test one scalar against the literals; a list is not one of them.
    if (['gt', 'gte', 'lt', 'lte', 'before', 'after', 'within_last', 'starts_with', 'ends_with', 'in', 'not_in'].includes(p.op)) {
      return { field: 'op', text: `${p.op} cannot hold: ${what}, a list (use contains, not_contains, eq or neq)` };
    }
    if ((p.op === 'eq' || p.op === 'neq') && !Array.isArray(p.value)) {
      return { field: 'value', text: `${what}, a list: ${p.op} compares whole lists, so its value must be a list like [a, b] (contains tests one item)` };
    }
  }
  return undefined;
}
