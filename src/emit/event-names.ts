import Handlebars from 'handlebars';
import { eventNameTemplateError } from '../definitions/event-name-template.js';
import type { Destination } from '../definitions/project-config.js';

/** What an event-name template sees (SPEC 1). */
export interface EventNameContext {
  readonly key: string;
  readonly kind: string;
  readonly entity: string;
  readonly description?: string;
}

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

// An isolated environment: helpers registered elsewhere (SQL templates) never leak in.
const hbs = Handlebars.create();

/**
 * Compiles the destination's `events` templates (Handlebars, `noEscape`, not strict).
 * Throws EventNameError naming the destination when one does not parse.
 */
export function compileEventNames(destination: Pick<Destination, 'name' | 'events'>): EventNames {
  const compiled = new Map<EventNameKind, HandlebarsTemplateDelegate<EventNameContext>>();
  for (const which of ['audience_entered', 'audience_exited', 'trait_computed'] as const) {
    const source = destination.events[which];
    // compile() is lazy: check now, so a bad template is a configuration error before anything is sent.
    const error = eventNameTemplateError(source);
    if (error) throw new EventNameError(destination.name, `events.${which} is not a valid template: ${error}`);
    compiled.set(which, hbs.compile<EventNameContext>(source, { noEscape: true, strict: false, knownHelpersOnly: true }));
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
