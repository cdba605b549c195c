import { posix } from 'node:path';
import { withoutFinalSemicolon } from '../compiler/sql-trait.js';
import { renderSqlTemplate } from '../compiler/sql-trait-template.js';
import type { SqlTrait } from '../definitions/definition.js';

/**
 * An engine's error about a SQL trait's statement, with its `LINE n` told as the line of the
 * user's own SQL: the statement that ran wraps the compiled SQL (a CREATE ... AS SELECT * FROM
 * (...)), which may itself wrap the template in source and state CTEs, so the engine counts lines
 * the user never wrote. The template's lines are the compiled body's: its helpers render on one
 * line, comment lines stay (blank) lines, and its leading blank lines and final semicolon are
 * cut. A `~` (whitespace control) can remove line breaks: then lines are left as they are.
 */
export function inUserSqlLines(message: string, statement: string, sql: string, def: SqlTrait & { readonly file: string }): string {
  const rendered = renderedLines(def.template);
  const at = statement.indexOf(sql);
  if (at < 0 || rendered === undefined || /\{\{~|~\}\}/.test(def.template)) return message;
  // With CTEs, the compiled SQL is `WITH "roster_..." AS (...)\nSELECT * FROM (\n<body>\n) AS sql_trait_rows`.
  const wrapped = sql.startsWith('WITH "roster_') && sql.endsWith('\n) AS sql_trait_rows');
  const lastBodyLine = lineOf(statement, at + sql.length) - (wrapped ? 1 : 0);
  const leading = /^\s*/.exec(rendered)![0].split('\n').length - 1;
  const bodyLines = withoutFinalSemicolon(rendered).split('\n').length;
  const firstBodyLine = lastBodyLine - bodyLines + 1;
  const where = def.sql_file !== undefined ? posix.join(posix.dirname(def.file), def.sql_file) : `the sql of ${def.file}`;
  const lines = message.split('\n');
  let mapped = false;
  lines.forEach((text, i) => {
    const engineLine = /^\s*LINE (\d+):/.exec(text)?.[1];
    const line = engineLine ? Number(engineLine) - firstBodyLine + 1 : 0;
    if (!engineLine || line < 1 || line > bodyLines) return;
    const shown = String(line + leading);
    lines[i] = text.replace(`LINE ${engineLine}:`, `LINE ${shown}:`);
    // The caret under the line points at a column of it: keep it there.
    const shift = shown.length - engineLine.length;
    if (/^\s*\^\s*$/.test(lines[i + 1] ?? '')) lines[i + 1] = shift >= 0 ? ' '.repeat(shift) + lines[i + 1] : lines[i + 1].slice(-shift);
    mapped = true;
  });
  return mapped ? `${where}: ${lines.join('\n')}` : message;
}

/** The 1-based line of an offset. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text[i] === '\n') line++;
  return line;
}

/** The template rendered with stand-ins of one line for its helpers: the compiled body's lines. */
function renderedLines(template: string): string | undefined {
  try {
    return renderSqlTemplate(template, { source: () => 'x', state: () => 'x', asOf: () => 'x' });
  } catch {
    return undefined;
  }
}
