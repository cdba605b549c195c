import Handlebars from 'handlebars';
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
    try {
      hbs.parse(source); // compile() is lazy: parse now so a bad template fails at load time
      compiled.set(which, hbs.compile<EventNameContext>(source, { noEscape: true, strict: false }));
    } catch (err) {
      throw new EventNameError(destination.name, `events.${which} is not a valid template: ${(err as Error).message}`);
    }
  }
  return (which, context) => {
    let name: string;
    try {
      name = compiled.get(which)!(context);
    } catch (err) {
      throw new EventNameError(destination.name, `events.${which} failed for "${context.key}": ${(err as Error).message}`);
    }
    if (name.trim() === '') throw new EventNameError(destination.name, `events.${which} renders an empty event name for "${context.key}"`);
    return name;
  };
}
