import { readsUniverse } from './audience-candidates.js';
import type { Audience, Definition } from './definition.js';
import { ProjectError, type Problem } from './project.js';
import { traitProducers } from './references.js';
import { countedSqlTraits, isAssociating, mayAssociate } from './sql-trait-roles.js';
import { accountUsersUse, explicitDeps, usesAccountUsers } from './stated-deps.js';
import { didYouMean } from './suggest.js';
import { formatPath, type Path } from './yaml-source.js';

/** The dependency graph of a project's definitions (SPEC 3): what must run before what. */
export interface DefinitionGraph {
  /** direct dependencies (keys) of a definition, sorted */
  deps(key: string): readonly string[];
  /** Why `key` depends on `dep` when its text does not name it (SQL traits' ids, associations). */
  why(key: string, dep: string): string | undefined;
  /** all keys in run order: by depth (longest path from a root, roots depth 0), then by key */
  readonly order: readonly string[];
  depth(key: string): number;
  /** dbt-style selection: ['a', '+b', 'c+', '+d+', 'a+,+b'] -> selected keys (a union; commas intersect; unknown key -> ProjectError) */
  select(exprs: readonly string[]): Set<string>;
  /** selected plus everything they transitively depend on */
  withUpstream(keys: Iterable<string>): Set<string>;
}

export interface GraphOptions {
  /** Resolves a path inside a definition's file to line:column, so problems point at the reference. */
  readonly locate?: (def: Definition, path: Path) => { readonly line: number; readonly column: number } | undefined;
}

/** from -> to -> the YAML path of the reference that made the edge (none for implied edges). */
type Edges = Map<string, Map<string, Path | undefined>>;

/**
 * Builds the graph from loaded definitions. Edges: audiences -> the audiences and trait producers
 * they name; SQL traits -> their `{{state}}` keys; audiences that read every user (account) -> the
 * SQL traits that widen that universe (readsUniverse); users-of-accounts consumers -> associating SQL traits.
 * Throws a ProjectError listing every cycle and every associating SQL trait that depends on a
 * consumer of associations.
 */
export function buildGraph(defs: readonly Definition[], options: GraphOptions = {}): DefinitionGraph {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const edges: Edges = new Map(defs.map((d) => [d.key, new Map()]));
  const implied = new Map<string, string>();
  const addEdge = (from: string, to: string, path?: Path, why?: string) => {
    const out = edges.get(from)!;
    if (!out.has(to)) {
      out.set(to, path);
      if (why) implied.set(`${from}\0${to}`, why);
    }
  };
  const producers = traitProducers(defs);
  for (const d of defs) for (const [to, path] of explicitDeps(d, producers, byKey)) addEdge(d.key, to, path);

  const sqlTraits = defs.filter((d) => d.kind === 'sql_trait');
  const associating = sqlTraits.filter(isAssociating);
  // Users (accounts) returned by SQL traits count as users (accounts): audiences that read every
  // entity of theirs run after them. A trait with an audience upstream is waited for only where
  // that closes no cycle (countedSqlTraits).
  for (const d of defs) {
    if (d.kind !== 'audience' || !readsUniverse(d, defs)) continue;
    for (const s of countedSqlTraits(defs, d.entity, d.key)) addEdge(d.key, s.key, undefined, `its ${d.entity === 'user' ? 'user_ids count as users' : 'group_ids count as accounts'}`);
  }

  const problems: Problem[] = [];
  const at = (def: Definition, path: Path | undefined): Omit<Problem, 'message'> => {
    const pos = path && options.locate?.(def, path);
    return { file: def.file, ...(pos ? { line: pos.line, column: pos.column } : {}), ...(path ? { path: formatPath(path) } : {}) };
  };
  const consumers = defs.filter((d) => usesAccountUsers(d, byKey));
  const consumerKeys = new Set(consumers.map((d) => d.key));
  const valid = associating.filter((a) => {
    const chain = pathTo(edges, a.key, (k) => consumerKeys.has(k));
    if (!chain) return true;
    const consumer = chain[chain.length - 1];
    const dependsOn = `but it depends on one: ${chain.join(' -> ')} (${consumer} is ${accountUsersUse(byKey.get(consumer)!)})`;
    problems.push({
      ...at(a, edges.get(a.key)!.get(chain[1])),
      message: mayAssociate(a)
        ? `${a.key} may return user_id (its SELECT list does not name its columns), so it is taken to associate users with accounts, and must run before every definition that uses the users of accounts; ${dependsOn}. Name its columns in its SELECT list`
        : `${a.key} returns user_id, so it associates users with accounts and must run before every definition that uses the users of accounts; ${dependsOn}`,
    });
    return false;
  });
  for (const u of consumers) for (const a of valid) if (a !== u) addEdge(u.key, a.key, undefined, 'it associates users with accounts');

  for (const cycle of findCycles(edges)) {
    const first = byKey.get(cycle[0])!;
    problems.push({ ...at(first, edges.get(cycle[0])!.get(cycle[1])), message: `cycle in the definitions: ${cycle.join(' -> ')}` });
  }
  if (problems.length) throw new ProjectError(problems);
  return makeGraph(edges, implied);
}

/** Shortest path (sorted-first on ties) from `start` to a node matching `goal`, excluding start itself. */
function pathTo(edges: Edges, start: string, goal: (key: string) => boolean): string[] | undefined {
  const prev = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    for (const next of [...edges.get(queue[i])!.keys()].sort()) {
      if (prev.has(next) || next === start) continue;
      prev.set(next, queue[i]);
      if (goal(next)) {
        const chain = [next];
        while (chain[0] !== start) chain.unshift(prev.get(chain[0])!);
        return chain;
      }
      queue.push(next);
    }
  }
  return undefined;
}

/** One cycle per strongly connected component, as [a, b, c, a] starting at its smallest key. */
function findCycles(edges: Edges): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)!.keys()) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component);
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) connect(v);
  const cycles: string[][] = [];
  for (const component of components) {
    const start = [...component].sort()[0];
    if (component.length === 1 && !edges.get(start)!.has(start)) continue;
    const members = new Set(component);
    const inside: Edges = new Map(component.map((k) => [k, new Map([...edges.get(k)!].filter(([to]) => members.has(to)))]));
    if (inside.get(start)!.has(start)) cycles.push([start, start]);
    else cycles.push([...pathTo(inside, start, (k) => inside.get(k)!.has(start))!, start]);
  }
  return cycles.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

// A key in capitals is not one (SPEC 2), but reads as a slip for one: told as an unknown definition, with a suggestion.
const selector = /^(?:(\d*)\+)?([A-Za-z][A-Za-z0-9_]*)(?:\+(\d*))?$/;

function makeGraph(edges: Edges, implied: ReadonlyMap<string, string>): DefinitionGraph {
  const deps = new Map([...edges].map(([k, out]) => [k, [...out.keys()].sort()]));
  const dependents = new Map([...edges.keys()].map((k) => [k, [] as string[]]));
  for (const [k, ds] of deps) for (const d of ds) dependents.get(d)!.push(k);
  const depths = new Map<string, number>();
  const depthOf = (k: string): number => {
    if (!depths.has(k)) depths.set(k, Math.max(-1, ...deps.get(k)!.map(depthOf)) + 1);
    return depths.get(k)!;
  };
  const order = [...edges.keys()].sort((a, b) => depthOf(a) - depthOf(b) || (a < b ? -1 : a > b ? 1 : 0));
  const known = (k: string) => {
    if (!deps.has(k)) throw new Error(`unknown definition "${k}"`);
    return k;
  };
  /** keys reachable from `start` within `limit` steps (start included). */
  const reach = (start: string, next: Map<string, string[]>, limit = Infinity): string[] => {
    const dist = new Map([[start, 0]]);
    const queue = [start];
    for (let i = 0; i < queue.length; i++) {
      const d = dist.get(queue[i])!;
      if (d >= limit) continue;
      for (const n of next.get(queue[i])!) if (!dist.has(n)) (dist.set(n, d + 1), queue.push(n));
    }
    return queue;
  };
  return {
    order,
    deps: (key) => deps.get(known(key))!,
    why: (key, dep) => implied.get(`${key}\0${dep}`),
    depth: (key) => depthOf(known(key)),
    select(exprs) {
      const problems: Problem[] = [];
      let whole = '';
      const one = (expr: string): Set<string> => {
        const out = new Set<string>();
        const m = selector.exec(expr.trim());
        if (expr.trim() === '') {
          problems.push({ file: '--select', message: `${JSON.stringify(whole)} has an empty selector: a comma joins two selectors into their intersection, with no space around it (a+,+b); selectors apart by spaces are a union` });
          return out;
        }
        if (!m) {
          problems.push({ file: '--select', message: `"${expr}" is not a selector: write key, +key, key+ or +key+ (e.g. 2+key for two levels)` });
          return out;
        }
        const [, up, key, down] = m;
        if (!deps.has(key)) {
          problems.push({ file: '--select', message: `unknown definition "${key}"${didYouMean(key, deps.keys())}` });
          return out;
        }
        out.add(key);
        if (up !== undefined) for (const k of reach(key, deps, up ? Number(up) : Infinity)) out.add(k);
        if (down !== undefined) for (const k of reach(key, dependents, down ? Number(down) : Infinity)) out.add(k);
        return out;
      };
      // As dbt: selectors apart are a union; joined by commas, an intersection (a+,+b: between a and b).
      const out = new Set<string>();
      for (const expr of exprs) {
        whole = expr;
        const sets = expr.split(',').map(one);
        for (const k of sets[0]) if (sets.every((s) => s.has(k))) out.add(k);
      }
      // A selection of nothing is a mistake (dbt warns): it must not pass for a run that did its job.
      if (!problems.length && out.size === 0) problems.push({ file: '--select', message: `${exprs.map((e) => JSON.stringify(e)).join(' ')} selects no definition: the selectors joined by a comma have none in common` });
      // One empty selector is said once per argument, however many commas ("a,,").
      if (problems.length) throw new ProjectError(problems.filter((p, i) => problems.findIndex((q) => q.message === p.message) === i));
      return out;
    },
    withUpstream(keys) {
      const out = new Set<string>();
      for (const key of keys) for (const k of reach(known(key), deps)) out.add(k);
      return out;
    },
  };
}
