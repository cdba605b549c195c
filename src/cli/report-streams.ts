import type { Project } from '../definitions/project.js';
import { exitCodeFor } from './errors.js';

/** A destination of type stdout: messages own stdout, so reports go to stderr. */
export function writesToStdout(project: Pick<Project, 'config'>): boolean {
  return project.config.destinations.some((x) => x.type === 'stdout');
}

/** Where the report goes: stderr when a destination writes messages to stdout. */
export function reportSink(project: Project): (s: string) => void {
  return writesToStdout(project) ? (s) => console.error(s) : (s) => console.log(s);
}

/**
 * Messages written to stdout on a terminal: a progress line on stderr would be drawn in between
 * them on the same screen, so there is none (the messages show the progress).
 */
export function messagesOnTerminal(project: Project, stdout: { readonly isTTY?: boolean } = process.stdout): boolean {
  return writesToStdout(project) && Boolean(stdout.isTTY);
}

/**
 * `--json`'s summary of run and deliver, printed once: a document on stdout, or, when messages
 * own stdout, one line on stderr (the only stderr line starting with "{"). A command that fails
 * before its summary (an invalid project, a refused as_of, an unreachable warehouse) prints
 * `{"ok": false, "exit_code": N, "error": "..."}` there instead, so a scheduler always has one to
 * read; the error goes to stderr as without --json.
 */
export class JsonSummary {
  private printed = false;
  /** Known once loaded: until then the summary goes to stdout. */
  project?: Pick<Project, 'config'>;

  constructor(readonly enabled: boolean) {}

  print(summary: object): void {
    if (!this.enabled || this.printed) return;
    this.printed = true;
    if (this.project && writesToStdout(this.project)) console.error(JSON.stringify(summary));
    else console.log(JSON.stringify(summary, null, 2));
  }

  /** Runs a command's body; if it throws before the summary is printed, prints the failure's. */
  async around(body: () => Promise<number>): Promise<number> {
    try {
      return await body();
    } catch (e) {
      this.print({ ok: false, exit_code: exitCodeFor(e), error: e instanceof Error ? e.message : String(e) });
      throw e;
    }
  }
}
