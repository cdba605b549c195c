import { compileEventName, eventNameTemplateError, type EventNameContext } from '../definitions/event-name-template.js';
import type { Destination } from '../definitions/project-config.js';

export type { EventNameContext };

export type EventNameKind = 'audience_entered' | 'audience_exited' | 'trait_computed';

/** A destination's track event names, compiled once. */
export type EventNames = (which: EventNameKind, context: EventNameContext) => string;

/** Thrown when a destination's `events` template is invalid or renders an empty name. */
export class EventNameError extends Error {
  constructor(readonly destination: string, message: string) {
    super(`destination "${destination}": ${message}`);
    this.name = 'EventNameError';
  }
}

/**
 * Compiles the destination's `events` templates (Handlebars, `noEscape`, not strict).
 * Throws EventNameError naming the destination when one does not parse.
 */
export function compileEventNames(destination: Pick<Destination, 'name' | 'events'>): EventNames {
  const compiled = new Map<EventNameKind, (context: EventNameContext) => string>();
  for (const which of ['audience_entered', 'audience_exited', 'trait_computed'] as const) {
    const source = destination.events[which];
    // compile() is lazy: check now, so a bad template is a configuration error before anything is sent.
    const error = eventNameTemplateError(source);
    if (error) throw new EventNameError(destination.name, `events.${which} is not a valid template: ${error}`);
    compiled.set(which, compileEventName(source));
  }
  // Changes come in definition order, so consecutive tracks nearly always ask for the same name:
  // remember the last one per template (a template is a pure function of its context).
  const last = new Map<EventNameKind, { context: EventNameContext; name: string }>();
  return (which, context) => {
    const hit = last.get(which);
    if (hit && sameContext(hit.context, context)) return hit.name;
    let name: string;
    try {
      name = compiled.get(which)!(context);
    } catch (err) {
      throw new EventNameError(destination.name, `events.${which} failed for "${context.key}": ${(err as Error).message}`);
    }
    if (name.trim() === '') throw new EventNameError(destination.name, `events.${which} renders an empty event name for "${context.key}"`);
    last.set(which, { context: { ...context }, name });
    return name;
  };
}

function sameContext(a: EventNameContext, b: EventNameContext): boolean {
  return a.key === b.key && a.kind === b.kind && a.entity === b.entity && a.description === b.description;
}
