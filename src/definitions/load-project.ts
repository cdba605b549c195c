import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { eventNameProblems } from './check-event-names.js';
import { checkReferences } from './check-references.js';
import { buildGraph } from './graph.js';
import { CONFIG_FILE, loadConfig } from './load-config.js';
import { loadDefinitions } from './load-definitions.js';
import { formatProblem, ProjectError, type Problem, type Project } from './project.js';
import { LAYOUT_TABLES } from './project-config.js';
import { formatPath, type Path } from './yaml-source.js';

export interface LoadOptions {
  /** Where `${VAR}` in roster.yml is looked up (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Loads and validates the roster project in `dir`: roster.yml, every definition (and the SQL
 * files of SQL traits), their references and their graph. Throws a ProjectError listing every
 * problem found, sorted by file and position; returns the definitions sorted by key.
 *
 * @example
 *   const project = await loadProject('examples/b2b-saas');
 *   const graph = buildGraph(project.definitions);
 */
export async function loadProject(dir: string, options: LoadOptions = {}): Promise<Project> {
  const root = resolve(dir);
  const stat = statSync(root, { throwIfNoEntry: false });
  if (stat?.isDirectory() === false) throw new ProjectError([{ file: dir, message: 'is a file: the project is a folder holding roster.yml' }]);
  if (!stat) throw new ProjectError([{ file: dir, message: 'no such folder: the project is a folder holding roster.yml (--project, or the current folder)' }]);
  const [config, definitions] = await Promise.all([loadConfig(root, options.env ?? process.env), loadDefinitions(root)]);
  const references = checkReferences(definitions, config.config && { destinations: config.config.destinations.map((d) => d.name), layout: config.config.source.layout });
  const problems: Problem[] = [...config.problems, ...definitions.problems, ...references.problems];
  if (config.config) problems.push(...eventNameProblems(config.config, config.source, references.unique.map((l) => l.def)));
  if (config.config?.source.layout === 'events_json') {
    // The events_json layout has three tables (SPEC 3): {{source "tracks"}} would fail every run.
    for (const ref of references.unique.flatMap((l) => l.sourceRefs ?? [])) {
      if (!LAYOUT_TABLES.events_json.includes(ref.key)) problems.push({ ...ref.at, message: `{{source "${ref.key}"}}: the events_json layout (roster.yml source.layout) has only ${LAYOUT_TABLES.events_json.join(', ')}` });
    }
  }

  const sources = new Map(references.unique.map((l) => [l.def.key, l.source]));
  const defs = references.unique.map((l) => l.def);
  try {
    buildGraph(defs, { locate: (def, path) => sources.get(def.key)?.locate(path) });
  } catch (e) {
    if (!(e instanceof ProjectError)) throw e;
    problems.push(...e.problems);
  }
  const project = config.config && {
    dir: root, config: config.config, definitions: [...defs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    configProblem: (path: Path, message: string): Problem => {
      const at = config.source?.locate(path);
      return { file: CONFIG_FILE, ...(at ? { line: at.line, column: at.column } : {}), path: formatPath(path), message };
    },
    ...(definitions.warnings.length || references.warnings.length ? { warnings: sortProblems([...definitions.warnings, ...references.warnings]) } : {}),
  };
  if (problems.length || !project) throw new ProjectError(sortProblems(problems), project);
  return project;
}

/**
 * loadProject, telling `onWarning` what the definitions hold that roster ignores: also the
 * warnings of the files that are valid when others have problems, shown with those problems.
 */
export async function loadProjectWarning(dir: string, onWarning?: (message: string) => void): Promise<Project> {
  let project: Project;
  try {
    project = await loadProject(dir);
  } catch (e) {
    if (e instanceof ProjectError) for (const w of e.loaded?.warnings ?? []) onWarning?.(formatProblem(w));
    throw e;
  }
  for (const w of project.warnings ?? []) onWarning?.(formatProblem(w));
  return project;
}

/**
 * The project, for delivery only: what is pending was computed and committed before, so broken
 * definition files do not hold it back (SPEC 5: deliver sends what is pending, nothing else).
 * roster.yml must be valid: it names the destinations. Definitions that load still lend their
 * descriptions to event-name templates.
 */
export async function loadProjectForDelivery(dir: string, onWarning?: (message: string) => void): Promise<Project> {
  try {
    return await loadProject(dir);
  } catch (e) {
    if (!(e instanceof ProjectError) || !e.loaded || e.problems.some((p) => p.file === CONFIG_FILE)) throw e;
    onWarning?.(`${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} in the definitions (roster validate lists them); delivering what is pending anyway`);
    return e.loaded;
  }
}

/** roster.yml first, then by file, line and column; identical problems once. */
function sortProblems(problems: readonly Problem[]): Problem[] {
  const rank = (p: Problem) => (p.file === CONFIG_FILE ? 0 : 1);
  const seen = new Set<string>();
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) =>
      rank(a.p) - rank(b.p) || (a.p.file < b.p.file ? -1 : a.p.file > b.p.file ? 1 : 0) ||
      (a.p.line ?? 0) - (b.p.line ?? 0) || (a.p.column ?? 0) - (b.p.column ?? 0) || a.i - b.i)
    .map(({ p }) => p)
    .filter((p) => {
      const id = JSON.stringify(p);
      return !seen.has(id) && seen.add(id);
    });
}
