/**
 * The names of the columns a SQL query returns, read off its first top-level SELECT list (the
 * one that names a UNION's columns), or undefined when the text does not tell: `*`, no SELECT.
 * A sketch, not a parser: enough to tell whether a SQL trait returns user_id, where the only
 * other clue is that its text mentions user_id somewhere (count(DISTINCT user_id) included).
 *
 * @example
 * outputColumns('WITH m AS (SELECT user_id FROM t) SELECT group_id, count(user_id) AS n FROM m') // ['group_id', 'n']
 */
export function outputColumns(sql: string): string[] | undefined {
  const text = blankQuotesAndComments(sql);
  const items: string[] = [];
  let depth = 0;
  let start = -1;
  let item = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    if (c === ')') depth--;
    const keyword = depth === 0 && /\w/.test(c) && !/\w/.test(text[i - 1] ?? '') ? wordAt(text, i) : undefined;
    if (start < 0) {
      if (keyword === 'select') (start = i + 6), (i += 5);
      continue;
    }
    if (keyword === 'from' || keyword === 'union' || keyword === 'except' || keyword === 'intersect' || (depth === 0 && c === ';')) break;
    if (depth === 0 && c === ',') {
      items.push(item);
      item = '';
    } else item += c;
  }
  if (start < 0) return undefined;
  items.push(item);
  const names: string[] = [];
  for (const raw of items) {
    // A Postgres cast keeps the column's name: `user_id::text` is named user_id.
    const expr = raw.trim().replace(TRAILING_CASTS, '').trim();
    // `*`, `t.*`, DuckDB's `* EXCLUDE (x)` and `COLUMNS(*)` (after a first item's DISTINCT or
    // ALL): the text does not tell. A `*` inside an expression (count(t.*)) names no columns.
    const item = names.length === 0 ? expr.replace(/^(DISTINCT(\s+ON\s*\([^)]*\))?|ALL)\s+/i, '') : expr;
    if (/^([A-Za-z_][\w$]*\s*\.\s*)*\*/.test(item) || /^COLUMNS\s*\(/i.test(item)) return undefined;
    // The last word names the column: `x AS name`, `t.name`, `name`.
    const name = /(?:^|[\s.])([A-Za-z_][A-Za-z0-9_$]*)$/.exec(expr)?.[1].toLowerCase();
    // An expression without an alias is named by the engine, each its own way (CAST(user_id AS ...)).
    if (name === undefined && /\buser_id\b/i.test(expr)) return undefined;
    names.push(name ?? '?column?');
  }
  return names;
}

/**
 * Casts ending an item: `::` and a type, whose name goes on only with the words SQL types use
 * (`double precision`, `timestamp(3) with time zone`, `varchar[]`). Any other word after it is an
 * alias: `NULL::varchar user_id` is named user_id, not null.
 */
const TRAILING_CASTS = /(?:::\s*[A-Za-z_][\w$]*(?:\s*\.\s*[A-Za-z_][\w$]*)?(?:\s+(?:precision|varying|with|without|local|time|zone|to|year|month|day|hour|minute|second)\b|\s*\([\d\s,]*\)|\s*\[\s*\d*\s*\])*\s*)+$/i;

const WORD = /\w+/y;

/** The word starting at `i`, lower case (sticky: no copy of the rest of the text). */
function wordAt(text: string, i: number): string {
  WORD.lastIndex = i;
  return WORD.exec(text)![0].toLowerCase();
}

/** The SQL with string literals, comments and Handlebars tags blanked (same length), quoted identifiers unquoted. */
function blankQuotesAndComments(sql: string): string {
  return sql
    .replace(/\{\{[^}]*\}\}/g, (m) => ' '.repeat(m.length))
    .replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'/g, (m) => ' '.repeat(m.length))
    .replace(/"((?:[^"]|"")*)"/g, (_, name: string) => ` ${name.replace(/""/g, '"')} `);
}
