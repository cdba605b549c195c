import { DuckDBInstance, JSDuckDBValueConverter, type DuckDBConnection } from '@duckdb/node-api';
import type { SourceCatalog } from '../compiler/context.js';
import { duckdb } from '../../dialects/duckdb.js';
import { catalogFrom, exactBatches, inTransaction, normaliseValue, WarehouseError, withoutQuoted, type Row, type SqlParams, type Warehouse } from './warehouse.js';

export interface DuckDbOptions {
  /** A file path, or ':memory:'. */
  readonly path: string;
  readonly memoryLimit?: string;
}

/** DuckDB through @duckdb/node-api: one connection per run (DuckDB is a single writer). */
export class DuckDbWarehouse implements Warehouse {
  readonly dialect = duckdb;
  private constructor(private readonly instance: DuckDBInstance, private readonly conn: DuckDBConnection) {}

  static async open(options: DuckDbOptions): Promise<DuckDbWarehouse> {
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(options.path, options.memoryLimit ? { memory_limit: options.memoryLimit } : {});
    } catch (e) {
      const message = (e as Error).message;
      throw new WarehouseError(/lock/i.test(message)
        ? `the warehouse ${options.path} is in use by another process (DuckDB allows one writer); try again when it is done`
        : `cannot open the warehouse ${options.path}: ${message}`, e);
    }
    const conn = await instance.connect();
    // All SQL runs in UTC (SPEC 3): TIMESTAMPTZ casts and comparisons must not depend on the machine.
    await conn.run(`SET TimeZone = 'UTC'`);
    return new DuckDbWarehouse(instance, conn);
  }

  private bind(sql: string, params: SqlParams = {}): Record<string, string | number | boolean | null> {
    // DuckDB rejects values for parameters the statement does not name ('$as_of' in a literal is not one).
    const code = withoutQuoted(sql);
    return Object.fromEntries(Object.entries(params).filter(([name]) => new RegExp(`\\$${name}\\b`).test(code)));
  }

  async query(sql: string, params?: SqlParams): Promise<Row[]> {
    try {
      const prepared = await this.conn.prepare(sql);
      prepared.bind(this.bind(sql, params) as Record<string, string>);
      const reader = await prepared.runAndReadAll();
      return reader.getRowObjectsJS().map((r) => normaliseValue(r) as Row);
    } catch (e) {
      throw new WarehouseError(cleanMessage(e), e);
    }
  }

  async exec(sql: string, params?: SqlParams): Promise<void> {
    try {
      const prepared = await this.conn.prepare(sql);
      prepared.bind(this.bind(sql, params) as Record<string, string>);
      await prepared.run();
    } catch (e) {
      throw new WarehouseError(cleanMessage(e), e);
    }
  }

  stream(sql: string, batch: number): AsyncIterable<Row[]> {
    return exactBatches(this.chunks(sql), batch);
  }

  /**
   * DuckDB's own chunks, read column-wise (about twice as fast as row objects). A second
   * connection, because a new statement on the run's connection would end the stream.
   */
  private async *chunks(sql: string): AsyncGenerator<Row[]> {
    const conn = await this.instance.connect();
    try {
      await conn.run(`SET TimeZone = 'UTC'`);
      const result = await conn.stream(sql).catch((e: unknown) => {
        throw new WarehouseError(cleanMessage(e), e);
      });
      const names = result.deduplicatedColumnNames();
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const columns = chunk.convertColumns(JSDuckDBValueConverter).map((values) => values.map(normaliseValue));
        const rows: Row[] = new Array(chunk.rowCount);
        for (let i = 0; i < chunk.rowCount; i++) {
          const row: Row = {};
          for (let c = 0; c < names.length; c++) row[names[c]] = columns[c][i];
          rows[i] = row;
        }
        yield rows;
      }
    } finally {
      conn.closeSync();
    }
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    return inTransaction((sql) => this.exec(sql), 'BEGIN TRANSACTION', fn);
  }

  // DuckDB has no read-only transactions; SQL traits run as one wrapped, prepared SELECT.
  async readOnly<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  // One process holds the file (DuckDB's single writer): a second run cannot even open it.
  async lockRun(): Promise<void> {}

  async catalog(schema: string): Promise<SourceCatalog> {
    const rows = await this.query(
      `SELECT lower(table_name) AS t, lower(column_name) AS c FROM information_schema.columns WHERE table_schema = $schema AND table_catalog = current_database()`,
      { schema },
    );
    return catalogFrom(rows);
  }

  async describe(qualified: string): Promise<{ name: string; type: string }[]> {
    const rows = await this.query(`DESCRIBE SELECT * FROM ${qualified}`);
    return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  }

  async close(): Promise<void> {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/** DuckDB prefixes messages with their class ("Binder Error: ..."): keep it, drop the noise. */
function cleanMessage(e: unknown): string {
  return String((e as Error)?.message ?? e).replace(/\n\s*\n/g, '\n').trim();
}
