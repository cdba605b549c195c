import Handlebars from 'handlebars';
import { syntaxProblem } from './sql-template.js';

/** What a track event-name template sees (SPEC 1). */
export const EVENT_NAME_VARIABLES = ['key', 'kind', 'entity', 'description'] as const;

/**
 * What is wrong with a destination's track event-name template (SPEC 1), or undefined: a
 * Handlebars syntax error, a partial, a helper other than if / unless, or a variable it does not
 * see. Each would otherwise surface at the first delivery, make every track
 * message fail, or render as nothing.
 */
export function eventNameTemplateError(source: string): string | undefined {
  // An event name is one line of text (a destination's UI lists it): no line break, tab or other control character.
  const control = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u.exec(source);
  if (control) return `holds the control character U+${control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} at column ${control.index + 1}: an event name is one line of text`;
  try {
    Handlebars.precompile(source, { knownHelpersOnly: true });
  } catch (e) {
    const lines = (e as Error).message.split('\n');
    const helper = /unknown helper (\S+) - (\d+):(\d+)/.exec(lines[0]);
    if (helper) return `unknown helper "${helper[1]}" at line ${helper[2]}, column ${Number(helper[3]) + 1}`;
    // A parse error lists every token it expected: say it in words, as for SQL templates.
    const p = syntaxProblem(source, e as Error);
    return `${p.message.replace(/^Handlebars syntax error: /, '')} (line ${p.line}, column ${p.column} of the template)`;
  }
  return templateProblem(Handlebars.parse(source));
}

/** The values a template renders (EVENT_NAME_VARIABLES). */
export interface EventNameContext {
  readonly key: string;
  readonly kind: string;
  readonly entity: string;
  readonly description?: string;
}

// An isolated environment: helpers registered elsewhere (SQL templates) never leak in.
const hbs = Handlebars.create();

/** A template eventNameTemplateError accepts, compiled: no HTML escaping, missing values render as nothing. */
export function compileEventName(source: string): (context: EventNameContext) => string {
  return hbs.compile<EventNameContext>(source, { noEscape: true, strict: false, knownHelpersOnly: true });
}

/** Helpers a template may call: the others change the context (each, with), log to stdout (log) or look up (lookup). */
const EVENT_NAME_HELPERS = ['if', 'unless'];

/** What is wrong with the first partial, decorator, helper call or variable the template may not use, if any. */
function templateProblem(node: unknown): string | undefined {
  const n = node as hbs.AST.Node | null | undefined;
  if (!n || typeof n !== 'object') return undefined;
  const at = n.loc ? ` at line ${n.loc.start.line}, column ${n.loc.start.column + 1}` : '';
  if (/^(Partial|Decorator)/.test(n.type)) return `${n.type.startsWith('Partial') ? 'partials' : 'decorators'} are not available${at}`;
  if (n.type === 'PathExpression') {
    const path = n as hbs.AST.PathExpression;
    // One variable, by name (or as @root.key): a path into it (key.length, description.[0]) or
    // other data (@index) renders something else, or nothing, with no error.
    const parts = path.data && path.parts[0] === 'root' ? path.parts.slice(1) : path.data ? [`@${path.parts.join('.')}`] : path.parts;
    const known = path.parts.length === 0 || (parts.length === 1 && (EVENT_NAME_VARIABLES as readonly string[]).includes(String(parts[0])));
    return known ? undefined : `unknown variable "${path.original}"${at}: templates see ${EVENT_NAME_VARIABLES.join(', ')}`;
  }
  const children: unknown[] = [];
  if (n.type === 'Program') children.push(...(n as hbs.AST.Program).body);
  if (n.type === 'MustacheStatement' || n.type === 'SubExpression' || n.type === 'BlockStatement') {
    const call = n as hbs.AST.MustacheStatement | hbs.AST.BlockStatement;
    const block = n.type === 'BlockStatement' ? (n as hbs.AST.BlockStatement) : undefined;
    // A helper's own name (if) is not a variable; a plain {{name}} is.
    if (call.params.length || block) {
      const name = (call.path as hbs.AST.PathExpression).original;
      if (!EVENT_NAME_HELPERS.includes(name)) return `helper "${name}" is not available${at}: templates may use {{#if}} and {{#unless}}`;
      // Handlebars throws at render time otherwise, at every delivery.
      if (!block || call.params.length !== 1 || call.hash?.pairs.length) return `${name} is a block of one variable${at}: write {{#${name} description}}...{{/${name}}}`;
      children.push(...call.params, ...(call.hash?.pairs.map((p) => p.value) ?? []), block?.program, block?.inverse);
    } else {
      // {{this}}, {{.}} and {{@root}} are the whole context: rendered, an object's "[object Object]".
      const path = call.path as hbs.AST.PathExpression;
      const whole = path.type === 'PathExpression' && (path.parts.length === 0 || (path.data && path.parts.length === 1 && path.parts[0] === 'root'));
      if (whole) return `{{${path.original}}}${at} is every variable at once, not a text: write one of ${EVENT_NAME_VARIABLES.join(', ')}`;
      children.push(call.path);
    }
  }
  for (const child of children) {
    const found = templateProblem(child);
    if (found) return found;
  }
  return undefined;
}
