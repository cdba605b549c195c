import Handlebars from 'handlebars';
import { didYouMean } from './suggest.js';
import { insideStringLiteral, leadingCommentsEnd, unclosedBlockComment, withoutQuoted } from '../support/sql-text.js';

/** The helpers a SQL trait template may use (SPEC 2). */
export const SQL_HELPERS = ['source', 'state', 'as_of'] as const;
/** Tables `{{source "..."}}` knows by name; any other identifier is a per-event table. */
export const SOURCE_TABLES = ['tracks', 'identifies', 'groups', 'events'] as const;

/** A place in the template text, 1-based. */
export interface TemplatePosition { readonly line: number; readonly column: number }
export interface TemplateProblem extends TemplatePosition { readonly message: string }
/** The argument of a `{{state "key"}}` or `{{source "table"}}` helper, where it stands. */
export interface TemplateRef extends TemplatePosition { readonly key: string }

export interface TemplateCheck {
  readonly problems: readonly TemplateProblem[];
  /** Every `{{state "key"}}`, in template order. */
  readonly stateRefs: readonly TemplateRef[];
  /** Every `{{source "table"}}` (its table in `key`), in template order: which exist depends on the layout. */
  readonly sourceRefs: readonly TemplateRef[];
}

type HbsNode = { type: string; loc?: { start: { line: number; column: number } } } & Record<string, any>;

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks a SQL trait template: Handlebars syntax, only roster's helpers, and their arguments.
 * Whether `{{state}}` names a defined key is left to the caller, which knows the keys.
 */
export function checkSqlTemplate(template: string): TemplateCheck {
  let ast: HbsNode;
  try {
    ast = Handlebars.parse(template) as unknown as HbsNode;
  } catch (e) {
    return { problems: [syntaxProblem(template, e as Error & { lineNumber?: number; column?: number })], stateRefs: [], sourceRefs: [] };
  }
  const problems: TemplateProblem[] = [];
  const stateRefs: TemplateRef[] = [];
  const sourceRefs: TemplateRef[] = [];
  const at = (node: HbsNode): TemplatePosition => ({ line: node.loc?.start.line ?? 1, column: (node.loc?.start.column ?? 0) + 1 });
  const problem = (node: HbsNode, message: string) => problems.push({ ...at(node), message });
  const asOfs: TemplatePosition[] = [];

  const visit = (node: HbsNode | undefined): void => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        for (const child of node.body) visit(child);
        return;
      case 'ContentStatement':
      case 'CommentStatement':
        return;
      case 'MustacheStatement':
        checkHelper(node);
        return;
      case 'BlockStatement':
        problem(node, `block helpers ({{#${node.path?.original ?? ''}}}) are not supported in SQL templates: use source, state and as_of`);
        visit(node.program);
        visit(node.inverse);
        return;
      default:
        problem(node, `${UNSUPPORTED[node.type] ?? node.type.replace(/Statement$/, '').toLowerCase()} are not supported in SQL templates: use source, state and as_of`);
    }
  };

  const checkHelper = (node: HbsNode): void => {
    const name: unknown = node.path?.type === 'PathExpression' ? node.path.original : undefined;
    if (typeof name !== 'string' || !(SQL_HELPERS as readonly string[]).includes(name)) {
      const shown = typeof name === 'string' ? name : String(node.path?.original ?? '');
      problem(node, `unknown helper "${shown}"${didYouMean(shown, SQL_HELPERS) || '; SQL templates know source, state and as_of'}`);
      return;
    }
    const params: HbsNode[] = node.params ?? [];
    if (node.hash?.pairs?.length) {
      problem(node, `${name} takes no name=value arguments`);
      return;
    }
    if (name === 'as_of') {
      if (params.length) problem(node, 'as_of takes no arguments: write {{as_of}}');
      asOfs.push(at(node));
      return;
    }
    const arg = params[0];
    if (params.length !== 1 || arg.type !== 'StringLiteral') {
      problem(node, `${name} takes one quoted argument: {{${name} "${name === 'source' ? 'tracks' : 'key'}"}}`);
      return;
    }
    const value = String(arg.value);
    if (name === 'state') stateRefs.push({ ...at(node), key: value });
    else if (!identifier.test(value)) {
      problem(node, `source "${value}" is not a table name: use ${SOURCE_TABLES.join(', ')} or an event's table (e.g. order_completed)`);
    } else if (value !== value.toLowerCase()) {
      // The name is quoted in the SQL: DuckDB would find "TRACKS" as tracks, Postgres would not.
      problem(node, `source "${value}": Segment's table names are lower case: write {{source "${value.toLowerCase()}"}}`);
    } else sourceRefs.push({ ...at(node), key: value });
  };

  visit(ast);
  // Handlebars comments are no SQL: the checks below read the template with them blanked (same
  // length and line breaks, so an offset in it is one in the template).
  const code = withoutTemplateComments(template, ast);
  const statement = notAQuery(code) ?? secondStatement(code);
  if (statement) problems.push(statement);
  for (const p of asOfs.filter((p) => insideStringLiteral(code, offsetOf(code, p)))) {
    problems.push({ ...p, message: "{{as_of}} is inside a quoted string: it is the run's instant, a typed timestamp already, so write it without quotes" });
  }
  problems.push(...writingCalls(code));
  return { problems, stateRefs, sourceRefs };
}

/**
 * Functions that change something whatever the transaction, each with why: Postgres's
 * large-object functions (pg_largeobject, or a server file for lo_export), a sequence's nextval /
 * setval (DuckDB runs them even in a SQL trait's read-only statement), and Postgres functions that
 * write outside the transaction or release roster's run lock.
 */
const WRITING_CALLS: readonly [RegExp, string][] = [
  [/^(lo_(creat|create|from_bytea|import|export|put|unlink|truncate|truncate64|open)|lowrite)$/i, 'is a Postgres large-object function, which writes even in a read-only transaction'],
  [/^(nextval|setval)$/i, 'changes a sequence'],
  [/^dblink\w*$/i, 'runs SQL in another Postgres session, which the read-only transaction does not cover'],
  [/^(pg_import_system_collations|pg_replication_origin_\w+|pg_file_(write|rename|unlink))$/i, 'writes to the server (a catalog, replication state or a file) even in a read-only transaction'],
  [/^pg_advisory_unlock\w*$/i, "releases advisory locks, roster's run lock among them"],
];

/**
 * A call of a function in WRITING_CALLS, refused where it is called. Literals and comments are
 * not looked at.
 */
function writingCalls(template: string): TemplateProblem[] {
  // A quoted name ("lo_unlink") calls the function too. (SQL built in a string and run by a
  // function such as query_to_xml is out of reach of this check.)
  const code = withoutQuoted(template, { keepQuotedNames: true });
  return [...code.matchAll(/(?:\b|")([A-Za-z_]\w*)"?\s*\(/g)].flatMap((m) => {
    const why = WRITING_CALLS.find(([name]) => name.test(m[1]))?.[1];
    if (why === undefined || namesColumns(code, m.index, m.index + m[0].length)) return [];
    return [{ ...positionAt(template, m.index), message: `${m[1]}() ${why}: a SQL trait cannot change anything` }];
  });
}

/**
 * Whether the name at `start`, followed by `(` ending at `open`, is a table's or a CTE's with
 * its column list (`AS nextval (a, b)`, `WITH setval (a) AS (...)`), not a function call.
 */
function namesColumns(code: string, start: number, open: number): boolean {
  if (/\b(AS|WITH)\s*$/i.test(code.slice(0, start))) return true;
  let depth = 1;
  let end = open;
  while (end < code.length && depth > 0) {
    if (code[end] === '(') depth++;
    else if (code[end] === ')') depth--;
    end++;
  }
  return /^\s*AS\s*\(/i.test(code.slice(end));
}

/** The offset of a line:column in a template. */
function offsetOf(template: string, p: TemplatePosition): number {
  const lines = template.split('\n').slice(0, p.line - 1);
  return lines.reduce((n, l) => n + l.length + 1, 0) + p.column - 1;
}

/** The line:column of an offset in a template. */
function positionAt(template: string, offset: number): TemplatePosition {
  const lines = template.slice(0, offset).split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** Statements that are not a query: a SQL trait runs read-only and is read as one subquery. */
const NOT_QUERIES = new Set(['ALTER', 'ANALYZE', 'ATTACH', 'BEGIN', 'CALL', 'CHECKPOINT', 'COMMENT', 'COMMIT', 'COPY', 'CREATE',
  'DEALLOCATE', 'DECLARE', 'DELETE', 'DETACH', 'DO', 'DROP', 'EXECUTE', 'EXPORT', 'GRANT', 'IMPORT', 'INSERT', 'INSTALL', 'LOAD',
  'LOCK', 'MERGE', 'PRAGMA', 'PREPARE', 'REFRESH', 'REINDEX', 'RESET', 'REVOKE', 'ROLLBACK', 'SET', 'TRUNCATE', 'UPDATE', 'USE',
  'VACUUM']);

/** Handlebars nodes SQL templates refuse, as a user writes them (not PartialBlockStatement). */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  PartialStatement: 'partials ({{> name}})', PartialBlockStatement: 'partial blocks ({{#> name}})',
  DecoratorStatement: 'decorators ({{* name}})', DecoratorBlock: 'decorator blocks ({{#* name}})',
};

/** First words of a query on some engine (FROM-first, TABLE t and PIVOT are DuckDB's); `(` starts one too. */
const QUERY_STARTS = new Set(['SELECT', 'WITH', 'VALUES', 'FROM', 'TABLE', 'PIVOT', 'UNPIVOT']);

/**
 * A problem where the template (its Handlebars comments blanked) is not one query: a /* comment
 * it never closes, nothing but comments, or a first statement that is not a query (DELETE,
 * CREATE, SET, ...).
 */
function notAQuery(template: string): TemplateProblem | undefined {
  const at = (offset: number) => positionAt(template, offset);
  const open = unclosedBlockComment(template);
  if (open !== undefined) return { ...at(open), message: 'a /* comment is never closed: the rest of the SQL is inside it' };
  // Whitespace and SQL comments before the first word (its Handlebars comments are blanked).
  const offset = leadingCommentsEnd(template);
  if (offset === template.length) {
    return { line: 1, column: 1, message: 'the SQL is empty (or only comments): a SQL trait is one query (SELECT, WITH, VALUES or FROM ...)' };
  }
  const word = /^[A-Za-z]+/.exec(template.slice(offset))?.[0];
  if (!word) {
    // `(SELECT ...)` is a query; `# ...` (no comment in SQL), a quote or a digit start none.
    if (template[offset] === '(') return undefined;
    return { ...at(offset), message: `a SQL trait is one query (SELECT, WITH, VALUES or FROM ...); it starts with ${JSON.stringify(String.fromCodePoint(template.codePointAt(offset)!))}, which starts no query (SQL comments are -- and /* */)` };
  }
  if (QUERY_STARTS.has(word.toUpperCase())) return undefined;
  if (!NOT_QUERIES.has(word.toUpperCase())) {
    // Not a statement at all (`SELEC 1`, prose, another file's text): the warehouse would only say "syntax error".
    return { ...at(offset), message: `a SQL trait is one query (SELECT, WITH, VALUES or FROM ...); it starts with ${JSON.stringify(word)}, which starts no query` };
  }
  return { ...at(offset), message: `a SQL trait is one query (SELECT, WITH, VALUES or FROM ...), not ${word.toUpperCase()}: it runs read-only and cannot change any table` };
}

/**
 * A problem where a `;` ends the query and another statement follows: a SQL trait is read as one
 * subquery. Semicolons at the end (and comments after them) are allowed, as in a .sql file.
 */
function secondStatement(template: string): TemplateProblem | undefined {
  const code = withoutQuoted(template);
  const end = /;[\s;]*$/.exec(code)?.index ?? code.length;
  const semicolon = code.slice(0, end).indexOf(';');
  if (semicolon < 0) return undefined;
  return { ...positionAt(template, semicolon), message: 'a SQL trait is one query, and another statement follows this ";": remove it, or end the SQL here' };
}

/**
 * The template with its Handlebars comments blanked (same length, line breaks kept): they are no
 * SQL. Found by Handlebars's own parse (templateComments), so an escaped `\{{!` (rendered as text)
 * is not one.
 */
function withoutTemplateComments(template: string, ast: HbsNode): string {
  let out = template;
  for (const { start, end } of templateComments(template, ast)) out = out.slice(0, start) + out.slice(start, end).replace(/[^\r\n]/g, ' ') + out.slice(end);
  return out;
}

/**
 * Where the template's Handlebars comments are ({{! }} and {{!-- --}}), as offsets, in order;
 * none when it does not parse (its syntax error is reported). `ast`: its parse, when it is had.
 */
export function templateComments(template: string, ast?: HbsNode): { start: number; end: number }[] {
  if (!ast) {
    try {
      ast = Handlebars.parse(template) as unknown as HbsNode;
    } catch {
      return [];
    }
  }
  // Lines as Handlebars counts them: \r\n, a lone \r and \n each end one.
  const lineStarts = [0, ...[...template.matchAll(/\r\n?|\n/g)].map((m) => m.index + m[0].length)];
  const offset = (p: { line: number; column: number }) => lineStarts[p.line - 1] + p.column;
  return (ast.body as HbsNode[]).filter((node) => node.type === 'CommentStatement' && node.loc).map((node) => {
    const loc = node.loc as unknown as { start: { line: number; column: number }; end: { line: number; column: number } };
    return { start: offset(loc.start), end: offset(loc.end) };
  });
}

const stateKeys = new Map<string, readonly string[]>();

/**
 * The distinct keys named by `{{state "key"}}` in a template, sorted ([] if it does not parse).
 * Kept per template text: the graph and every compiled audience ask it again (a Handlebars parse).
 */
export function templateStateKeys(template: string): readonly string[] {
  let keys = stateKeys.get(template);
  if (!keys) {
    keys = [...new Set(checkSqlTemplate(template).stateRefs.map((r) => r.key))].sort();
    stateKeys.set(template, keys);
  }
  return keys;
}

const tokenNames: Record<string, string> = {
  CLOSE: '}}', CLOSE_UNESCAPED: '}}}', CLOSE_RAW_BLOCK: '}}}}', OPEN_ENDBLOCK: '{{/...}}', EOF: 'the end of the template',
  ID: 'a name', STRING: 'a quoted string', OPEN_SEXPR: '(', CLOSE_SEXPR: ')',
};

/** A Handlebars syntax error in words, where it is (also for destinations' event-name templates). */
export function syntaxProblem(template: string, e: Error & { lineNumber?: number; column?: number }): TemplateProblem {
  // dbt's Jinja calls (`{{ source('segment', 'tracks') }}`) stop Handlebars' lexer at the quote:
  // "never closed" would send a dbt user looking for a missing }}.
  const jinja = /\{\{[~-]?\s*[A-Za-z_][\w.]*\s*\(/.exec(template);
  if (jinja) {
    const close = template.indexOf('}}', jinja.index);
    const call = template.slice(jinja.index, close < 0 ? jinja.index + 40 : close + 2).split('\n')[0];
    return {
      ...positionAt(template, jinja.index),
      message: `Handlebars syntax error: ${call} is a dbt (Jinja) call; roster's templates are Handlebars, whose arguments follow a space, in double quotes, as in {{source "tracks"}}`,
    };
  }
  const first = e.message.split('\n');
  // The lexer gives up on a {{ (or {{!--) that nothing closes: point at the last one before where it stopped.
  const unclosed = /^Lexical error on line (\d+)/.exec(first[0]) ?? (/got 'INVALID'$/.test(first[first.length - 1]) ? /on line (\d+)/.exec(first[0]) : null);
  if (unclosed) {
    const line = Number(unclosed[1]);
    const text = template.split('\n')[line - 1] ?? '';
    const open = text.lastIndexOf('{{');
    return { line, column: open + 1, message: `Handlebars syntax error: this ${text.startsWith('{{!--', open) ? '{{!-- comment is never closed by --}}' : '{{ is never closed by }}'}` };
  }
  if (first[0].startsWith('Parse error')) {
    // The parser's shared lexer still holds the location of the token it choked on.
    const loc = (Handlebars as unknown as { Parser: { lexer: { yylloc?: { first_line: number; first_column: number } } } }).Parser.lexer.yylloc;
    const last = first[first.length - 1];
    const m = /^Expecting (.*), got '(\w+)'$/.exec(last);
    let line = loc?.first_line ?? 1;
    let column = (loc?.first_column ?? 0) + 1;
    if (m?.[2] === 'EOF') {
      // Point at the end of the text, where the missing token belongs.
      const lines = template.trimEnd().split('\n');
      [line, column] = [lines.length, lines[lines.length - 1].length + 1];
    }
    let message = last;
    if (m) {
      const names = m[1].split(', ').map((t) => tokenNames[t.replace(/'/g, '')]).filter(Boolean);
      const expected = names.includes('}}') ? '}}' : [...new Set(names)].slice(0, 3).join(' or ');
      const text = (template.split('\n')[line - 1] ?? '').slice(column - 1).split(/\s/)[0].slice(0, 12);
      message = m[2] === 'EOF'
        ? `the template ends where ${expected || 'more'} was expected`
        : `unexpected "${text}"${expected ? `, expecting ${expected}` : ''}`;
    }
    return { line, column, message: `Handlebars syntax error: ${message}` };
  }
  const pos = /- (\d+):(\d+)$/.exec(first[0]);
  const line = e.lineNumber ?? (pos ? Number(pos[1]) : 1);
  const column = e.column !== undefined ? e.column + 1 : pos ? Number(pos[2]) + 1 : 1;
  return { line, column, message: `Handlebars syntax error: ${first[0].replace(/ - \d+:\d+$/, '')}` };
}
