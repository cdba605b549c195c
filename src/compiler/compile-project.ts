import type { Project } from '../definitions/project.js';
import { compiledFile, compileDefinition } from './compile.js';
import type { Dialect } from './dialect.js';
import { compilePlan, planFile } from './plan/plan.js';

/** The run plan's file: a leading underscore, so no definition key (SPEC 2: ^[a-z]...) can take its name. */
const PLAN_FILE = '_run.sql';

/**
 * The files of compiled/<dialect>/: `<key>.sql` for each definition in `keys` (in the project's
 * order), then `_run.sql`, the fused plan of a whole run. The plan holds every definition
 * whatever `keys` holds: a selected one that changed changes it too.
 */
export function compileProject(project: Project, dialect: Dialect, order: readonly string[], keys: ReadonlySet<string> = new Set(order)): Map<string, string> {
  const options = { dialect, config: project.config, definitions: project.definitions };
  const files = new Map<string, string>();
  for (const def of project.definitions.filter((x) => keys.has(x.key))) files.set(`${def.key}.sql`, compiledFile(def, compileDefinition(def, options), dialect));
  files.set(PLAN_FILE, planFile(compilePlan({ ...options, order }), dialect, project.config.name));
  return files;
}
