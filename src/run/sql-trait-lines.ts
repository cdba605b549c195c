import { posix } from 'node:path';
import { withoutFinalSemicolon } from '../compiler/sql-trait.js';
import type { SqlTrait } from '../definitions/definition.js';

/**
 * An engine's error about a SQL trait's statement, with its `LINE n` told as the line of the
 * user's own SQL: the statement that ran wraps that SQL (a CREATE ... AS SELECT * FROM (...),
 * the source and state CTEs), so the engine counts lines the user never wrote. The template's
 * lines are the statement's lines that end just before the wrapper closes: its helpers render on
 * one line, and its SQL is cut of its leading blank lines and final semicolon, as compiled.
 */
export function inUserSqlLines(message: string, statement: string, def: SqlTrait & { readonly file: string }): string {
  const closes = statement.includes('\n) AS sql_trait_rows') ? '\n) AS sql_trait_rows' : '\n) AS sql_trait';
  const wrapperEnd = statement.lastIndexOf(closes);
  if (wrapperEnd < 0) return message;
  const lastBodyLine = lineOf(statement, wrapperEnd);
  const template = def.template;
  const leading = /^\s*/.exec(template)![0].split('\n').length - 1;
  const bodyLines = withoutFinalSemicolon(template).split('\n').length;
  const firstBodyLine = lastBodyLine - bodyLines + 1;
  const where = def.sql_file !== undefined ? posix.join(posix.dirname(def.file), def.sql_file) : `the sql of ${def.file}`;
  const lines = message.split('\n');
  let mapped = false;
  lines.forEach((text, i) => {
    const at = /^(\s*)LINE (\d+):/.exec(text);
    const line = at ? Number(at[2]) - firstBodyLine + 1 : 0;
    if (!at || line < 1 || line > bodyLines) return;
    const shown = String(line + leading);
    lines[i] = text.replace(`LINE ${at[2]}:`, `LINE ${shown}:`);
    // The caret under the line points at a column of it: keep it there.
    const shift = shown.length - at[2].length;
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
