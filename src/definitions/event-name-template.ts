import Handlebars from 'handlebars';

/**
 * What is wrong with a destination's track event-name template (SPEC 1), or undefined: a
 * Handlebars syntax error, or a helper it does not have (only the built-in ones: if, each, ...).
 * Both would otherwise surface at the first delivery, or make every track message fail.
 */
export function eventNameTemplateError(source: string): string | undefined {
  try {
    Handlebars.precompile(source, { knownHelpersOnly: true });
    return undefined;
  } catch (e) {
    const lines = (e as Error).message.split('\n');
    const helper = /unknown helper (\S+) - (\d+):(\d+)/.exec(lines[0]);
    if (helper) return `unknown helper "${helper[1]}" at line ${helper[2]}, column ${Number(helper[3]) + 1}`;
    // A parse error lists every token it expected: keep where it is and what it got.
    const got = /(got .*)$/.exec(lines.at(-1) ?? '')?.[1];
    return got ? `${lines[0]} ${got}` : lines[0];
  }
}
