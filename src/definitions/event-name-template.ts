import Handlebars from 'handlebars';

/** What a track event-name template sees (SPEC 1). */
export const EVENT_NAME_VARIABLES = ['key', 'kind', 'entity', 'description'] as const;

/**
 * What is wrong with a destination's track event-name template (SPEC 1), or undefined: a
 * Handlebars syntax error, a helper it does not have (only the built-in ones: if, each, ...), or
 * a variable it does not see. Each would otherwise surface at the first delivery, make every track
 * message fail, or render as nothing.
 */
export function eventNameTemplateError(source: string): string | undefined {
  try {
    Handlebars.precompile(source, { knownHelpersOnly: true });
  } catch (e) {
    const lines = (e as Error).message.split('\n');
    const helper = /unknown helper (\S+) - (\d+):(\d+)/.exec(lines[0]);
    if (helper) return `unknown helper "${helper[1]}" at line ${helper[2]}, column ${Number(helper[3]) + 1}`;
    // A parse error lists every token it expected: keep where it is and what it got.
    const got = /(got .*)$/.exec(lines.at(-1) ?? '')?.[1];
    return got ? `${lines[0]} ${got}` : lines[0];
  }
  const ast = Handlebars.parse(source);
  const unsupported = unsupportedNode(ast);
  if (unsupported) return unsupported;
  const unknown = unknownVariable(ast);
  if (unknown) {
    const at = unknown.loc ? ` at line ${unknown.loc.start.line}, column ${unknown.loc.start.column + 1}` : '';
    return `unknown variable "${unknown.original}"${at}: templates see ${EVENT_NAME_VARIABLES.join(', ')}`;
  }
  return undefined;
}

/** Helpers a template may call: the others change the context (each, with), log to stdout (log) or look up (lookup). */
const EVENT_NAME_HELPERS = ['if', 'unless'];

/** What is wrong with the first partial, decorator or helper call the template may not use, if any. */
function unsupportedNode(node: unknown): string | undefined {
  const n = node as hbs.AST.Node | null | undefined;
  if (!n || typeof n !== 'object') return undefined;
  const at = n.loc ? ` at line ${n.loc.start.line}, column ${n.loc.start.column + 1}` : '';
  if (/^(Partial|Decorator)/.test(n.type)) return `${n.type.startsWith('Partial') ? 'partials' : 'decorators'} are not available${at}`;
  const children: unknown[] = [];
  if (n.type === 'Program') children.push(...(n as hbs.AST.Program).body);
  if (n.type === 'MustacheStatement' || n.type === 'SubExpression' || n.type === 'BlockStatement') {
    const call = n as hbs.AST.MustacheStatement | hbs.AST.BlockStatement;
    const name = (call.path as hbs.AST.PathExpression).original;
    if ((call.params.length || n.type === 'BlockStatement') && !EVENT_NAME_HELPERS.includes(name)) {
      return `helper "${name}" is not available${at}: templates may use {{#if}} and {{#unless}}`;
    }
    children.push(...call.params);
    if (n.type === 'BlockStatement') children.push((n as hbs.AST.BlockStatement).program, (n as hbs.AST.BlockStatement).inverse);
  }
  for (const child of children) {
    const found = unsupportedNode(child);
    if (found) return found;
  }
  return undefined;
}

/**
 * The first path the template reads that is not one of the variables. Inside #each / #with the
 * context is something else, so paths there are not checked.
 */
function unknownVariable(node: unknown): hbs.AST.PathExpression | undefined {
  const n = node as hbs.AST.Node | null | undefined;
  if (!n || typeof n !== 'object') return undefined;
  if (n.type === 'PathExpression') {
    const path = n as hbs.AST.PathExpression;
    const known = path.data || path.original === 'this' || path.original === '.' || (EVENT_NAME_VARIABLES as readonly string[]).includes(String(path.parts[0]));
    return known ? undefined : path;
  }
  const children: unknown[] = [];
  if (n.type === 'Program') children.push(...(n as hbs.AST.Program).body);
  else if (n.type === 'MustacheStatement' || n.type === 'SubExpression' || n.type === 'BlockStatement') {
    const call = n as hbs.AST.MustacheStatement | hbs.AST.BlockStatement;
    const block = n.type === 'BlockStatement' ? (n as hbs.AST.BlockStatement) : undefined;
    // A helper's own name (if, each) is not a variable; a plain {{name}} is.
    if (call.params.length || block) children.push(...call.params, ...(call.hash?.pairs.map((p) => p.value) ?? []));
    else children.push(call.path);
    const helper = (call.path as hbs.AST.PathExpression).original;
    if (block && helper !== 'each' && helper !== 'with') children.push(block.program, block.inverse);
  }
  for (const child of children) {
    const found = unknownVariable(child);
    if (found) return found;
  }
  return undefined;
}
