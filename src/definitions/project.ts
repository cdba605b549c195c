import type { Definition } from './definition.js';
import type { ProjectConfig } from './project-config.js';
import { oneLine } from '../support/terminal-text.js';

/** One problem in a project, located precisely enough to jump to it in an editor. */
export interface Problem {
  /** Path relative to the project folder, e.g. definitions/at_risk.yml */
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  /** Path inside the file, e.g. where.all[1].users */
  readonly path?: string;
  readonly message: string;
}

/** `definitions/at_risk.yml:7:5 where.all[1].users: message` */
export function formatProblem(p: Problem): string {
  const place = p.line !== undefined ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  return oneLine(`${place}${p.path ? ` ${p.path}` : ''}: ${p.message}`);
}

/** Thrown for an invalid project: exit 1, one line per problem, never a stack trace. */
export class ProjectError extends Error {
  /**
   * `loaded`: when roster.yml is valid, the project with the definitions that parsed, for a command
   * that can do without the others (deliver sends what earlier runs computed).
   */
  declare readonly loaded?: Project;
  constructor(readonly problems: readonly Problem[], loaded?: Project) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ProjectError';
    // Not enumerable: a logger that prints the error's fields would print the project's settings,
    // ${VAR}s (a write key) filled in.
    Object.defineProperty(this, 'loaded', { value: loaded, enumerable: false });
  }
}

export interface Project {
  /** Absolute path of the project folder. */
  readonly dir: string;
  readonly config: ProjectConfig;
  /** Sorted by key. */
  readonly definitions: readonly Definition[];
  /** Things roster ignores in valid definitions (commands print them as warnings). */
  readonly warnings?: readonly Problem[];
  /** A problem at a place in roster.yml, with its line:column (found when a command uses the setting there). */
  readonly configProblem?: (path: readonly (string | number)[], message: string) => Problem;
}
