/** What a run reports as it goes (`runProject`'s `onProgress`). */
export interface ProgressEvent {
  readonly stage: string;
  readonly key?: string;
  /** Shown after the key, e.g. a delivery's "1,200,000/18,490,934 messages". */
  readonly detail?: string;
}

/** The part of a stream the display needs (process.stderr, or a fake in tests). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(chunk: string): unknown;
}

/** One updating status line. Every method is a no-op when the display is off. */
export interface ProgressDisplay {
  readonly enabled: boolean;
  update(event: ProgressEvent): void;
  /** Removes the line (before anything else is printed, and at the end). */
  clear(): void;
  /** Clears the line and stops the clock. */
  done(): void;
}

export interface ProgressOptions {
  readonly stream?: ProgressStream;
  /** `--quiet` (or `--json`'s caller choosing so): no display. */
  readonly quiet?: boolean;
  /** Definitions to compute: shows "n/total" after the key. */
  readonly total?: number;
  /** Redraw interval for the elapsed time, ms (0: only on events). */
  readonly tickMs?: number;
  readonly now?: () => number;
}

// Carriage return, then "erase the whole line" (ECMA-48 EL 2): the line is redrawn in place.
const CLEAR_LINE = '\r\x1b[2K';

/**
 * The display is shown only on a terminal that can redraw a line (not TERM=dumb), and never with
 * --quiet (pipes and CI logs stay clean).
 */
export function progressEnabled(stream: ProgressStream, quiet = false, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !quiet && env.TERM !== 'dumb';
}

// The display drawn now, if any: a warning or an error printed from anywhere erases it first.
let shownDisplay: ProgressDisplay | undefined;

/** Erases the progress line, if one is shown, so that a line printed next starts clean. */
export function clearProgressLine(): void {
  shownDisplay?.clear();
}

/** Columns to fit the line into: the terminal's, else $COLUMNS (some pseudo-terminals report 0). */
function lineWidth(stream: ProgressStream): number {
  const columns = stream.columns || Number(process.env.COLUMNS) || 80;
  return Math.max(columns - 1, 1);
}

/**
 * A one-line progress display on stderr for long runs: stage, current definition, elapsed time.
 *
 * @example
 * const progress = progressDisplay({ quiet: flags.quiet, total: 19 });
 * await runProject(project, graph, wh, { asOf, onProgress: (e) => progress.update(e) });
 * progress.done();
 */
export function progressDisplay(options: ProgressOptions = {}): ProgressDisplay {
  const stream = options.stream ?? process.stderr;
  const enabled = progressEnabled(stream, options.quiet);
  if (!enabled) return { enabled, update: () => undefined, clear: () => undefined, done: () => undefined };
  const now = options.now ?? Date.now;
  const started = now();
  // Definitions met per stage: the fused plan interleaves shared steps with definitions.
  const seen = new Map<string, Set<string>>();
  let current: ProgressEvent = { stage: 'starting' };
  let shown = false;
  const draw = () => {
    const seconds = ((now() - started) / 1000).toFixed(1);
    const done = seen.get(current.stage)?.size ?? 0;
    const count = options.total && current.key && (current.stage === 'compute' || current.stage === 'diff') ? ` (${done}/${options.total})` : '';
    const text = `roster: ${current.stage}${current.key ? ` ${current.key}${count}` : ''}${current.detail ? ` ${current.detail}` : ''}`;
    const elapsed = `, ${seconds} s`;
    // Cut so the line never wraps; the elapsed time stays, the text before it gives way ('…').
    const width = lineWidth(stream);
    const line = text.length + elapsed.length <= width ? text + elapsed
      : width > elapsed.length + 1 ? `${text.slice(0, width - elapsed.length - 1)}…${elapsed}` : (text + elapsed).slice(0, width);
    stream.write(CLEAR_LINE + line);
    shown = true;
  };
  const tickMs = options.tickMs ?? 200;
  const timer = tickMs > 0 ? setInterval(draw, tickMs) : undefined;
  timer?.unref();
  const display: ProgressDisplay = {
    enabled,
    update(event) {
      if (event.key) seen.set(event.stage, (seen.get(event.stage) ?? new Set()).add(event.key));
      current = event;
      draw();
    },
    clear() {
      if (shown) stream.write(CLEAR_LINE);
      shown = false;
    },
    done() {
      if (timer) clearInterval(timer);
      display.clear();
      if (shownDisplay === display) shownDisplay = undefined;
    },
  };
  shownDisplay = display;
  return display;
}

/**
 * Wall time per stage, from progress events: each event closes the stage of the one before.
 * A `compute` event is booked to `traits` or `audiences` by the kind of its definition, so a
 * run reads as compile / features / traits / audiences / diff / commit.
 */
export class StageClock {
  private readonly totals = new Map<string, number>();
  private current?: string;
  private since: number;

  constructor(private readonly bucketOf: (event: ProgressEvent) => string = (e) => e.stage, private readonly now: () => number = () => performance.now()) {
    this.since = now();
  }

  /** Starts `stage` (or the bucket of an event) now. */
  mark(event: ProgressEvent | string): void {
    const t = this.now();
    if (this.current !== undefined) this.totals.set(this.current, (this.totals.get(this.current) ?? 0) + t - this.since);
    this.current = typeof event === 'string' ? event : this.bucketOf(event);
    this.since = t;
  }

  /** Closes the open stage; milliseconds per stage in the order they first appeared. */
  finish(): Record<string, number> {
    this.mark('');
    this.current = undefined;
    this.totals.delete('');
    return Object.fromEntries([...this.totals].map(([k, v]) => [k, Math.round(v * 10) / 10]));
  }
}

/** `compute` events booked by definition kind; every other stage by its own name. */
export function stageBucket(kindOf: (key: string) => string | undefined): (event: ProgressEvent) => string {
  return (event) => {
    if (event.stage !== 'compute' || !event.key) return event.stage;
    return kindOf(event.key) === 'audience' ? 'audiences' : 'traits';
  };
}
