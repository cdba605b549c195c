/**
 * Text for one line of a terminal: messages quote names from the data and the definitions (an
 * event name, a destination), whose line breaks would forge a line of their own and whose escape
 * sequences the terminal would act on. Control characters are written as \u escapes.
 */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, escape);
}

/**
 * As oneLine, keeping the line breaks of a message that has several (an engine's parse error
 * shows the SQL line and a caret below it): each further line is indented, so none can pass for
 * a message of its own.
 */
export function indentedLines(text: string): string {
  return text.split(/\r?\n/).map(oneLine).join('\n  ');
}

function escape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
