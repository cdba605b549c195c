import { unicodeEscape } from './unicode-escape.js';

/**
 * The characters a terminal acts on or breaks a line at (C0 and C1 controls, DEL, U+2028/9), and
 * those it shows as nothing or that reorder the line: zero-width spaces and marks, bidi controls,
 * a byte order mark. A key "\ufeffentity" must not read as "entity".
 */
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u200b\u200e\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/;

/**
 * Text for one line of a terminal: messages quote names from the data and the definitions (an
 * event name, a destination), whose line breaks would forge a line of their own and whose escape
 * sequences the terminal would act on. Control characters are written as \u escapes.
 */
export function oneLine(text: string): string {
  // A tab is shown as a space, as psql shows one in a statement: the caret under an engine's
  // line of SQL counts it as one column.
  return text.replace(/\t/g, ' ').replace(new RegExp(CONTROL_CHARACTER, 'g'), unicodeEscape);
}

/**
 * As oneLine, keeping the line breaks of a message that has several (an engine's parse error
 * shows the SQL line and a caret below it): each further line is indented, so none can pass for
 * a message of its own.
 */
export function indentedLines(text: string): string {
  return text.split(/\r?\n/).map((line, i) => (i === 0 || line === '' ? oneLine(line) : `  ${oneLine(line)}`)).join('\n');
}

/**
 * The columns a terminal gives a text: East Asian wide characters and emoji take two, combining
 * marks none (a caret under a column of a line of SQL must count them so).
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x300 && c <= 0x36f) || c === 0x200d || (c >= 0xfe00 && c <= 0xfe0f)) continue;
    const wide = (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff)
      || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1faff) || (c >= 0x20000 && c <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}
