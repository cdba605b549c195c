import { realpathSync } from 'node:fs';
import { DuckDBInstance, JSDuckDBValueConverter, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import type { SourceCatalog } from '../compiler/context.js';
import { duckdb } from '../../dialects/duckdb.js';
import { namesPlaceholder } from '../support/sql-text.js';
import { catalogFrom, inTransaction, normaliseValue, WarehouseError, withoutQuoted, type Row, type SqlParams, type Warehouse } from './warehouse.js';

export interface DuckDbOptions {
  /** A file path, or ':memory:'. */
  readonly path: string;
  readonly memoryLimit?: string;
  /** Opened read-only: other processes may read the file meanwhile (DuckDB locks a writer out of everyone else). */
  readonly readOnly?: boolean;
  /** Each statement is interrupted after this long (roster.yml warehouse.statement_timeout_ms), as Postgres's statement_timeout does. */
  readonly statementTimeoutMs?: number;
}

/**
 * Warehouse files a run or delivery of this process holds. DuckDB's file lock keeps other
 * processes out, but a second instance in the same process (two library calls at once) opens
 * the file as well: without this, both would commit and deliver.
 */
const heldFiles = new Set<string>();

/** DuckDB through @duckdb/node-api: one connection per run (DuckDB is a single writer). */
export class DuckDbWarehouse implements Warehouse {
  readonly dialect = duckdb;
  /** Numbers the scratch tables of streams (a delivery may read several). */
  private streams = 0;
  /** The file this warehouse's lockRun holds in heldFiles, until close. */
  private held?: string;
  private constructor(
    private readonly instance: DuckDBInstance, private readonly conn: DuckDBConnection, private readonly path: string, private readonly statementTimeoutMs?: number,
  ) {}

  static async open(options: DuckDbOptions): Promise<DuckDbWarehouse> {
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(options.path, {
        ...(options.memoryLimit ? { memory_limit: options.memoryLimit } : {}),
        ...(options.readOnly ? { access_mode: 'READ_ONLY' } : {}),
      });
    } catch (e) {
      const message = (e as Error).message;
      // DuckDB's own words for a file another process holds ('lock' alone also matches 'block').
      throw new WarehouseError(/Could not set lock|Conflicting lock/i.test(message)
        ? `the warehouse ${options.path} is in use by another process (DuckDB allows one writer); try again when it is done`
        : `cannot open the warehouse ${options.path}: ${message}`, e);
    }
    const conn = await instance.connect();
    // All SQL runs in UTC (SPEC 3): TIMESTAMPTZ casts and comparisons must not depend on the machine.
    await conn.run(`SET TimeZone = 'UTC'`);
    return new DuckDbWarehouse(instance, conn, options.path, options.statementTimeoutMs);
  }

  /** Runs one statement, interrupted past statementTimeoutMs (DuckDB has no statement_timeout of its own). */
  private async timed<T>(run: () => Promise<T>): Promise<T> {
    const ms = this.statementTimeoutMs;
    if (!ms) return run();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.conn.interrupt();
    }, ms);
    try {
      return await run();
    } catch (e) {
      if (timedOut) throw new WarehouseError(`canceling statement due to statement timeout (roster.yml warehouse.statement_timeout_ms: ${ms})`, e);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  private bind(sql: string, params: SqlParams = {}): Record<string, string | number | boolean | null> {
    // DuckDB rejects values for parameters the statement does not name ('$as_of' in a literal is not one).
    const code = withoutQuoted(sql);
    return Object.fromEntries(Object.entries(params).filter(([name]) => namesPlaceholder(code, `$${name}`)));
  }

  async query(sql: string, params?: SqlParams): Promise<Row[]> {
    try {
      return await this.prepared(sql, async (prepared) => {
        prepared.bind(this.bind(sql, params) as Record<string, string>);
        const reader = await this.timed(() => prepared.runAndReadAll());
        return reader.getRowObjectsJS().map((r) => normaliseValue(r) as Row);
      });
    } catch (e) {
      throw e instanceof WarehouseError ? e : new WarehouseError(cleanMessage(e), e);
    }
  }

  async exec(sql: string, params?: SqlParams): Promise<void> {
    try {
      await this.prepared(sql, async (prepared) => {
        prepared.bind(this.bind(sql, params) as Record<string, string>);
        await this.timed(() => prepared.run());
      });
    } catch (e) {
      throw e instanceof WarehouseError ? e : new WarehouseError(cleanMessage(e), e);
    }
  }

  /**
   * Runs `use` with the statement prepared, then frees it. DuckDB keeps an executed plan's
   * operator state (a join's or an aggregate's hash table) with the prepared statement until it
   * is destroyed, and the JavaScript garbage collector, which does not see that memory, may not
   * get to it for a long time: a run of 200 definitions held over 1 GB of hash tables that way and
   * ran out of memory_limit.
   */
  private async prepared<T>(sql: string, use: (prepared: DuckDBPreparedStatement) => Promise<T>): Promise<T> {
    const prepared = await this.conn.prepare(sql);
    try {
      return await use(prepared);
    } finally {
      prepared.destroySync();
    }
  }

  /**
   * Materialised once into a scratch table on the run's connection (an ordered CREATE TABLE AS
   * keeps its order in rowid), then read by rowid ranges, column-wise (about twice as fast as
   * row objects). Not a streaming result on a second connection: with the run's connection
   * committing between batches, that left DuckDB 1.5.6 files unreadable after later checkpoints.
   */
  async *stream(sql: string, batch: number): AsyncGenerator<Row[]> {
    const table = this.dialect.tempTable(`_stream_${++this.streams}`);
    await this.exec(`CREATE OR REPLACE TEMPORARY TABLE ${table} AS\n${sql}`);
    try {
      for (let from = 0; ; from += batch) {
        const rows = await this.readColumns(`SELECT * FROM ${table} WHERE rowid >= ${from} AND rowid < ${from + batch} ORDER BY rowid`);
        if (rows.length) yield rows;
        if (rows.length < batch) break;
      }
    } finally {
      await this.exec(`DROP TABLE IF EXISTS ${table}`);
    }
  }

  private async readColumns(sql: string): Promise<Row[]> {
    try {
      return await this.prepared(sql, async (prepared) => {
        const reader = await prepared.runAndReadAll();
        const names = reader.deduplicatedColumnNames();
        const columns = reader.convertColumns(JSDuckDBValueConverter).map((values) => values.map(normaliseValue));
        const rows: Row[] = new Array(reader.currentRowCount);
        for (let i = 0; i < rows.length; i++) {
          const row: Row = {};
          for (let c = 0; c < names.length; c++) row[names[c]] = columns[c][i];
          rows[i] = row;
        }
        return rows;
      });
    } catch (e) {
      throw new WarehouseError(cleanMessage(e), e);
    }
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    return inTransaction((sql) => this.exec(sql), 'BEGIN TRANSACTION', fn);
  }

  // DuckDB has no read-only transactions; SQL traits run as one wrapped, prepared SELECT.
  async readOnly<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  // One process holds the file (DuckDB's single writer): a second run elsewhere cannot even open it.
  // Within this process, heldFiles serialises runs and deliveries on one file.
  async lockRun(): Promise<void> {
    if (this.held !== undefined || this.path === ':memory:') return;
    const file = realpathSync(this.path);
    if (heldFiles.has(file)) throw new WarehouseError(`the warehouse ${this.path} is in use by another roster run or deliver in this process; try again when it is done`);
    heldFiles.add(file);
    this.held = file;
  }
  // The single-writer file lock lasts as long as the instance: no SQL releases it.
  async assertRunLock(): Promise<void> {}

  async catalog(schema: string): Promise<SourceCatalog> {
    const rows = await this.query(
      // DuckDB matches names whatever their case: source.schema Main is schema main.
      `SELECT table_name AS t, column_name AS c, data_type AS type FROM information_schema.columns WHERE lower(table_schema) = lower($schema) AND table_catalog = current_database()`,
      { schema },
    );
    return catalogFrom(rows, this.dialect);
  }

  async sourceCatalog(schema: string): Promise<SourceCatalog> {
    const [{ n }] = await this.query(`SELECT count(*) AS n FROM information_schema.schemata WHERE lower(schema_name) = lower($schema) AND catalog_name = current_database()`, { schema });
    if (Number(n) === 0) throw new WarehouseError(`the source schema ${schema} does not exist in the warehouse (roster.yml source.schema)`);
    return this.catalog(schema);
  }

  async describe(qualified: string): Promise<{ name: string; type: string }[]> {
    const rows = await this.query(`DESCRIBE SELECT * FROM ${qualified}`);
    return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  }

  async close(): Promise<void> {
    if (this.held !== undefined) heldFiles.delete(this.held);
    this.held = undefined;
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/** DuckDB prefixes messages with their class ("Binder Error: ..."): keep it, drop the noise. */
function cleanMessage(e: unknown): string {
  const message = String((e as Error)?.message ?? e).replace(/\n\s*\n/g, '\n').trim();
  // DuckDB's own advice is SQL (SET memory_limit ...), which a roster user sets in roster.yml.
  if (/^Out of Memory Error/.test(message)) {
    return `${message.split('\n')[0]}; raise memory_limit under warehouse: in roster.yml (DuckDB spills to disk what it can, and this needed more)`;
  }
  // roster runs one statement at a time; DuckDB turns some single statements (PIVOT) into several.
  return /Cannot prepare multiple statements at once/.test(message)
    ? `${message} (DuckDB runs this statement as several, as it does PIVOT: write the query without it, e.g. with GROUP BY and FILTER)`
    : message;
}
