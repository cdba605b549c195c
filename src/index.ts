/**
 * roster as a library: what `roster validate | compile | run | deliver` do, without a terminal.
 * `run` and `deliver` return the summary their `--json` prints; problems with the project are
 * thrown as a `ProjectError` (the CLI's exit 1), a refused as_of as an `AsOfError` (exit 1), a
 * warehouse that fails as a `WarehouseError` (exit 2). Warnings go to `onWarning`, not stderr.
 *
 * @example
 *   import { run } from 'roster';
 *   const summary = await run('./my-project', { asOf: new Date('2024-06-03T00:00:00Z') });
 *   for (const d of summary.definitions) console.log(d.key, d.entered, d.exited, d.changed);
 *   if (!summary.ok) process.exitCode = 2;
 */
import { dialectFor } from '../dialects/index.js';
import { instantOutOfReach, parseInstant } from './definitions/common.js';
import { compileProject } from './compiler/compile-project.js';
import { buildGraph } from './definitions/graph.js';
import { loadProjectForDelivery, loadProjectWarning } from './definitions/load-project.js';
import { ProjectError, type Project } from './definitions/project.js';
import { DIALECTS, type DialectName } from './definitions/project-config.js';
import { finishRun, runStatus } from './run/commit.js';
import { deliverOutbox, DeliveryInterrupted, type DeliveryReport } from './run/deliver-outbox.js';
import { futureAsOfWarning, runProject } from './run/run-project.js';
import { deliverSummary, runSummary, type DeliverSummary, type RunSummary } from './run/summary.js';
import { stateNames } from './state/state-tables.js';
import { openWarehouse, warehouseSettingProblems } from './warehouse/open.js';
import type { Warehouse } from './warehouse/warehouse.js';

export { ProjectError, formatProblem } from './definitions/project.js';
export type { Problem, Project } from './definitions/project.js';
export type { Definition } from './definitions/definition.js';
export type { DialectName } from './definitions/project-config.js';
export { AsOfError } from './run/run-project.js';
export { WarehouseError } from './warehouse/warehouse.js';
export type { DeliverSummary, DeliverySummary, RunSummary } from './run/summary.js';

/** An option the library cannot take (the CLI's exit 1 for a bad flag): an as_of that is no instant, an unknown dialect. */
export class OptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionError';
  }
}

export interface LibraryOptions {
  /** What the CLI prints as `warning: ...` (default: nothing). */
  readonly onWarning?: (message: string) => void;
}

/** Loads and checks the project in `dir` (roster.yml, every definition, the graph); throws a ProjectError listing every problem. */
export async function validate(dir: string, options: LibraryOptions = {}): Promise<Project> {
  const project = await loadProjectWarning(dir, options.onWarning).catch((e: unknown) => {
    if (!(e instanceof ProjectError) || !e.loaded) throw e;
    // The warehouse settings are roster.yml's problems: told first, beside the definitions' own.
    throw new ProjectError([...warehouseSettingProblems(e.loaded), ...e.problems], e.loaded);
  });
  const settings = warehouseSettingProblems(project);
  if (settings.length) throw new ProjectError(settings, project);
  return project;
}

export interface CompileOptions extends LibraryOptions {
  /** Default: the warehouse's dialect in roster.yml. */
  readonly dialect?: DialectName;
  /** dbt-style selectors (`key`, `+key`, `key+`, `a+,+b`); default every definition. */
  readonly select?: readonly string[] | string;
}

/** The files `roster compile` writes to compiled/<dialect>/, by file name (`<key>.sql`, `_run.sql`); nothing is written. */
export async function compile(dir: string, options: CompileOptions = {}): Promise<Map<string, string>> {
  const name = options.dialect;
  if (name !== undefined && !(DIALECTS as readonly string[]).includes(name)) throw new OptionError(`dialect must be ${DIALECTS.join(', ')}; got ${JSON.stringify(name)}`);
  // As `roster compile`: it does not connect, so the warehouse settings are not its to check.
  const project = await loadProjectWarning(dir, options.onWarning);
  const graph = buildGraph(project.definitions);
  const select = selectors(options.select);
  const keys = select.length ? graph.select(select) : undefined;
  return compileProject(project, dialectFor(name ?? project.config.warehouse.dialect), graph.order, keys);
}

export interface RunOptions extends LibraryOptions {
  /** The run's instant (default now): a Date, or ISO-8601 text as --as-of takes it (UTC without an offset). */
  readonly asOf?: Date | string;
  /** dbt-style selectors, as --select: one string of them apart by spaces, or a list. */
  readonly select?: readonly string[] | string;
  /** Compute, diff and count what would be sent; write and deliver nothing. */
  readonly dryRun?: boolean;
  /** Each stage, definition and shared step as it starts. */
  readonly onProgress?: (event: { readonly stage: string; readonly key?: string }) => void;
}

/**
 * `roster run`: computes, diffs and commits at as_of, then delivers what is pending. The summary
 * says per definition what changed; `ok` is false when a definition failed or delivery did not
 * finish (a warehouse that stops delivery partway: `delivery.error`, what was not sent stays pending).
 */
export async function run(dir: string, options: RunOptions = {}): Promise<RunSummary> {
  const started = performance.now();
  const asOf = asOfOption(options.asOf);
  const project = await loadProjectWarning(dir, options.onWarning); // the warehouse settings: checked as it opens
  const graph = buildGraph(project.definitions);
  const select = selectors(options.select);
  if (select.length) graph.select(select); // unknown keys: before touching the warehouse
  if (!options.dryRun && asOf.getTime() > Date.now() + 60_000) options.onWarning?.(futureAsOfWarning(asOf));
  const wh = await openWarehouse(project, { allowMemory: options.dryRun, readOnly: options.dryRun, onMissing: options.onWarning });
  try {
    const report = await runProject(project, graph, wh, {
      asOf, select, dryRun: options.dryRun, onProgress: options.onProgress,
      asOfIsNow: options.asOf === undefined, onWarning: options.onWarning,
    });
    for (const o of report.outcomes) for (const w of o.warnings) options.onWarning?.(`${o.key}: ${w}`);
    let delivery: DeliveryReport | DeliveryInterrupted | undefined;
    if (!report.dryRun) {
      options.onProgress?.({ stage: 'delivery' });
      delivery = await deliverOrInterrupted(project, wh);
      if (!(delivery instanceof DeliveryInterrupted)) await finishRun(wh, stateNames(wh.dialect, project.config.state.schema), report.runId!, runStatus(report, delivery));
    }
    return runSummary(report, delivery, { total: Math.round(performance.now() - started) });
  } finally {
    await wh.close();
  }
}

/** `roster deliver`: sends what is pending in the outbox, nothing else. Definitions with problems do not hold it back. */
export async function deliver(dir: string, options: LibraryOptions = {}): Promise<DeliverSummary> {
  const started = performance.now();
  const project = await loadProjectForDelivery(dir, options.onWarning);
  const wh = await openWarehouse(project, { emptyIfMissing: true, onMissing: options.onWarning });
  try {
    const delivery = await deliverOrInterrupted(project, wh);
    return deliverSummary(delivery, { total: Math.round(performance.now() - started) });
  } finally {
    await wh.close();
  }
}

/** asOf as --as-of takes it: an instant of the years 0001 to 9999, to the millisecond. */
function asOfOption(value: Date | string | undefined): Date {
  if (value === undefined) return new Date();
  const d = value instanceof Date ? value : typeof value === 'string' ? parseInstant(value) : undefined;
  if (!d || Number.isNaN(d.getTime())) throw new OptionError(`asOf ${value instanceof Date ? 'is an invalid Date' : `${JSON.stringify(value)} is not an ISO-8601 date or date-time (e.g. 2024-06-01T00:00:00Z)`}`);
  const reach = instantOutOfReach(typeof value === 'string' ? value : d.toISOString(), d);
  if (reach) throw new OptionError(`asOf ${d.toISOString()} ${reach}`);
  return d;
}

/** A string of selectors is split as the CLI splits --select's (apart by spaces). */
function selectors(select: readonly string[] | string | undefined): string[] {
  if (typeof select !== 'string') return [...(select ?? [])];
  const out = select.split(/\s+/).filter(Boolean);
  // An empty selection ("$CHANGED" with nothing changed) must not become a full run.
  if (!out.length) throw new OptionError('select holds no key or selector: leave it out to run every definition');
  return out;
}

/** A delivery the warehouse stopped partway is a result (what got out, `delivery.error`), not a throw. */
function deliverOrInterrupted(project: Project, wh: Warehouse): Promise<DeliveryReport | DeliveryInterrupted> {
  return deliverOutbox(project, wh).catch((e: unknown) => {
    if (e instanceof DeliveryInterrupted) return e;
    throw e;
  });
}
