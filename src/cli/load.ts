import { loadProject } from '../definitions/load-project.js';
import { formatProblem, type Project } from '../definitions/project.js';
import { warn } from './errors.js';

/** Loads and validates the project for a command, warning about what its definitions hold that roster ignores. */
export async function loadProjectWarning(dir: string): Promise<Project> {
  const project = await loadProject(dir);
  for (const w of project.warnings ?? []) warn(formatProblem(w));
  return project;
}
