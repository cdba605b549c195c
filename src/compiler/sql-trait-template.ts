import Handlebars from 'handlebars';
import { templateComments } from '../definitions/sql-template.js';

export interface TemplateHelpers {
  source(name: string): string;
  state(key: string): string;
  asOf(): string;
}

/** Renders a SQL trait template with roster's helpers; nothing is HTML-escaped. */
export function renderSqlTemplate(template: string, helpers: TemplateHelpers): string {
  const hbs = Handlebars.create();
  const stringArg = (helper: string, value: unknown): string => {
    if (typeof value !== 'string' || value === '') throw new Error(`{{${helper}}} needs one quoted name, e.g. {{${helper} "tracks"}}`);
    return value;
  };
  hbs.registerHelper('source', (name: unknown) => new hbs.SafeString(helpers.source(stringArg('source', name))));
  hbs.registerHelper('state', (key: unknown) => new hbs.SafeString(helpers.state(stringArg('state', key))));
  hbs.registerHelper('as_of', () => new hbs.SafeString(helpers.asOf()));
  const compiled = hbs.compile(keepingCommentLines(template), {
    // A line holding only a comment stays a (blank) line: the SQL keeps the template's lines, so
    // an engine's LINE n can be told as the user's.
    ignoreStandalone: true,
    noEscape: true,
    strict: true,
    knownHelpers: { source: true, state: true, as_of: true },
    knownHelpersOnly: true,
  });
  return compiled({});
}

/**
 * The template with as many line breaks before each comment as the comment spans: a comment
 * renders as nothing, and the SQL after it stays on the line it was written on.
 */
function keepingCommentLines(template: string): string {
  let out = '';
  let from = 0;
  for (const { start, end } of templateComments(template)) {
    const breaks = template.slice(start, end).match(/\r\n?|\n/g)?.length ?? 0;
    out += template.slice(from, start) + '\n'.repeat(breaks);
    from = start;
  }
  return out + template.slice(from);
}
