import type { SourceCatalog } from '../compiler/context.js';
import { snowflake } from '../../dialects/snowflake.js';
import { catalogFrom, inTransaction, normaliseValue, positionalValues, WarehouseError, type Row, type SqlParams, type Warehouse } from './warehouse.js';

export interface SnowflakeOptions {
  readonly account: string;
  readonly username: string;
  readonly password?: string;
  readonly database?: string;
  readonly warehouse?: string;
  readonly role?: string;
  /** roster.yml warehouse.statement_timeout_ms: Snowflake's own timeout, in whole seconds. */
  readonly statementTimeoutMs?: number;
}

/** The parts of snowflake-sdk that roster uses (its documented callback API). */
export interface SdkStatement {
  getColumns(): { getName(): string }[];
  /** With `streamResult`: the rows as a Readable, downloaded as they are read. */
  streamRows(): AsyncIterable<unknown>;
}
export interface SdkConnection {
  connect(cb: (err: Error | undefined) => void): void;
  execute(options: {
    sqlText: string; binds?: unknown[]; streamResult?: boolean;
    complete: (err: Error | undefined, stmt: SdkStatement, rows?: Record<string, unknown>[]) => void;
  }): void;
  destroy(cb: (err: Error | undefined) => void): void;
}
export interface SnowflakeSdk {
  createConnection(o: Record<string, unknown>): SdkConnection;
  configure?(o: Record<string, unknown>): void;
}

async function importSdk(): Promise<SnowflakeSdk> {
  const moduleName = 'snowflake-sdk';
  const mod = await import(moduleName);
  return mod.default ?? mod;
}

/**
 * The session's settings roster's SQL reads: UTC (SPEC 3), and timestamps written as text the
 * dialect reads back (tryCastInstant: an offset right after the time, nanoseconds kept), whatever
 * the account or user set (the default writes TZ / LTZ values with a space before the offset).
 * Input is read as Snowflake's default AUTO reads it: the bound as_of ('2024-06-01T00:00:00.000Z')
 * and ISO text cast to timestamps, which a set TIMESTAMP_INPUT_FORMAT would refuse.
 */
const SESSION_SETTINGS = [
  "ALTER SESSION SET TIMEZONE = 'UTC'",
  "TIMESTAMP_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9TZH:TZM'",
  "TIMESTAMP_NTZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9'",
  "TIMESTAMP_LTZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9TZH:TZM'",
  "TIMESTAMP_TZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9TZH:TZM'",
  "DATE_OUTPUT_FORMAT = 'YYYY-MM-DD'",
  "TIMESTAMP_INPUT_FORMAT = 'AUTO'",
  "DATE_INPUT_FORMAT = 'AUTO'",
].join(', ');

/**
 * Snowflake through snowflake-sdk, an optional dependency loaded only for this dialect (it is
 * large). No Snowflake can be reached from the development machines: tests drive this class
 * through a stand-in for the SDK's documented API, never the real service.
 */
export class SnowflakeWarehouse implements Warehouse {
  readonly dialect = snowflake;
  private constructor(private readonly conn: SdkConnection) {}

  /** `loadSdk` is how the driver is found: the snowflake-sdk package, or a stand-in in tests. */
  static async connect(options: SnowflakeOptions, loadSdk: () => Promise<SnowflakeSdk> = importSdk): Promise<SnowflakeWarehouse> {
    let sdk: SnowflakeSdk;
    try {
      sdk = await loadSdk();
    } catch {
      throw new WarehouseError('the snowflake dialect needs the snowflake-sdk package: npm install snowflake-sdk');
    }
    sdk.configure?.({ logLevel: 'ERROR' });
    const { statementTimeoutMs: _timeout, ...connection } = options;
    const conn = sdk.createConnection({ ...connection, application: 'roster' });
    await new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve()))).catch((e: Error) => {
      // The SDK's message names the account, never the password.
      throw new WarehouseError(`cannot connect to Snowflake account ${options.account}: ${e.message}`, e);
    });
    const wh = new SnowflakeWarehouse(conn);
    await wh.exec(SESSION_SETTINGS);
    if (options.statementTimeoutMs) await wh.exec(`ALTER SESSION SET STATEMENT_TIMEOUT_IN_SECONDS = ${Math.ceil(options.statementTimeoutMs / 1000)}`);
    return wh;
  }

  private run(sql: string, binds: unknown[]): Promise<Row[]> {
    return new Promise((resolve, reject) => {
      this.conn.execute({
        sqlText: sql,
        binds,
        complete: (err, _stmt, rows) => {
          if (err) return reject(new WarehouseError(err.message, err));
          resolve((rows ?? []).map(toRow));
        },
      });
    });
  }

  async query(sql: string, params: SqlParams = {}, order?: readonly string[]): Promise<Row[]> {
    return this.run(sql, positionalValues(sql, this.dialect, /:(\d+)/g, params, order));
  }

  async exec(sql: string, params?: SqlParams, order?: readonly string[]): Promise<void> {
    await this.query(sql, params, order);
  }

  /**
   * The rows `batch` at a time, read as the SDK streams them (`streamResult`): it downloads the
   * result's chunks as they are read, with backpressure, instead of holding every row of a
   * delivery of millions. The result is fixed when the query has run, so statements between
   * batches (a delivery's cursor commits) do not change it.
   */
  async *stream(sql: string, batch: number): AsyncGenerator<Row[]> {
    const stmt = await new Promise<SdkStatement>((resolve, reject) => {
      this.conn.execute({ sqlText: sql, streamResult: true, complete: (err, st) => (err ? reject(new WarehouseError(err.message, err)) : resolve(st)) });
    });
    // Breaking off early returns the loop's iterator, which destroys the SDK's stream: no more downloads.
    let rows: Row[] = [];
    try {
      for await (const r of stmt.streamRows()) {
        rows.push(toRow(r as Record<string, unknown>));
        if (rows.length === batch) {
          yield rows;
          rows = [];
        }
      }
    } catch (e) {
      throw new WarehouseError(`reading the result of a query failed: ${(e as Error).message}`, e);
    }
    if (rows.length) yield rows;
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    return inTransaction((sql) => this.exec(sql), 'BEGIN TRANSACTION', fn);
  }

  // Snowflake has no read-only transactions; SQL traits run wrapped as a subquery.
  async readOnly<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  /** A lock row: the update succeeds for one holder at a time; a lock older than 6 hours is stale. */
  async lockRun(stateSchema: string): Promise<void> {
    if (this.lockTable) return; // already held by this connection (run, then deliver)
    const d = this.dialect;
    const table = d.qualify(stateSchema, '_lock');
    this.holder = `run-${process.pid}-${Date.now()}`;
    await this.exec(d.createSchema(stateSchema));
    // Made with its one row in one statement: Snowflake enforces no primary key, and two first
    // runs each inserting the row would leave two, which no later UPDATE takes as exactly one.
    await this.exec(`CREATE TABLE IF NOT EXISTS ${table} AS SELECT CAST(1 AS INTEGER) AS id, CAST(NULL AS VARCHAR) AS holder, CAST(NULL AS TIMESTAMP_NTZ) AS taken_at`);
    // A table an earlier roster made empty gets its row here.
    await this.exec(`INSERT INTO ${table} (id, holder) SELECT 1, NULL WHERE NOT EXISTS (SELECT 1 FROM ${table} WHERE id = 1)`);
    const rows = await this.query(
      `UPDATE ${table} SET holder = :1, taken_at = CURRENT_TIMESTAMP() WHERE id = 1 AND (holder IS NULL OR taken_at < DATEADD(hour, -6, CURRENT_TIMESTAMP()))`,
      { holder: this.holder },
    );
    const updated = Number(Object.values(rows[0] ?? {})[0] ?? 0);
    if (updated !== 1) throw new WarehouseError(`another roster run or deliver holds the lock row in ${stateSchema}._lock; try again when it is done`);
    this.lockTable = table;
    // A temporary table goes to the session's current schema, which the user's default namespace
    // may not give (or give one the role cannot create in): the run's scratch tables go beside its state.
    await this.exec(`USE SCHEMA ${d.quoteIdent(stateSchema)}`);
  }

  /** The lock row still names this holder (a run over 6 hours may have lost it as stale). */
  async assertRunLock(): Promise<void> {
    if (!this.lockTable) return;
    const rows = await this.query(`SELECT holder FROM ${this.lockTable} WHERE id = 1`);
    if (rows.length !== 1 || Object.values(rows[0])[0] !== this.holder) {
      throw new WarehouseError(`this run no longer holds the lock row in ${this.lockTable}: another run took it as stale (older than 6 hours); nothing of this run is committed`);
    }
  }

  private holder?: string;
  private lockTable?: string;

  /** A schema's name as information_schema holds it (upper case unless quoted, as quoteIdent writes it). */
  private schemaName(schema: string): string {
    return this.dialect.quoteIdent(schema).slice(1, -1).replace(/""/g, '"');
  }

  async catalog(schema: string): Promise<SourceCatalog> {
    const name = this.schemaName(schema);
    // NUMBER's scale tells integers from fractions (isFractionalType): NUMBER(38,2) as describe writes it.
    const type = `data_type || IFF(numeric_scale > 0, '(' || numeric_precision || ',' || numeric_scale || ')', '')`;
    const rows = await this.query(`SELECT table_name AS t, column_name AS c, ${type} AS type FROM information_schema.columns WHERE table_schema = :1`, { schema: name });
    return catalogFrom(rows, this.dialect);
  }

  // information_schema lists only what the role may use: a schema or table it cannot read looks
  // missing there, and Snowflake offers no way to see one. The schema at least must be there.
  async sourceCatalog(schema: string): Promise<SourceCatalog> {
    const name = this.schemaName(schema);
    const [{ n }] = await this.query(`SELECT count(*) AS n FROM information_schema.schemata WHERE schema_name = :1`, { schema: name });
    if (Number(n) === 0) throw new WarehouseError(`the source schema ${schema} does not exist, or the role cannot use it (roster.yml source.schema)`);
    return this.catalog(schema);
  }

  async describe(qualified: string): Promise<{ name: string; type: string }[]> {
    const rows = await this.query(`DESCRIBE TABLE ${qualified}`);
    return rows.map((r) => ({ name: String(r.name).toLowerCase(), type: String(r.type) }));
  }

  async close(): Promise<void> {
    if (this.lockTable) await this.exec(`UPDATE ${this.lockTable} SET holder = NULL WHERE holder = :1`, { holder: this.holder! }).catch(() => undefined);
    await new Promise<void>((resolve) => this.conn.destroy(() => resolve()));
  }
}

// Snowflake answers with upper-case column names; roster's are lower case.
function toRow(r: Record<string, unknown>): Row {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toLowerCase(), normaliseValue(v)]));
}
