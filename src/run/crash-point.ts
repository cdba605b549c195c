/** Named points where a test can make roster stop dead, as a crash or a kill would. */
export type CrashPoint = 'after-compute' | 'before-commit' | 'after-commit' | 'mid-delivery' | 'demo-tables-written';

/**
 * Exits the process at once (code 137, as after SIGKILL) when ROSTER_CRASH_AT names this
 * point: no finally blocks, no flush, no rollback. For crash-safety tests only.
 */
export function crashPoint(point: CrashPoint): void {
  if (process.env.ROSTER_CRASH_AT === point) process.exit(137);
}
