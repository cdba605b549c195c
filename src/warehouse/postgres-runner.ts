import pg from 'pg';
import type { SourceCatalog } from '../compiler/context.js';
import { postgres } from '../../dialects/postgres.js';
import { displayWidth } from '../support/terminal-text.js';
import { forNodePostgres, parsePostgresUrl, sslMode, withoutSsl } from './postgres-url.js';
import { catalogFrom, inTransaction, normaliseValue, positionalValues, WarehouseError, type Row, type SqlParams, type Warehouse } from './warehouse.js';

/** What roster needs of a Postgres connection: `pg.Client` and PGlite both have it. */
export interface PgQueryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

/** Parsers so values read back as they do from DuckDB: counts as numbers, timestamps in UTC. */
export const PG_PARSERS: Record<number, (value: string) => unknown> = {
  [INT8]: (v) => (Number.isSafeInteger(Number(v)) ? Number(v) : v),
  [NUMERIC]: (v) => Number(v),
  // A timestamp without time zone holds UTC by roster's convention, whatever the machine's zone.
  [TIMESTAMP]: (v) => new Date(`${v.replace(' ', 'T')}Z`),
  [TIMESTAMPTZ]: (v) => new Date(v.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00')),
  // A date is midnight UTC, as it is sent (node-postgres's own parser makes it the machine's midnight).
  [DATE]: (v) => {
    const ymd = /^(\d{4,})-(\d{2})-(\d{2})( BC)?$/.exec(v);
    if (!ymd) return pg.types.getTypeParser(DATE, 'text')(v); // infinity, -infinity
    const day = new Date(0);
    day.setUTCFullYear(ymd[4] ? 1 - Number(ymd[1]) : Number(ymd[1]), Number(ymd[2]) - 1, Number(ymd[3]));
    return day;
  },
};

/** Settings roster's SQL depends on (besides the time zone); each a constant, never a definition's value. */
/**
 * jit off: JIT-compiling the long expressions of a JSON layout's rounded numbers took gigabytes and
 * minutes, uncancellable, for a query of 0.2 s; at 200k users it made a re-run 7% slower too.
 */
const SESSION_SETTINGS = ['standard_conforming_strings = on', "DateStyle = 'ISO, YMD'", "IntervalStyle = 'postgres'", 'extra_float_digits = 1', 'jit = off'];

/**
 * The server checks, every 2 s of a statement, that roster's connection is still open (Postgres 14
 * and later, on servers that can tell, as Linux ones). Without it, a statement of a roster that
 * was killed while it waited on a lock goes on waiting, and its session keeps the run lock: every
 * later run and deliver is refused until the lock comes free, though no roster runs. (A client
 * host that vanished closes nothing: TCP keepalive, set on the connection, finds that out.)
 */
const CHECK_CLIENT = 'SET client_connection_check_interval = 2000';

/** PostgreSQL through one session (scratch tables are session-local), or PGlite in tests. */
export class PostgresWarehouse implements Warehouse {
  readonly dialect = postgres;
  private statementTimeoutMs?: number;
  /** The state schema whose run lock this session took. */
  private lockedSchema?: string;
  /** Why the server ended the connection, once it has. */
  private lost?: Error;
  /** Whether the server takes CHECK_CLIENT (Postgres 14 and later). */
  private checksClient = false;
  private constructor(private readonly client: PgQueryable, private readonly end: () => Promise<void>) {}

  static async connect(url: string, options: { statementTimeoutMs?: number } = {}): Promise<PostgresWarehouse> {
    const open = async (connectionString: string) => {
      const c = new pg.Client({
        connectionString,
        connectionTimeoutMillis: connectTimeoutMs(url),
        keepAlive: true,
        types: { getTypeParser: ((oid: number, format?: string) => PG_PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser },
      });
      await c.connect();
      return c;
    };
    let client: pg.Client;
    try {
      client = await open(forNodePostgres(url)).catch((e: Error) => {
        // sslmode=prefer: encrypted if the server can, else plain, as libpq connects.
        if (sslMode(url) === 'prefer' && /does not support SSL/i.test(e.message)) return open(forNodePostgres(withoutSsl(url)));
        throw e;
      });
    } catch (e) {
      // The URL may hold a password: name the host only, and never repeat the password a server may echo.
      throw new WarehouseError(`cannot connect to Postgres at ${safeHost(url)}: ${withoutPassword((e as Error).message, url)}`, e);
    }
    // Every statement goes through the extended protocol, which takes one statement: with no
    // parameters node-postgres would send the simple protocol, which runs any number, and a SQL
    // trait's text (shape probe outside the read-only transaction) could then carry a second one.
    // (@types/pg does not list pg's queryMode option.)
    const oneStatement: PgQueryable = { query: (text, values) => client.query({ text, values, queryMode: 'extended' } as pg.QueryConfig) };
    const wh = new PostgresWarehouse(oneStatement, () => client.end());
    // A connection the server ends (pg_terminate_backend, a restart) is also told as an 'error'
    // event, which with no listener would end the process with a stack trace; the query it
    // interrupted, or the next one, fails with it instead.
    client.on('error', (e) => {
      wh.lost ??= e;
    });
    await wh.setUp(options.statementTimeoutMs);
    try {
      await wh.exec(CHECK_CLIENT);
      wh.checksClient = true;
    } catch {
      // Postgres before 14, or a server that cannot tell: left unset.
    }
    return wh;
  }

  /** Wraps an open connection (PGlite in tests); `end` closes it. */
  static async wrap(client: PgQueryable, end: () => Promise<void> = async () => undefined): Promise<PostgresWarehouse> {
    const wh = new PostgresWarehouse(client, end);
    await wh.setUp();
    return wh;
  }

  private async setUp(statementTimeoutMs?: number): Promise<void> {
    this.statementTimeoutMs = statementTimeoutMs;
    // All SQL runs in UTC (SPEC 3), and reads roster's text as roster writes it, whatever the
    // database or role set: quotes are standard SQL's (with standard_conforming_strings off, a
    // backslash in a value would escape the quote that ends its literal), dates and numbers are
    // written as roster reads them back.
    await this.exec(`SET TIME ZONE 'UTC'`);
    for (const setting of SESSION_SETTINGS) await this.exec(`SET ${setting}`);
    if (statementTimeoutMs) await this.exec(`SET statement_timeout = ${Math.floor(statementTimeoutMs)}`);
    if (this.checksClient) await this.exec(CHECK_CLIENT);
  }

  async query(sql: string, params?: SqlParams, order?: readonly string[]): Promise<Row[]> {
    try {
      const r = await this.client.query(sql, positionalValues(sql, this.dialect, /\$(\d+)/g, params, order));
      return r.rows.map((row) => normaliseValue(row) as Row);
    } catch (e) {
      // A FATAL error ends the session ("terminating connection due to administrator command"):
      // the server's own word says most; later queries can only say that the connection is gone.
      const fatal = (e as { severity?: string }).severity === 'FATAL';
      const lost = fatal ? e : this.lost;
      if (lost) throw new WarehouseError(`the connection to Postgres was lost: ${pgMessage(lost)}`, e, { endsRun: true });
      // Without TEMP on the database no definition can be computed: said once, with the grant.
      if ((e as { code?: string }).code === '42501' && /temporary tables/.test((e as Error).message)) {
        throw new WarehouseError(`${pgMessage(e)}: roster computes in temporary tables; GRANT TEMPORARY ON DATABASE to the role it connects as`, e, { endsRun: true });
      }
      throw new WarehouseError(pgMessage(e, sql), e);
    }
  }

  async exec(sql: string, params?: SqlParams, order?: readonly string[]): Promise<void> {
    await this.query(sql, params, order);
  }

  /** A cursor WITH HOLD: it outlives the transactions that run between batches. */
  async *stream(sql: string, batch: number): AsyncGenerator<Row[]> {
    await this.exec(`DECLARE roster_stream NO SCROLL CURSOR WITH HOLD FOR ${sql}`);
    try {
      for (;;) {
        const rows = await this.query(`FETCH ${Math.floor(batch)} FROM roster_stream`);
        if (rows.length) yield rows;
        if (rows.length < batch) break;
      }
    } finally {
      await this.exec('CLOSE roster_stream').catch(() => undefined);
    }
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    return inTransaction((sql) => this.exec(sql), 'BEGIN TRANSACTION', fn);
  }

  /**
   * A SQL trait runs here, and `set_config(name, value, false)` in a query outlives its transaction:
   * the session's settings are put back afterwards, so the next definition still runs in UTC.
   */
  async readOnly<T>(fn: () => Promise<T>): Promise<T> {
    let ok = false;
    try {
      const result = await inTransaction((sql) => this.exec(sql), 'BEGIN TRANSACTION READ ONLY', fn);
      ok = true;
      return result;
    } finally {
      await this.restoreSettings().catch((e) => {
        if (ok) throw e;
      });
    }
  }

  /**
   * RESET ALL keeps what the connection asked for at start (the URL's options), then roster's own
   * settings. The role and the session authorization are not among what RESET ALL resets: a
   * set_config('role', ...) would otherwise run the rest of the run, and its commit, as that role.
   */
  private async restoreSettings(): Promise<void> {
    await this.exec('RESET ALL');
    await this.exec('RESET SESSION AUTHORIZATION');
    await this.exec('RESET ROLE');
    await this.setUp(this.statementTimeoutMs);
  }

  // A session-level advisory lock: released when the connection closes, even after a crash.
  async lockRun(stateSchema: string): Promise<void> {
    const [{ locked }] = await this.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, { name: `roster:${stateSchema}` });
    if (!locked) throw new WarehouseError(`another roster run or deliver is using the state schema ${stateSchema}; try again when it is done`);
    this.lockedSchema = stateSchema;
  }

  // pg_locks shows a bigint key as its high and low 32 bits (classid, objid), objsubid 1.
  async assertRunLock(): Promise<void> {
    if (this.lockedSchema === undefined) return;
    const [{ held }] = await this.query(
      `SELECT count(*) > 0 AS held FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted AND objsubid = 1`
      + ` AND ((CAST(classid AS BIGINT) << 32) | CAST(objid AS BIGINT)) = CAST(hashtext($1) AS BIGINT)`,
      { name: `roster:${this.lockedSchema}` },
    );
    if (!held) {
      throw new WarehouseError(`this run no longer holds the lock on the state schema ${this.lockedSchema}: a SQL trait released it (pg_advisory_unlock_all or pg_advisory_unlock), so another run may have started; nothing of this run is committed`);
    }
  }

  async catalog(schema: string): Promise<SourceCatalog> {
    return catalogFrom(await this.catalogRows(schema), this.dialect);
  }

  /** (t, c, type) of every column the role may use in a schema. */
  private catalogRows(schema: string): Promise<Row[]> {
    return this.query('SELECT table_name AS t, column_name AS c, data_type AS type FROM information_schema.columns WHERE table_schema = $1', { schema });
  }

  // information_schema lists only what the role may use: a table it cannot read would look
  // missing there (SPEC 3: no events yet), and everything it holds gone. pg_catalog lists it: it
  // is then read like any other, and the definitions reading it fail with Postgres's permission
  // error (their state kept), while the others run. Partitions are read through their parent.
  // A materialized view is never in information_schema, readable or not: pg_catalog lists it too.
  async sourceCatalog(schema: string): Promise<SourceCatalog> {
    const [ns] = await this.query(`SELECT oid, has_schema_privilege(oid, 'USAGE') AS usable FROM pg_namespace WHERE nspname = $1`, { schema });
    const name = this.dialect.quoteIdent(schema);
    if (!ns) {
      // Schema names are case-sensitive here: one spelt in another case is likely the one meant.
      const near = await this.query('SELECT nspname AS name FROM pg_namespace WHERE lower(nspname) = lower($1) ORDER BY 1 LIMIT 1', { schema });
      throw new WarehouseError(`the source schema ${name} does not exist (roster.yml source.schema)${near.length ? `; did you mean ${this.dialect.quoteIdent(String(near[0].name))}? names are case-sensitive` : ''}`);
    }
    if (!ns.usable) throw new WarehouseError(`the role cannot use the source schema ${name}: GRANT USAGE ON SCHEMA ${name} TO it`);
    const visible = await this.catalogRows(schema);
    const hidden = await this.query(
      `SELECT c.relname AS t, a.attname AS c, format_type(a.atttypid, NULL) AS type
       FROM pg_class AS c JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       WHERE c.relnamespace = $1 AND c.relkind IN ('r', 'v', 'm', 'f', 'p') AND NOT c.relispartition AND (c.relkind = 'm' OR NOT has_table_privilege(c.oid, 'SELECT'))`,
      { oid: ns.oid as number },
    );
    return catalogFrom([...visible, ...hidden], this.dialect);
  }

  // A domain is described by its base type (a domain over bytea is bytes, one over numeric a
  // number), which decides how roster reads and sends its values.
  async describe(qualified: string): Promise<{ name: string; type: string }[]> {
    const rows = await this.query(
      `SELECT a.attname AS name, CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) ELSE format_type(a.atttypid, a.atttypmod) END AS type
       FROM pg_attribute AS a JOIN pg_type AS t ON t.oid = a.atttypid
       WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      { relation: qualified },
    );
    return rows.map((r) => ({ name: String(r.name), type: String(r.type) }));
  }

  async close(): Promise<void> {
    await this.end();
  }
}

function safeHost(url: string): string {
  const u = parsePostgresUrl(url);
  if (!u) return 'the configured url';
  const socket = u.searchParams.get('host');
  return `${socket ?? `${u.hostname}${u.port ? `:${u.port}` : ''}`}${u.pathname}`;
}

/**
 * How long connecting may take: the URL's connect_timeout (seconds, as libpq reads it), else
 * PGCONNECT_TIMEOUT, else a minute. node-postgres would otherwise wait for ever on a server or
 * proxy that accepts the connection and never answers, holding back every scheduled run.
 */
function connectTimeoutMs(url: string): number {
  const fromUrl = parsePostgresUrl(url)?.searchParams.get('connect_timeout');
  const seconds = Number(fromUrl ?? process.env.PGCONNECT_TIMEOUT ?? 60);
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds * 1000) : 60_000;
}

/**
 * A message with every password the connection may use taken out: the URL's (as written and
 * percent-decoded), a `?password=` of its query, and PGPASSWORD.
 */
function withoutPassword(message: string, url: string): string {
  const parsed = parsePostgresUrl(url);
  const secrets = [parsed?.password, parsed?.searchParams.get('password'), process.env.PGPASSWORD].filter((x): x is string => Boolean(x));
  const decoded = secrets.map((secret) => {
    try {
      return decodeURIComponent(secret);
    } catch {
      return secret; // a malformed escape: the raw text is all there is
    }
  });
  return [...secrets, ...decoded].reduce((m, secret) => m.split(secret).join('[redacted]'), message);
}

function pgMessage(e: unknown, sql?: string): string {
  const err = e as { message?: string; detail?: string; hint?: string; position?: string };
  return [err.message ?? String(e), err.detail, err.hint].filter(Boolean).join('; ') + (sql && err.position ? lineAt(sql, Number(err.position)) : '');
}

/**
 * The line of the statement an error points at, as psql and DuckDB show it (`LINE n: ...` and a
 * caret below): Postgres gives only the character's position in the statement.
 */
function lineAt(sql: string, position: number): string {
  const chars = [...sql];
  if (!(position >= 1 && position <= chars.length)) return '';
  const before = chars.slice(0, position - 1).join('');
  const line = before.split('\n').length;
  const column = displayWidth(before.slice(before.lastIndexOf('\n') + 1));
  const text = sql.split('\n')[line - 1];
  const prefix = `LINE ${line}: `;
  return `\n\n${prefix}${text}\n${' '.repeat(prefix.length + column)}^`;
}
