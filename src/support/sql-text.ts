/**
 * SQL with its string literals (also E'...' with backslash escapes and $tag$...$tag$), quoted
 * identifiers and comments (block comments nest, as on Postgres and DuckDB) blanked, line breaks
 * kept: to look for parameters where the engine sees them. A SQL trait may name {{as_of}} in a
 * comment, where the engine sees no parameter, and '--' in a string starts no comment.
 * `backslashEscapes`: a backslash escapes the next character in every '...' (Snowflake's
 * literals), not only in E'...'.
 */
export function withoutQuoted(sql: string, options: { keepQuotedNames?: boolean; backslashEscapes?: boolean } = {}): string {
  return scan(sql, options.keepQuotedNames ?? false, options.backslashEscapes ?? false).text;
}

/**
 * Whether `code` (SQL as withoutQuoted gives it, so that text in literals and comments is not
 * read) names the parameter `placeholder` ($as_of, $1, :1): not as the start of a longer one.
 */
export function namesPlaceholder(code: string, placeholder: string): boolean {
  return new RegExp(`${placeholder.replace(/[$]/g, '\\$&')}(?![A-Za-z0-9_])`).test(code);
}

/**
 * Where a block comment opens that the SQL never closes, if one does (the engine would read the
 * rest as comment); literals and other comments are read as withoutQuoted reads them.
 */
export function unclosedBlockComment(sql: string): number | undefined {
  return scan(sql, false, false).unclosedComment;
}

/**
 * The offset of the SQL's first character that is not whitespace or a comment (-- to the line's
 * end, or a block comment with those nested in it, as withoutQuoted reads them); a block comment
 * never closed runs to the end.
 */
export function leadingCommentsEnd(sql: string): number {
  let i = 0;
  while (i < sql.length) {
    if (/\s/.test(sql[i])) i++;
    else if (sql.startsWith('--', i)) i = lineEnd(sql, i);
    else if (sql.startsWith('/*', i)) i = blockCommentEnd(sql, i) ?? sql.length;
    else break;
  }
  return i;
}

/** Whether `offset` lies inside a string literal ('...' or E'...') of the SQL, read as withoutQuoted reads it. */
export function insideStringLiteral(sql: string, offset: number): boolean {
  return scan(sql, false, false).strings.some(([start, end]) => offset >= start && offset < end);
}

/**
 * One reading of SQL for all: the text with literals and comments blanked, an unclosed block
 * comment, and where string literals ('...', E'...') lie ([start, end)).
 */
function scan(sql: string, keepQuotedNames: boolean, backslashEscapes: boolean): { text: string; unclosedComment?: number; strings: [number, number][] } {
  let out = '';
  let unclosedComment: number | undefined;
  const strings: [number, number][] = [];
  let i = 0;
  const blank = (end: number) => {
    const text = sql.slice(i, end);
    out += text.includes('\n') ? text.replace(/[^\n]/g, ' ') : ' '.repeat(text.length);
    i = end;
  };
  const blankString = (end: number) => {
    strings.push([i, end]);
    blank(end);
  };
  while (i < sql.length) {
    // Straight to where a literal, quoted name, comment or parameter may open: the text between is kept as it is.
    OPENER.lastIndex = i;
    const next = OPENER.exec(sql)?.index ?? sql.length;
    if (next > i) {
      out += sql.slice(i, next);
      i = next;
      continue;
    }
    const rest = sql.slice(i, i + 2);
    const c = sql[i];
    const dollarEnd = c === '$' ? dollarQuoteEnd(sql, i) : undefined;
    if (c === '"' && keepQuotedNames) {
      const end = quotedEnd(sql, i, c, false);
      out += sql.slice(i, end);
      i = end;
    } else if (c === "'") blankString(quotedEnd(sql, i, c, backslashEscapes));
    else if (c === '"') blank(quotedEnd(sql, i, c, false));
    else if ((c === 'E' || c === 'e') && sql[i + 1] === "'" && !IDENTIFIER_CHAR.test(sql[i - 1] ?? '')) blankString(quotedEnd(sql, i + 1, "'", true));
    else if (rest === '--') blank(lineEnd(sql, i));
    else if (rest === '/*') {
      const end = blockCommentEnd(sql, i);
      unclosedComment ??= end === undefined ? i : undefined;
      blank(end ?? sql.length);
    } else if (c === '$' && IDENTIFIER_CHAR.test(sql[i - 1] ?? '')) blank(i + 1); // inside a name (plan$1): no parameter
    else if (dollarEnd !== undefined) blank(dollarEnd);
    else {
      out += c;
      i++;
    }
  }
  return { text: out, unclosedComment, strings };
}

/** Where scan has something to decide: a quote, a dollar, a comment's start, E'. */
const OPENER = /['"$]|--|\/\*|[Ee]'/g;

/** The end (exclusive) of the quoted text opening at `start`: a doubled quote is one; with `backslash`, \x is one character. */
function quotedEnd(sql: string, start: number, quote: string, backslash: boolean): number {
  for (let j = start + 1; j < sql.length; j++) {
    if (backslash && sql[j] === '\\') j++;
    else if (sql[j] === quote) {
      if (sql[j + 1] !== quote) return j + 1;
      j++;
    }
  }
  return sql.length;
}

function lineEnd(sql: string, start: number): number {
  const m = /[\r\n]/.exec(sql.slice(start));
  return m ? start + m.index : sql.length;
}

/**
 * A dollar quote's opening tag, spelt as an unquoted name is: ASCII letters, digits and _, and
 * any character past ASCII, as Postgres and DuckDB read names ($$, $x$, $é$, $€$).
 */
const DOLLAR_TAG = /^\$((?:[A-Za-z_]|[^\x00-\x7F])(?:[A-Za-z0-9_]|[^\x00-\x7F])*)?\$/u;

/** Characters that continue a name on Postgres and DuckDB (a $ too: plan$1 is one name). */
const IDENTIFIER_CHAR = /[A-Za-z0-9_$]|[^\x00-\x7F]/u;

/**
 * The end (exclusive) of the dollar-quoted text opening at `start` (sql[start] is `$`), or of the
 * SQL when it is never closed; undefined when no dollar quote opens there ($1, $as_of).
 */
function dollarQuoteEnd(sql: string, start: number): number | undefined {
  if (IDENTIFIER_CHAR.test(sql[start - 1] ?? '')) return undefined;
  const tag = DOLLAR_TAG.exec(sql.slice(start, start + 128))?.[0];
  if (tag === undefined) return undefined;
  const close = sql.indexOf(tag, start + tag.length);
  return close < 0 ? sql.length : close + tag.length;
}

/** The end (exclusive) of the block comment opening at `start`, nested ones included; undefined when it never closes. */
function blockCommentEnd(sql: string, start: number): number | undefined {
  let depth = 0;
  for (let j = start; j < sql.length - 1; j++) {
    if (sql[j] === '/' && sql[j + 1] === '*') {
      depth++;
      j++;
    } else if (sql[j] === '*' && sql[j + 1] === '/') {
      depth--;
      j++;
      if (depth === 0) return j + 1;
    }
  }
  return undefined;
}
