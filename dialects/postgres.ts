import { cutToBytes, shortenedName } from '../src/compiler/names.js';
import { BaseDialect, INSTANT_TEXT, NUMBER_TEXT, NUMBER_TEXT_MAX_LENGTH, numberTextPattern, renderOrder, type OrderTerm } from '../src/compiler/dialect.js';

/** NAMEDATALEN - 1: Postgres cuts longer identifiers. */
const MAX_IDENTIFIER_BYTES = 63;

/** At most 200 characters and an exponent under 100: within 1e-299 .. 1e299, so the cast cannot fail. */
const SHORT_NUMBER_TEXT = numberTextPattern(2);
const SHORT_NUMBER_TEXT_MAX_LENGTH = 200;
const two = (n: number) => `power(CAST(2 AS NUMERIC), ${n})`;

/** PostgreSQL. Only what differs from the ANSI/Postgres-flavoured base. */
export class PostgresDialect extends BaseDialect {
  readonly name = 'postgres' as const;
  /** NAMEDATALEN - 1: the longest name Postgres keeps whole; it cuts a longer one without a word. */
  readonly maxNameBytes = 63;
  override readonly systemColumns = ['tableoid', 'xmin', 'cmin', 'xmax', 'cmax', 'ctid'];
  // Postgres JIT-compiles a query estimated costly, and the long expressions of a JSON layout's
  // rounded numbers make a small one look so: compiling them took gigabytes and minutes, and
  // cannot be cancelled, where the query itself takes 0.2 s (Postgres 15, 3,000 events).
  readonly sessionNote = '-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled';

  // Positional parameters can repeat: $1 is as_of everywhere.
  param(_name: string, position: number): string {
    return `$${position}`;
  }
  textListLiteral(values: readonly string[]): string {
    return values.length === 0 ? this.emptyTextList() : `CAST(ARRAY[${values.map((v) => this.stringLiteral(v)).join(', ')}] AS TEXT[])`;
  }
  // Autovacuum never analyzes a temporary table: without statistics the planner guesses (1.4
  // billion rows for 49k), then spills merge joins and compiles JIT code for the statements that
  // join scratch tables. Analyzed as made: a Postgres scale review's users-matching step went
  // from 556 to 120 ms.
  override createTempTableAs(name: string, select: string): string[] {
    return [...super.createTempTableAs(name, select), ...this.refreshStatistics([this.tempTable(name)])];
  }
  // CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the schema exists: a role
  // given only a schema made for it could not run. So create it only when it is missing.
  createSchema(schema: string): string {
    return `DO $roster$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ${this.stringLiteral(schema)}) THEN CREATE SCHEMA ${this.quoteIdent(schema)}; END IF; END $roster$`;
  }
  // Text compares byte for byte (SPEC 2): the C collation, whatever the database's default.
  castText(expr: string): string {
    return `(CAST(${expr} AS TEXT) COLLATE "C")`;
  }
  textSortKey(expr: string): string {
    return expr;
  }
  // A timestamp of either kind (or a date) as it is sent, read back from its text, which every type
  // has: the branch must be valid SQL whatever the column's type. pg_typeof is one type per column.
  runtimeText(expr: string): string {
    const instants = ['timestamp without time zone', 'timestamp with time zone', 'date'].map((t) => `CAST(${this.stringLiteral(t)} AS REGTYPE)`);
    const instant = this.instantText(this.sendableInstant(`CAST(CAST(${expr} AS TEXT) AS TIMESTAMP WITH TIME ZONE)`), 'timestamp with time zone');
    return `CASE WHEN pg_typeof(${expr}) IN (${instants.join(', ')}) THEN ${instant} ELSE CAST(${expr} AS TEXT) END`;
  }
  // A source column sorts by the database's collation (en_US puts 'a' before 'B'); castText's is "C".
  idSortKey(expr: string): string {
    return this.castText(expr);
  }
  // Double arithmetic that overflows already fails ('value out of range: overflow').
  overflowGuard(_double: string): undefined {
    return undefined;
  }
  // No TRY_CAST in Postgres (nor pg_input_is_valid before 16): a bad value must be NULL, not an
  // error. A short number text casts safely; another is read as NUMERIC first, exactly (see
  // doubleInRange). CASE, not AND, keeps the NUMERIC cast behind the pattern.
  tryCastDouble(expr: string): string {
    const text = `CAST(${expr} AS TEXT)`;
    const double = `CAST(${text} AS DOUBLE PRECISION)`;
    return [
      `CASE WHEN length(${text}) <= ${SHORT_NUMBER_TEXT_MAX_LENGTH} AND ${text} ~ ${this.stringLiteral(SHORT_NUMBER_TEXT)} THEN ${double}`,
      ` WHEN length(${text}) <= ${NUMBER_TEXT_MAX_LENGTH} AND ${text} ~ ${this.stringLiteral(NUMBER_TEXT)} THEN`,
      ` ${this.doubleInRange(`abs(CAST(${text} AS NUMERIC))`, double)} END`,
    ].join('');
  }
  // `double`, for a NUMERIC of that magnitude: from 2^1024 - 2^970 up it would round past the
  // largest double (NULL), up to 2^-1075 it rounds to 0 (an error in Postgres, 0 elsewhere).
  private doubleInRange(magnitude: string, double: string): string {
    return `CASE WHEN ${this.beyondDouble(magnitude)} THEN NULL WHEN ${magnitude} * ${two(1075)} <= 1 THEN CAST(0 AS DOUBLE PRECISION) ELSE ${double} END`;
  }
  private beyondDouble(magnitude: string): string {
    return `${magnitude} >= ${two(1024)} - ${two(970)}`;
  }
  // INSTANT_TEXT checks every field's range, so the cast cannot fail. Postgres rounds a fraction
  // to microseconds, DuckDB cuts it: cut here too. Postgres reads a lower-case t and z itself.
  tryCastInstant(expr: string): string {
    const text = `CAST(${expr} AS TEXT)`;
    const micros = `regexp_replace(${text}, ${this.stringLiteral(String.raw`(\.[0-9]{6})[0-9]+`)}, ${this.stringLiteral(String.raw`\1`)})`;
    return `CASE WHEN ${text} ~ ${this.stringLiteral(INSTANT_TEXT)} THEN CAST(CAST(${micros} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP) END`;
  }
  // array_agg(... ORDER BY) keeps the order; [1] is its first element (arrays are 1-based).
  firstValue(expr: string, order: readonly OrderTerm[], where = `${expr} IS NOT NULL`): string {
    return `(array_agg(${expr} ORDER BY ${renderOrder(order)}) FILTER (WHERE ${where}))[1]`;
  }
  // ORDER BY must repeat the DISTINCT argument exactly.
  distinctSortedTextList(expr: string): string {
    const text = this.castText(expr);
    return `array_agg(DISTINCT ${text} ORDER BY ${text}) FILTER (WHERE ${expr} IS NOT NULL)`;
  }
  // The text is castText's (COLLATE "C"): ORDER BY sorts it by code point.
  sortedTextList(text: string): string {
    return `array_agg(${text} ORDER BY ${text}) FILTER (WHERE ${text} IS NOT NULL)`;
  }
  listContains(list: string, value: string): string {
    return `(${value} = ANY(${list}))`;
  }
  emptyTextList(): string {
    return 'CAST(ARRAY[] AS TEXT[])';
  }
  round12(expr: string): string {
    return `CASE WHEN ${expr} IS NULL OR ${expr} = 0 OR ${this.notFinite(expr)} THEN ${expr} ELSE CAST(${this.roundedNumeric(expr)} AS DOUBLE PRECISION) END`;
  }
  /**
   * A finite, non-zero double rounded to 12 significant digits as an exact NUMERIC (Dialect's
   * round12). A double cast to NUMERIC is its 15 digits, and rounding those to 12 rounds its own
   * digits alike but where they end in 500, a tie of 12 digits that the double may fall short of
   * (0.1234567890124999 casts to 0.123456789012500): below the tie's own double, it rounds down.
   * round(numeric, n) accepts a negative n; log() is base 10 in Postgres.
   */
  private roundedNumeric(double: string): string {
    const digits = `CAST(11 - floor(log(abs(${double}))) AS INTEGER)`;
    const fifteen = `CAST(${double} AS NUMERIC)`;
    // A tie is halfway between two numbers of 12 digits: twice it is one of them.
    const tie = `round(2 * ${fifteen}, ${digits}) = 2 * ${fifteen} AND round(${fifteen}, ${digits}) <> ${fifteen}`;
    return `CASE WHEN ${tie} AND abs(${double}) < abs(CAST(${fifteen} AS DOUBLE PRECISION)) THEN trunc(${fifteen}, ${digits}) ELSE round(${fifteen}, ${digits}) END`;
  }
  // DELETE and INSERT wait for no reader: DROP TABLE waits until every transaction that read the
  // table ends (a dashboard's, a pg_dump), and queues later readers behind it, so one long reader
  // held the run, and every other reader, back. The deleted rows stay until VACUUM, as any update's.
  replaceRows(qualified: string, select: string): string[] {
    return [`DELETE FROM ${qualified}`, `INSERT INTO ${qualified}\n${select}`];
  }
  // Read as jsonb, as jsonValue reads it: a json or jsonb column alike (a no-op cast for jsonb), and
  // a text one (a CSV load), which DuckDB's JSON functions read too and ->> alone would refuse.
  jsonText(json: string, key: string): string {
    return `(CAST(${json} AS JSONB) ->> ${this.stringLiteral(key)})`;
  }
  // jsonb (json has no equality, so no GROUP BY); -> gives jsonb 'null' for a JSON null.
  jsonValue(json: string, key: string): string {
    return `nullif(CAST(${json} AS JSONB) -> ${this.stringLiteral(key)}, CAST('null' AS JSONB))`;
  }
  jsonScalarText(value: string): string {
    return `(${value} #>> '{}')`;
  }
  jsonRoundedNumber(value: string): string {
    return `CASE WHEN jsonb_typeof(${value}) = 'number' THEN to_jsonb(${this.round12(this.jsonDouble(value))}) ELSE ${value} END`;
  }
  // CASE: Postgres may evaluate either side of OR first, and the NUMERIC cast fails on a string.
  jsonHasValue(value: string): string {
    return `(CASE WHEN jsonb_typeof(${value}) = 'number' THEN NOT (${this.beyondDouble(`abs(CAST(${this.jsonScalarText(value)} AS NUMERIC))`)}) ELSE ${value} IS NOT NULL END)`;
  }
  jsonListText(value: string): string {
    return `CASE WHEN jsonb_typeof(${value}) = 'number' THEN ${this.numberAsText(this.jsonDouble(value))} WHEN jsonb_typeof(${value}) IN ('object', 'array') THEN NULL ELSE ${this.jsonScalarText(value)} END`;
  }
  // The year of a timestamptz is the session's, which roster sets to UTC.
  sendableInstant(expr: string): string {
    return `CASE WHEN isfinite(${expr}) AND extract(year FROM ${expr}) BETWEEN 1 AND 9999 THEN ${expr} END`;
  }
  sendableNumber(expr: string, type: string): string {
    return `CASE WHEN ${this.notFinite(expr, type)} THEN NULL ELSE ${expr} END`;
  }
  /**
   * Whether a double (or a numeric, of `type`) is NaN or infinite. A numeric may be NaN (and, from
   * Postgres 14, infinite): its text is compared, which says so on every version.
   */
  private notFinite(expr: string, type = 'double precision'): string {
    return `${this.isExactDecimalType(type) ? `CAST(${expr} AS TEXT)` : expr} IN ('Infinity', '-Infinity', 'NaN')`;
  }
  jsonSentText(value: string): string {
    return `CASE WHEN jsonb_typeof(${value}) = 'number' THEN ${this.numberAsText(this.jsonDouble(value))} ELSE CAST(${value} AS TEXT) END`;
  }
  jsonIsString(value: string): string {
    return `jsonb_typeof(${value}) = 'string'`;
  }
  // A jsonb number is a NUMERIC that may hold more than a double: NULL past its range (1e400), 0 below it.
  private jsonDouble(value: string): string {
    const n = `CAST(${this.jsonScalarText(value)} AS NUMERIC)`;
    return this.doubleInRange(`abs(${n})`, `CAST(${n} AS DOUBLE PRECISION)`);
  }
  // jsonb, as the properties a loader writes usually are; json would work as well.
  jsonColumnType(): string {
    return 'JSONB';
  }
  // A table's row type reads each object: one statement for thousands of rows, where a VALUES
  // list parses and plans a parameter per value (the demo's copy took 322 s at 50k users).
  override insertJsonRows(qualified: string, rowsParam: string): string {
    return `INSERT INTO ${qualified} SELECT * FROM json_populate_recordset(CAST(NULL AS ${qualified}), CAST(${rowsParam} AS JSON))`;
  }
  jsonFromText(text: string): string {
    return `CAST(${text} AS JSONB)`;
  }
  // No QUALIFY in Postgres: DISTINCT ON keeps the earliest copy per id and, between copies of one
  // instant, the one whose row as JSON sorts first (by code point, as DuckDB's to_json text does).
  // Rows without an id are not copies of one another: all are kept.
  deduplicate(relation: string): string {
    return `(SELECT * FROM ${relation} AS r WHERE id IS NULL UNION ALL (SELECT DISTINCT ON (id) * FROM ${relation} AS r WHERE id IS NOT NULL ORDER BY id, "timestamp", CAST(row_to_json(r) AS TEXT) COLLATE "C"))`;
  }
  // Postgres cuts longer names to 63 bytes without an error, so `_run_<key>` of two 63-character
  // keys sharing 58 would be one table: a longer name keeps a prefix and a hash of the whole.
  storedName(name: string): string {
    return shortenedName(name, MAX_IDENTIFIER_BYTES);
  }
  // Postgres cut the name when the table or column was created.
  sourceName(name: string): string {
    return cutToBytes(name, MAX_IDENTIFIER_BYTES);
  }
  // A lookup of 20,000 refs in a 3M-row scratch table: 0.64 - 0.85 s as a sequential scan, 0.12 s with it.
  override lookupIndex(tempName: string, column: string): string[] {
    return [`CREATE INDEX ON ${this.tempTable(tempName)} (${this.quoteIdent(column)})`];
  }
  refsFromText(param: string): string {
    return `(SELECT unnest(CAST(string_to_array(${param}, ',') AS BIGINT[])) AS ref)`;
  }
  tempTable(name: string): string {
    return `pg_temp.${this.quoteIdent(name)}`;
  }
  // The row's text holds every value (NULL as an empty field) in one canonical form per type.
  rowHash(values: readonly string[]): string {
    return `hashtextextended(CAST(ROW(${values.join(', ')}) AS TEXT), 0)`;
  }
  // Autovacuum analyzes a table some time after a bulk write; the delivery that follows a run
  // reads the new outbox at once (estimated at 1 row, its join became a nested loop: 17 s for 440k messages).
  refreshStatistics(qualified: readonly string[]): string[] {
    return qualified.length ? [`ANALYZE ${qualified.join(', ')}`] : [];
  }
  // to_jsonb writes timestamps without Z and refuses nothing; SPEC 3 wants ISO-8601 UTC ms Z and no NaN
  // (an infinite timestamp or number is NULL).
  jsonValueText(expr: string, type: string): string {
    // Years 0001 to 9999 only, as on DuckDB (1 BC is year -1 here).
    if (/^(timestamp|date)/i.test(type)) return `CASE WHEN isfinite(${expr}) AND extract(year FROM ${expr}) BETWEEN 1 AND 9999 THEN CAST(to_jsonb(${this.instantText(expr, type)}) AS TEXT) END`;
    if (/^(double precision|real|float)/i.test(type) || this.isExactDecimalType(type)) return `CASE WHEN ${this.notFinite(expr, type)} THEN NULL ELSE CAST(to_jsonb(${expr}) AS TEXT) END`;
    return `CAST(to_jsonb(${expr}) AS TEXT)`;
  }
  // FLOAT without a precision is a double here; the catalog says real for the single one.
  isSinglePrecisionType(type: string): boolean {
    return /^(real|float4)$/i.test(type.trim());
  }
  // A real is read from its text ('0.1', not 0.10000000149); CAST writes '2024-03-04 05:06:07.123456'.
  listValue(expr: string, type: string): string {
    if (this.isTextType(type)) return expr;
    if (/^(double precision|float8?)\b/i.test(type)) return this.numberAsText(expr);
    if (/^(real|float4)\b/i.test(type)) return this.numberAsText(`CAST(CAST(${expr} AS TEXT) AS DOUBLE PRECISION)`);
    if (/^(timestamp|date)/i.test(type)) return this.instantText(this.sendableInstant(expr), type);
    return this.castText(expr);
  }
  private instantText(expr: string, type: string): string {
    const utc = /^timestamp(\(\d\))? with time zone/i.test(type) ? `${expr} AT TIME ZONE 'UTC'` : expr;
    return `to_char(${utc}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  }
  // Rounded as round12 rounds, kept as NUMERIC: its text is the fixed-point one JSON / JavaScript
  // write from 1e-6 to 1e21; beyond, its 12 digits with the exponent as they write it ('1.5e-7').
  // (A double's own text is not always the shortest: 2.2214122892800001e+21.) A subnormal double
  // holds fewer than 12 digits: its own text (5e-324, not 4.94065645841e-324).
  numberAsText(double: string): string {
    const rounded = this.roundedNumeric(double);
    const scientific = `regexp_replace(trim(to_char(${rounded}, '9.99999999999EEEE')), '\\.?0+e', 'e')`;
    return `CASE WHEN ${this.notFinite(double)} THEN NULL WHEN ${double} = 0 THEN '0'`
      + ` WHEN abs(${rounded}) >= 0.000001 AND abs(${rounded}) < 1e21 THEN CAST(trim_scale(${rounded}) AS TEXT)`
      + ` WHEN abs(${double}) < 2.2250738585072014e-308 THEN regexp_replace(CAST(${this.round12(double)} AS TEXT), 'e([+-])0*', 'e\\1')`
      + ` ELSE regexp_replace(${scientific}, 'e([+-])0*', 'e\\1') END`;
  }
}

export const postgres = new PostgresDialect();
