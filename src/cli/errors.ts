import { ProjectError } from '../definitions/project.js';
import { indentedLines, oneLine } from '../support/terminal-text.js';
import { clearProgressLine } from './progress.js';
import { WarehouseError } from '../warehouse/warehouse.js';

/** Bad arguments on the command line: exit 1. */
export class UsageError extends Error {}

/** Exit codes (SPEC 5): 0 success, 1 invalid project/definitions/arguments, 2 warehouse or destination failure. */
export function exitCodeFor(e: unknown): 1 | 2 {
  return e instanceof ProjectError || e instanceof UsageError ? 1 : 2;
}

/** One readable message, never a stack trace (ROSTER_DEBUG=1 shows it). */
export function reportError(e: unknown): void {
  clearProgressLine();
  if (process.env.ROSTER_DEBUG) console.error(e);
  if (e instanceof ProjectError) {
    console.error(e.message);
    console.error(`${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} found`);
  } else if (e instanceof WarehouseError || e instanceof UsageError) {
    console.error(`error: ${indentedLines(e.message)}`);
  } else {
    console.error(`error: ${indentedLines((e as Error)?.message ?? String(e))}`);
  }
}

/** One warning line on stderr: something the user should know that does not stop the command. */
export function warn(message: string): void {
  clearProgressLine();
  console.error(`warning: ${oneLine(message)}`);
}
