import type { Definition } from './definition.js';
import type { Problem } from './project.js';
import type { ProjectConfig } from './project-config.js';
import { compileEventName } from './event-name-template.js';
import { CONFIG_FILE } from './load-config.js';
import { formatPath, type YamlSource } from './yaml-source.js';

/**
 * Event-name templates that render an empty name for a definition routed to their destination
 * (`{{description}}` for one without a description): such a track message could never be sent, so
 * it is a problem of roster.yml now rather than a message held back at delivery.
 */
export function eventNameProblems(config: ProjectConfig, source: YamlSource | undefined, definitions: readonly Definition[]): Problem[] {
  const problems: Problem[] = [];
  config.destinations.forEach((destination, i) => {
    if (!destination.calls.includes('track')) return;
    for (const which of ['audience_entered', 'audience_exited', 'trait_computed'] as const) {
      const render = compileEventName(destination.events[which]);
      const empty = definitions.filter((d) => (d.kind === 'audience') === (which !== 'trait_computed')
        && (d.destinations ?? [destination.name]).includes(destination.name)
        && render({ key: d.key, kind: d.kind, entity: d.entity, description: d.description }).trim() === '');
      if (!empty.length) continue;
      const path = ['destinations', i, 'events', which];
      const at = source?.locate(path);
      const keys = empty.slice(0, 3).map((d) => `"${d.key}"`).join(', ') + (empty.length > 3 ? ` and ${empty.length - 3} more` : '');
      problems.push({ file: CONFIG_FILE, ...(at ? { line: at.line, column: at.column } : {}), path: formatPath(path), message: `renders an empty event name for ${keys}` });
    }
  });
  return problems;
}
