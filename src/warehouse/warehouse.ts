import type { SourceCatalog } from '../compiler/context.js';
import type { Dialect } from '../compiler/dialect.js';

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
  constructor(message: string, readonly cause?: unknown) {
    super(message);
    this.name = 'WarehouseError';
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

/**
 * SQL with its string literals (also E'...' with backslash escapes and $tag$...$tag$), quoted
 * identifiers and comments (block comments nest, as on Postgres and DuckDB) blanked, line breaks
 * kept: to look for parameters where the engine sees them. A SQL trait may name {{as_of}} in a
 * comment, where the engine sees no parameter, and '--' in a string starts no comment.
 */
export function withoutQuoted(sql: string): string {
  let out = '';
  let i = 0;
  const blank = (end: number) => {
    out += sql.slice(i, end).replace(/[^\n]/g, ' ');
    i = end;
  };
  while (i < sql.length) {
    const rest = sql.slice(i, i + 2);
    const c = sql[i];
    if (c === "'" || c === '"') blank(quotedEnd(sql, i, c, false));
    else if ((c === 'E' || c === 'e') && sql[i + 1] === "'" && !/[A-Za-z0-9_$]/.test(sql[i - 1] ?? '')) blank(quotedEnd(sql, i + 1, "'", true));
    else if (rest === '--') blank(lineEnd(sql, i));
    else if (rest === '/*') blank(blockCommentEnd(sql, i));
    else if (c === '$' && !/[A-Za-z0-9_$]/.test(sql[i - 1] ?? '')) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i))?.[0];
      const close = tag === undefined ? -1 : sql.indexOf(tag, i + tag.length);
      if (tag === undefined) {
        out += c;
        i++;
      } else blank(close < 0 ? sql.length : close + tag.length);
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The end (exclusive) of the quoted text opening at `start`: a doubled quote is one; with `backslash`, \x is one character. */
function quotedEnd(sql: string, start: number, quote: string, backslash: boolean): number {
  for (let j = start + 1; j < sql.length; j++) {
    if (backslash && sql[j] === '\\') j++;
    else if (sql[j] === quote) {
      if (sql[j + 1] !== quote) return j + 1;
      j++;
    }
  }
  return sql.length;
}

function lineEnd(sql: string, start: number): number {
  const m = /[\r\n]/.exec(sql.slice(start));
  return m ? start + m.index : sql.length;
}

function blockCommentEnd(sql: string, start: number): number {
  let depth = 0;
  for (let j = start; j < sql.length - 1; j++) {
    if (sql[j] === '/' && sql[j + 1] === '*') {
      depth++;
      j++;
    } else if (sql[j] === '*' && sql[j + 1] === '/') {
      depth--;
      j++;
      if (depth === 0) return j + 1;
    }
  }
  return sql.length;
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

/** Rows of (t: table, c: column, lower-cased, type: the column's type) as a catalog. */
export function catalogFrom(rows: readonly Row[]): SourceCatalog {
  const catalog = new Map<string, Map<string, string>>();
  for (const r of rows) {
    const columns = catalog.get(r.t as string) ?? new Map<string, string>();
    columns.set(r.c as string, String(r.type));
    catalog.set(r.t as string, columns);
  }
  return catalog;
}

/**
 * Values for positional parameters (`$1`, `:1`): as many as the statement names, taken from
 * `params` in `order`. A placeholder inside a literal or quoted name does not count.
 */
export function positionalValues(sql: string, placeholder: RegExp, params: SqlParams = {}, order?: readonly string[]): unknown[] {
  const used = [...withoutQuoted(sql).matchAll(placeholder)].map((m) => Number(m[1]));
  if (used.length === 0) return [];
  return (order ?? Object.keys(params)).slice(0, Math.max(...used)).map((n) => params[n]);
}
