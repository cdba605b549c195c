import { loadProjectWarning as load } from '../definitions/load-project.js';
import type { Project } from '../definitions/project.js';
import { warn } from './errors.js';

/** Loads and validates the project for a command, warning on stderr about what its definitions hold that roster ignores. */
export function loadProjectWarning(dir: string): Promise<Project> {
  return load(dir, warn);
}
