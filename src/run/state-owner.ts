import type { ProjectConfig } from '../definitions/project-config.js';

/**
 * What a run reads and for which project, as the run log keeps it: two projects sharing one
 * state schema (both keep init's `roster`), or one pointed at another source, would each diff
 * against results computed from other data, and send destinations that difference as changes.
 */
export function runSource(config: ProjectConfig): string {
  return JSON.stringify(sourceOf(config));
}

/** A warning when the last committed run's source (from the run log; null before runs kept it) is not this run's. */
export function otherSourceWarning(last: string | null | undefined, config: ProjectConfig): string | undefined {
  if (typeof last !== 'string' || last === runSource(config)) return undefined;
  let before: Partial<Record<keyof RunSource, unknown>>;
  try {
    before = JSON.parse(last);
  } catch {
    return undefined;
  }
  const describe = (x: Partial<Record<keyof RunSource, unknown>>) =>
    `project ${JSON.stringify(String(x.project))} reading ${String(x.schema)} (${String(x.layout)})`;
  return `the state schema ${config.state.schema} was last committed by ${describe(before)}, and this is ${describe(sourceOf(config))}:`
    + ' results are diffed against what that run kept, and destinations are sent the difference as changes;'
    + ' give each project its own state.schema in roster.yml';
}

interface RunSource { readonly project: string; readonly schema: string; readonly layout: string }

const sourceOf = (config: ProjectConfig): RunSource => ({ project: config.name, schema: config.source.schema, layout: config.source.layout });
