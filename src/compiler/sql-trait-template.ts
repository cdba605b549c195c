import Handlebars from 'handlebars';

export const SQL_TRAIT_HELPERS = ['source', 'state', 'as_of'] as const;

/** Keys named by {{state "key"}} in a SQL trait template, in order of appearance. */
export function sqlTraitStateRefs(template: string): string[] {
  const refs: string[] = [];
  const visit = (node: any): void => {
    if (!node || typeof node !== 'object') return;
    if ((node.type === 'MustacheStatement' || node.type === 'SubExpression') && node.path?.original === 'state') {
      const arg = node.params?.[0];
      if (arg?.type === 'StringLiteral' && !refs.includes(arg.value)) refs.push(arg.value);
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') visit(value);
    }
  };
  try {
    visit(Handlebars.parse(template));
  } catch {
    // Syntax errors are reported by validation; here they just mean no references.
  }
  return refs;
}

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
