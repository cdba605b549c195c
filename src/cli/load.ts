import { loadProject } from '../definitions/load-project.js';
import { formatProblem, ProjectError, type Project } from '../definitions/project.js';
import { warn } from './errors.js';

/** Loads and validates the project for a command, warning about what its definitions hold that roster ignores. */
export async function loadProjectWarning(dir: string): Promise<Project> {
  let project: Project;
  try {
    project = await loadProject(dir);
  } catch (e) {
    // The warnings of the files that are valid are shown with the problems of the others.
    if (e instanceof ProjectError) for (const w of e.loaded?.warnings ?? []) warn(formatProblem(w));
    throw e;
  }
  for (const w of project.warnings ?? []) warn(formatProblem(w));
  return project;
}
