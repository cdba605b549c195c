import type { SourceCatalog } from '../compiler/context.js';
import type { Dialect } from '../compiler/dialect.js';
import { withoutQuoted } from '../support/sql-text.js';

export { withoutQuoted };

export type SqlParams = Readonly<Record<string, string | number | boolean | null>>;
export type Row = Record<string, unknown>;

/** A connection to one warehouse: runs SQL it is given, never builds it. */
export interface Warehouse {
  readonly dialect: Dialect;
  /** Runs one statement; named parameters are bound by the runner (never spliced into SQL). */
  query(sql: string, params?: SqlParams, paramOrder?: readonly string[]): Promise<Row[]>;
  exec(sql: string, params?: SqlParams, paramOrder?: readonly string[]): Promise<void>;
  /**
   * The rows of one query, in its order, exactly `batch` at a time (the last batch may be
   * shorter), without holding them all: delivery reads millions of messages this way. Other
   * statements may run between batches.
   */
  stream(sql: string, batch: number): AsyncIterable<Row[]>;
  /** Runs `fn` in one transaction: all of it commits, or none. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Runs `fn` where it cannot change any table (a read-only transaction where the engine has one). */
  readOnly<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Takes the lock that serialises runs on one state schema until close(); throws a
   * WarehouseError when another run holds it (DuckDB: its single-writer file lock does this).
   */
  lockRun(stateSchema: string): Promise<void>;
  /**
   * Throws a WarehouseError when the lock lockRun took is no longer held: on Postgres a SQL trait
   * can release its session's advisory locks (pg_advisory_unlock_all), after which another run may
   * have started. A run asks before it commits, and commits nothing without it.
   */
  assertRunLock(): Promise<void>;
  /** Tables and columns of a schema, lower-cased. */
  catalog(schema: string): Promise<SourceCatalog>;
  /**
   * The catalog of the input schema. Throws a WarehouseError when the schema does not exist or
   * holds tables the role cannot read: read as missing (SPEC 3: no events yet), a misspelt schema
   * or a revoked grant would make every member and value look gone, and send that.
   */
  sourceCatalog(schema: string): Promise<SourceCatalog>;
  /** Column names and types of a table or scratch table (qualified SQL name). */
  describe(qualified: string): Promise<{ name: string; type: string }[]>;
  close(): Promise<void>;
}

/** A failure of the warehouse or a query: exit 2, what was committed stays committed. */
export class WarehouseError extends Error {
  /**
   * Every later statement of the run would fail alike (the role cannot make scratch tables): the
   * run stops at it, committing nothing, rather than fail each definition in turn.
   */
  readonly endsRun: boolean;
  constructor(message: string, readonly cause?: unknown, options: { readonly endsRun?: boolean } = {}) {
    super(message);
    this.name = 'WarehouseError';
    this.endsRun = options.endsRun ?? false;
  }
}

/** JS values from a driver, made JSON-friendly: bigint -> number when exact, Date kept. */
export function normaliseValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (Array.isArray(v)) return v.map(normaliseValue);
  if (v && typeof v === 'object' && !(v instanceof Date) && !(v instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normaliseValue(x)]));
  }
  return v;
}


/** BEGIN (in the given form), run `fn`, COMMIT; ROLLBACK on any error. */
export async function inTransaction<T>(exec: (sql: string) => Promise<unknown>, begin: string, fn: () => Promise<T>): Promise<T> {
  await exec(begin);
  try {
    const result = await fn();
    await exec('COMMIT');
    return result;
  } catch (e) {
    await exec('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** Rows of (t: table, c: column, as the engine names them, type: the column's type) as a catalog keyed by the dialect's catalogKey. */
export function catalogFrom(rows: readonly Row[], dialect: Pick<Dialect, 'catalogKey'>): SourceCatalog {
  const catalog = new Map<string, Map<string, string>>();
  for (const r of rows) {
    const [table, column] = [dialect.catalogKey(String(r.t)), dialect.catalogKey(String(r.c))];
    if (table === undefined) continue;
    const columns = catalog.get(table) ?? new Map<string, string>();
    if (column !== undefined) columns.set(column, String(r.type));
    catalog.set(table, columns);
  }
  return catalog;
}

/**
 * Values for positional parameters (`$1`, `:1`): as many as the statement names, taken from
 * `params` in `order`. A placeholder inside a literal (read as `dialect` reads it) or quoted
 * name does not count.
 */
export function positionalValues(
  sql: string, dialect: Dialect, placeholder: RegExp, params: SqlParams = {}, order?: readonly string[],
): unknown[] {
  const used = [...withoutQuoted(sql, { backslashEscapes: dialect.backslashEscapes }).matchAll(placeholder)].map((m) => Number(m[1]));
  if (used.length === 0) return [];
  return (order ?? Object.keys(params)).slice(0, Math.max(...used)).map((n) => params[n]);
}
