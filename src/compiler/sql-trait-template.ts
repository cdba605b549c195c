import Handlebars from 'handlebars';

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
  const compiled = hbs.compile(template, {
    noEscape: true,
    strict: true,
    knownHelpers: { source: true, state: true, as_of: true },
    knownHelpersOnly: true,
  });
  return compiled({});
}
