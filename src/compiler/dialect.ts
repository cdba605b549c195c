import type { Duration } from '../definitions/common.js';
import type { DialectName } from '../definitions/project-config.js';

/** A literal from a definition: rendered through the dialect, never concatenated raw. */
export type SqlScalar = string | number | boolean;

export interface OrderTerm { readonly expr: string; readonly desc?: boolean }

const SPACE = String.raw`[ \t\n\r\f\v]*`;

/**
 * The texts that numeric ops read as numbers (SPEC 2), the same on every engine: a plain decimal
 * number with an optional sign, fraction and exponent, ASCII whitespace around it allowed ('1',
 * '-2.5', '.5', '1.', '1e-7', ' 20 '); not 'NaN', 'Infinity', '1_000', '0x10'. Such a text casts
 * when its value rounds to a finite double: '1e400' does not; '1e-400' is 0, as JSON parsers and
 * JavaScript read it. Bounds that no real number reaches keep every engine's check cheap and safe
 * (Postgres tests the range with NUMERIC, which has limits of its own): at most
 * NUMBER_TEXT_MAX_LENGTH characters, an exponent of at most `exponentDigits` significant digits.
 */
export function numberTextPattern(exponentDigits = 4): string {
  return String.raw`^${SPACE}[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,${exponentDigits}})?${SPACE}$`;
}
export const NUMBER_TEXT = numberTextPattern();
export const NUMBER_TEXT_MAX_LENGTH = 1000;

// [0-9], not \d: Postgres's \d can match other scripts' digits, which its casts refuse.
const YEAR = String.raw`(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})`;
const MONTH_DAY = String.raw`((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))`;
/** 29 February of a leap year: divisible by 4, and by 400 when a century. */
const LEAP_DAY = String.raw`([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29`;

/**
 * The texts that before / after / within_last read as instants (SPEC 2), the same on every
 * engine: an ISO-8601 date of years 0001-9999 that exists (no 30 February), optionally a time
 * `[T ]HH:MM[:SS[.fraction]]` (00:00 to 23:59:59) and then an offset `Z` or `±HH[[:]MM]` up to
 * ±15:59; without an offset it is UTC, a date alone 00:00:00Z. RFC 3339's lower-case t and z are
 * read too, as parseInstant reads them in literals and --as-of. Fractions beyond microseconds are
 * cut. Anything else ('2024-02-30', 'T25:00', 'June 9 2024', ' 2024-06-09') is not an instant.
 */
export const INSTANT_TEXT = String.raw`^(${YEAR}-${MONTH_DAY}|${LEAP_DAY})([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$`;

/**
 * What differs between warehouses, as small named SQL primitives. The compiler speaks only
 * through this contract; a dialect file in dialects/ implements it. `BaseDialect` holds the
 * ANSI/Postgres-flavoured defaults, so a dialect overrides only what differs.
 */
export interface Dialect {
  readonly name: DialectName;
  /** SQL text of a bound parameter, e.g. `$as_of` (DuckDB) or `$1` (Postgres). */
  param(name: string, position: number): string;

  quoteIdent(name: string): string;
  /**
   * Column names every table of the engine has already (Postgres's xmin, ctid...): a table cannot
   * take a column of its own by such a name, quoted or not.
   */
  readonly systemColumns: readonly string[];
  /** Whether a backslash escapes the next character in a '...' literal ('it\'s' on Snowflake). */
  readonly backslashEscapes: boolean;
  /**
   * Whether column names match whatever their case, so `SELECT 1 AS Score` returns column score
   * (DuckDB, which keeps the case as written; Snowflake's unquoted names). Postgres folds unquoted
   * names to lower case itself, and a quoted "Score" is another column there.
   */
  readonly namesIgnoreCase: boolean;
  /** What a session running a compiled file by hand needs besides a UTC time zone, as a comment line (roster's own session sets it). */
  readonly sessionNote?: string;
  /**
   * The column a query selected twice, when the engine renamed its second copy to `name`
   * (DuckDB returns score, score_1); undefined where engines keep or refuse the repeat.
   */
  repeatedColumnOf(name: string): string | undefined;
  /**
   * The name as the engine keeps it, which quoteIdent writes and a catalog lists: roster's own
   * names (`_members_<key>`, `_run_<key>`) can be longer than an engine takes (see Postgres).
   */
  storedName(name: string): string;
  /**
   * A source table's or column's name as the engine keeps it, for reading it and looking it up
   * in the catalog: Postgres keeps the first 63 bytes of what Segment's connector created.
   */
  sourceName(name: string): string;
  /**
   * The name the catalog keys a table or column by: the lower-case name roster asks for (as
   * definitions name them) whose quoted form reaches it, or undefined when none does. Postgres
   * matches a quoted name exactly, so "Role" is no column role: it stays "Role", which no lookup
   * finds, and reads as missing (SPEC 3) rather than failing the query that asks for "role".
   */
  catalogKey(name: string): string | undefined;
  /** The catalog key of the table or column that `name`, read through sourceName and quoteIdent, reaches. */
  catalogLookup(name: string): string;
  qualify(schema: string, table: string): string;
  stringLiteral(value: string): string;
  /**
   * A number as SQL: a safe integer as an exact one, anything else as a double. A whole number
   * past 2^53 is a double in JavaScript too, and compares as the double it is (a BIGINT stored as
   * 9223372036849999872, the double of 9223372036850000000, then equals it).
   */
  numberLiteral(value: number): string;
  booleanLiteral(value: boolean): string;
  timestampLiteral(instant: Date): string;
  /** A list literal of strings, for whole-list comparisons. */
  textListLiteral(values: readonly string[]): string;

  /** The run's as_of parameter as a typed UTC timestamp. */
  asOf(): string;
  timestampMinus(ts: string, duration: Duration): string;

  castText(expr: string): string;
  /** A number, or NULL when the value's text is not a number text that casts (NUMBER_TEXT). Never an error. */
  tryCastDouble(expr: string): string;
  tryCastBoolean(expr: string): string;
  /** An instant (UTC timestamp), or NULL when the value's text is not an instant (INSTANT_TEXT). Never an error. */
  tryCastInstant(expr: string): string;

  textContains(haystack: string, needle: string): string;
  textStartsWith(text: string, prefix: string): string;
  textEndsWith(text: string, suffix: string): string;
  /** Sorts text by code point (byte order of UTF-8). */
  textSortKey(expr: string): string;
  /**
   * The text of a value whose type is known only at run time (a SQL trait's column), the same on
   * every engine for a double: castText, without the '.0' DuckDB writes after a whole one.
   */
  runtimeText(expr: string): string;
  /**
   * A condition (always true) that fails the statement where a sum or average of finite doubles
   * overflowed (is infinite), as Postgres's double arithmetic does by itself (none there): on
   * every engine such a trait fails, rather than being stored as infinity and sent as null.
   */
  overflowGuard(double: string): string | undefined;
  /**
   * An id or key (an event's, a call's, a user_id, a definition key) in code-point order, whatever
   * the column's collation (a source's, or roster's own tables', which take the database's
   * default): ties go to the larger id, a group call names the smallest user_id, and messages
   * are ordered by key and id (SPEC 2-4).
   */
  idSortKey(expr: string): string;

  /** Conditional aggregate: agg(expr) over rows where cond holds. */
  filteredAggregate(aggregate: string, expr: string, cond: string): string;
  countIf(cond: string): string;
  boolOr(expr: string): string;
  boolAnd(expr: string): string;
  /**
   * Value of the first row in the given order among rows where `expr` is not null; with `where`,
   * among rows where `where` holds, its value null or not (an event's id, which may be null).
   */
  firstValue(expr: string, order: readonly OrderTerm[], where?: string): string;
  /** Distinct non-null values as text, sorted by code point; NULL when there are none. */
  distinctSortedTextList(expr: string): string;
  /**
   * The non-null values of a text expression (castText's), sorted by code point; NULL when there
   * are none. For values already distinct: distinctSortedTextList without its DISTINCT.
   */
  sortedTextList(text: string): string;
  listContains(list: string, value: string): string;
  emptyTextList(): string;
  /** Rounds a double to 12 significant digits (SPEC 3). */
  round12(expr: string): string;
  median(expr: string): string;

  /** A JSON property as text (`null` for JSON null or a missing key). */
  jsonText(json: string, key: string): string;
  /** A JSON property keeping its JSON type (a number stays a number); SQL NULL for JSON null. */
  jsonValue(json: string, key: string): string;
  /** The text of a JSON scalar (a string without its quotes), for comparisons and sorting. */
  jsonScalarText(value: string): string;
  /**
   * A jsonValue whose number is rounded to 12 significant digits as SPEC 3 stores numbers (NULL
   * when no double holds it); any other JSON value as it is. 10 and 10.0 are then one value.
   */
  jsonRoundedNumber(value: string): string;
  /**
   * A jsonValue a message can carry: not SQL NULL (JSON null, a missing key) and not a number no
   * double holds (1e400), which is no value as a column's infinity is (README).
   */
  jsonHasValue(value: string): string;
  /**
   * A jsonValue as the text a unique_list holds, as listValue writes a column's: a number as a
   * double is written ('10' for 10.0 and 1E1; NULL when no double holds it), an object or array
   * is NULL (engines write and order their keys differently), any other value as jsonScalarText.
   */
  jsonListText(value: string): string;
  /**
   * A jsonValue's JSON text as a message sends it: a number as numberAsText writes it (DuckDB's
   * JSON writes a whole double 3 as 3.0, jsonb writes 1e21 in full; the message has 3 and 1e+21),
   * any other value as its JSON text. For comparing values across an edit that changed a type.
   */
  jsonSentText(value: string): string;
  /** Whether a jsonValue is a JSON string (5 and "5" have one text). */
  jsonIsString(value: string): string;
  /** Keeps one row per `id` of a source relation (source.deduplicate). */
  deduplicate(relation: string): string;
  /** The column type of a JSON document (the events_json layout's properties and traits). */
  jsonColumnType(): string;
  /** Whether a column type (as `describe` reports it) is jsonColumnType. */
  isJsonType(type: string): boolean;
  /** A JSON document of jsonColumnType from its text. */
  jsonFromText(text: string): string;
  /**
   * An INSERT of rows handed over as one bound text parameter, a JSON array of objects keyed by
   * column name, where the engine reads such an array as rows; undefined where it does not (rows
   * are then inserted as VALUES, a parameter per value).
   */
  insertJsonRows(qualified: string, rowsParam: string): string | undefined;

  /**
   * A whole number unique to each row of the query it is selected in (gaps allowed), without
   * sorting the rows: a scratch table's key for rows looked up by it later.
   */
  rowRef(): string;
  /**
   * A relation of one BIGINT column `ref`: the whole numbers of a text parameter that lists them
   * separated by commas ('3,17,5'). One bound value instead of thousands of literals, which the
   * engine would parse one by one.
   */
  refsFromText(param: string): string;
  /**
   * Statements that index a scratch table's column for lookups of a few rows at a time, where the
   * engine would otherwise scan the whole table for each (Postgres); none where it has no such
   * indexes or filters its scans well without (DuckDB, Snowflake).
   */
  lookupIndex(tempName: string, column: string): string[];
  /** A session-local scratch table for this run's result of a definition. */
  tempTable(name: string): string;
  /** Statements that (re)create a scratch table from a query. */
  createTempTableAs(name: string, select: string): string[];
  /**
   * A scratch table from an untrusted query (a SQL trait) in two steps: `create` makes the empty
   * table, `fill` runs the query, so `fill` can run in a read-only transaction where the engine
   * has them (creating a table is not allowed in one).
   */
  readOnlyTempTableAs(name: string, select: string): { create: string[]; fill: string[] };
  /** Statements that (re)create a permanent table from a query. */
  replaceTableAs(qualified: string, select: string): string[];
  /**
   * Statements that replace every row of an existing permanent table whose columns are the
   * query's, inside the open transaction: as DML where DDL commits a transaction (Snowflake) or
   * waits for the table's readers (Postgres).
   */
  replaceRows(qualified: string, select: string): string[];
  createSchema(schema: string): string;
  /** Column types that are not scalar (lists, structs, maps, JSON objects). */
  isScalarType(type: string): boolean;
  /**
   * Scalar types whose text differs by engine (bytes, intervals, money): a SQL trait may not
   * return them, as no message could carry them as the same value everywhere (SPEC 3).
   */
  hasEngineText(type: string): boolean;
  /** Column types that may hold fractions (as `describe` reports them): their values are rounded to 12 digits (SPEC 3). */
  isFractionalType(type: string): boolean;
  /** Exact decimal types (as `describe` reports them), which SPEC 3 computes with as doubles. */
  isExactDecimalType(type: string): boolean;
  /** Single-precision float types: their value is the one their text shows (0.1, not 0.10000000149). */
  isSinglePrecisionType(type: string): boolean;
  /** Integer types that hold more than 12 digits (as `describe` reports them): SPEC 3 rounds them too (roundedWholeNumber). */
  isWideIntegerType(type: string): boolean;
  /** A timestamp truncated to the millisecond, as SPEC 3 sends it: values sent alike are stored alike. */
  millisecondTimestamp(expr: string): string;
  /**
   * A timestamp or date as it is where a message can carry it (finite, years 0001 to 9999 in UTC,
   * which ISO-8601 writes), NULL where it cannot.
   */
  sendableInstant(expr: string): string;
  /** A fractional number (of column type `type`) as it is where a message can carry it (finite), NULL where it cannot (NaN, ±Infinity). */
  sendableNumber(expr: string, type: string): string;
  /** Which kind of value a column type holds: types of one kind mix in a UNION, of two kinds may not. */
  typeKind(type: string): 'text' | 'number' | 'instant' | 'boolean' | 'other';
  /** Text column types: a value is its own text (castText changes at most its collation); not blank-padded CHAR, whose cast drops trailing blanks. */
  isTextType(type: string): boolean;
  /**
   * A value of a column of the given type (as `describe` reports it) as JSON text, NULL for
   * NULL: timestamps as ISO-8601 UTC with milliseconds and Z, non-finite numbers and timestamps as NULL (SPEC 3).
   */
  jsonValueText(expr: string, type: string): string;
  /**
   * A value of a column of the given type (as the catalog or `describe` reports it) as the text a
   * unique_list holds, the same on every engine (SPEC 3 writes numbers and timestamps so): a
   * binary floating-point number rounded to 12 significant digits and written as JSON writes it
   * ('10', '0.5', '1e-7', '1e+21'; NULL when not finite), a timestamp or date as ISO-8601 UTC with
   * milliseconds and Z (NULL where sendableInstant is: infinite, or a year past 0001 to 9999); a text column's value as it is (so a unique_list and a most_frequent of
   * one property share a pass); any other value as castText.
   */
  listValue(expr: string, type: string): string;
  /**
   * A computed double as the text it is sent as (listValue's text of a double: '10' for 10.0,
   * '1e+21'), which a string literal is compared with (SPEC 2: strings compare as text).
   */
  numberAsText(double: string): string;
  /** A number of a numeric column (an integer) as a double: a plain cast, where tryCastDouble reads any value's text. */
  castDouble(number: string): string;
  /**
   * A well-mixed 64-bit integer hash of one row's values (NULLs included): summed over a table
   * it is a checksum of the table's rows, so two tables holding the same rows have equal sums.
   */
  rowHash(values: readonly string[]): string;
  /**
   * Statements that refresh the planner's statistics of tables just written in bulk (none where
   * the engine keeps them itself): without them a join over a fresh outbox can be planned as a
   * nested loop over millions of rows.
   */
  refreshStatistics(qualified: readonly string[]): string[];
}

/** Primitives a dialect must provide itself: a forgotten one fails loudly, naming the dialect. */
export function missing(dialect: string, primitive: string): never {
  throw new Error(`dialect ${dialect} does not implement ${primitive}`);
}

const PLURAL_UNITS: Record<Duration['unit'], string> = { minute: 'minutes', hour: 'hours', day: 'days', week: 'weeks' };

/** ANSI / Postgres-flavoured defaults. */
export abstract class BaseDialect implements Dialect {
  abstract readonly name: DialectName;
  abstract param(name: string, position: number): string;
  readonly systemColumns: readonly string[] = [];
  readonly backslashEscapes: boolean = false;
  readonly namesIgnoreCase: boolean = false;

  repeatedColumnOf(_name: string): string | undefined {
    return undefined;
  }
  quoteIdent(name: string): string {
    if (name.includes('\u0000')) throw new Error(`identifier contains a NUL character: ${JSON.stringify(name)}`);
    const stored = this.storedName(name);
    return `"${stored.replace(/"/g, '""')}"`;
  }
  storedName(name: string): string {
    return name;
  }
  sourceName(name: string): string {
    return name;
  }
  catalogKey(name: string): string | undefined {
    return name;
  }
  catalogLookup(name: string): string {
    return this.sourceName(name);
  }
  qualify(schema: string, table: string): string {
    return `${this.quoteIdent(schema)}.${this.quoteIdent(table)}`;
  }
  stringLiteral(value: string): string {
    if (value.includes('\u0000')) throw new Error(`text contains a NUL character: ${JSON.stringify(value)}`);
    const quoted = (text: string) => `'${text.replace(/'/g, "''")}'`;
    // Line breaks are written as a mark the text does not hold, then replaced by chr(): no literal
    // spans lines, so compiled SQL can be re-indented safely, and any number of them stays one
    // expression (a chain of || per line break goes deeper than engines parse).
    let text = value;
    const swaps: (readonly [mark: string, code: number])[] = [];
    for (const [brk, code] of [['\n', 10], ['\r', 13]] as const) {
      if (!value.includes(brk)) continue;
      const mark = LINE_BREAK_MARKS.find((m) => !value.includes(m) && !swaps.some(([used]) => used === m));
      if (mark === undefined) throw new Error('text holds every character a line break could be written as');
      text = text.split(brk).join(mark);
      swaps.push([mark, code]);
    }
    return swaps.reduce((sql, [mark, code]) => `replace(${sql}, ${quoted(mark)}, chr(${code}))`, quoted(text));
  }
  castDouble(number: string): string {
    return `CAST(${number} AS DOUBLE PRECISION)`;
  }
  numberLiteral(value: number): string {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return Number.isSafeInteger(value) ? String(value) : `CAST(${String(value)} AS DOUBLE PRECISION)`;
  }
  booleanLiteral(value: boolean): string {
    return value ? 'TRUE' : 'FALSE';
  }
  timestampLiteral(instant: Date): string {
    return `TIMESTAMP '${instant.toISOString().replace('T', ' ').replace('Z', '')}'`;
  }
  textListLiteral(values: readonly string[]): string {
    return values.length === 0 ? this.emptyTextList() : `ARRAY[${values.map((v) => this.stringLiteral(v)).join(', ')}]`;
  }
  asOf(): string {
    return `CAST(${this.param('as_of', 1)} AS TIMESTAMP)`;
  }
  timestampMinus(ts: string, d: Duration): string {
    return `${ts} - INTERVAL '${d.amount} ${PLURAL_UNITS[d.unit]}'`;
  }
  castText(expr: string): string {
    return `CAST(${expr} AS VARCHAR)`;
  }
  tryCastDouble(expr: string): string {
    return missing(this.name, 'tryCastDouble');
  }
  // One rule on every engine (their own boolean casts accept different spellings).
  tryCastBoolean(expr: string): string {
    return `CASE lower(${this.castText(expr)}) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END`;
  }
  tryCastInstant(expr: string): string {
    return missing(this.name, 'tryCastInstant');
  }
  textContains(haystack: string, needle: string): string {
    return `(strpos(${haystack}, ${needle}) > 0)`;
  }
  textStartsWith(text: string, prefix: string): string {
    return `starts_with(${text}, ${prefix})`;
  }
  textEndsWith(text: string, suffix: string): string {
    return `(right(${text}, length(${suffix})) = ${suffix})`;
  }
  textSortKey(expr: string): string {
    return `${expr} COLLATE "C"`;
  }
  idSortKey(expr: string): string {
    return missing(this.name, 'idSortKey');
  }
  runtimeText(expr: string): string {
    return this.castText(expr);
  }
  overflowGuard(double: string): string | undefined {
    return missing(this.name, 'overflowGuard');
  }
  filteredAggregate(aggregate: string, expr: string, cond: string): string {
    return `${aggregate}(${expr}) FILTER (WHERE ${cond})`;
  }
  countIf(cond: string): string {
    return `count(*) FILTER (WHERE ${cond})`;
  }
  boolOr(expr: string): string {
    return `bool_or(${expr})`;
  }
  boolAnd(expr: string): string {
    return `bool_and(${expr})`;
  }
  firstValue(_expr: string, _order: readonly OrderTerm[], _where?: string): string {
    return missing(this.name, 'firstValue');
  }
  distinctSortedTextList(expr: string): string {
    return missing(this.name, 'distinctSortedTextList');
  }
  sortedTextList(text: string): string {
    return missing(this.name, 'sortedTextList');
  }
  listContains(list: string, value: string): string {
    return missing(this.name, 'listContains');
  }
  emptyTextList(): string {
    return missing(this.name, 'emptyTextList');
  }
  round12(expr: string): string {
    return missing(this.name, 'round12');
  }
  median(expr: string): string {
    return `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${expr})`;
  }
  jsonText(json: string, key: string): string {
    return missing(this.name, 'jsonText');
  }
  rowHash(_values: readonly string[]): string {
    return missing(this.name, 'rowHash');
  }
  refreshStatistics(_qualified: readonly string[]): string[] {
    return missing(this.name, 'refreshStatistics');
  }
  jsonValue(json: string, key: string): string {
    return missing(this.name, 'jsonValue');
  }
  jsonScalarText(value: string): string {
    return missing(this.name, 'jsonScalarText');
  }
  jsonRoundedNumber(value: string): string {
    return missing(this.name, 'jsonRoundedNumber');
  }
  jsonHasValue(value: string): string {
    return missing(this.name, 'jsonHasValue');
  }
  jsonListText(value: string): string {
    return missing(this.name, 'jsonListText');
  }
  jsonSentText(value: string): string {
    return missing(this.name, 'jsonSentText');
  }
  jsonIsString(value: string): string {
    return missing(this.name, 'jsonIsString');
  }
  deduplicate(relation: string): string {
    return missing(this.name, 'deduplicate');
  }
  rowRef(): string {
    return 'row_number() OVER ()';
  }
  refsFromText(_param: string): string {
    return missing(this.name, 'refsFromText');
  }
  lookupIndex(_tempName: string, _column: string): string[] {
    return [];
  }
  tempTable(name: string): string {
    return this.quoteIdent(name);
  }
  createTempTableAs(name: string, select: string): string[] {
    return [`DROP TABLE IF EXISTS ${this.tempTable(name)}`, `CREATE TEMPORARY TABLE ${this.tempTable(name)} AS\n${select}`];
  }
  replaceTableAs(qualified: string, select: string): string[] {
    return [`DROP TABLE IF EXISTS ${qualified}`, `CREATE TABLE ${qualified} AS\n${select}`];
  }
  // Each dialect chooses: a new table (cheap where DDL is transactional and no reader waits) or
  // DELETE and INSERT (where DDL commits, or waits for readers).
  replaceRows(_qualified: string, _select: string): string[] {
    return missing(this.name, 'replaceRows');
  }
  readOnlyTempTableAs(name: string, select: string): { create: string[]; fill: string[] } {
    return {
      // WITH NO DATA plans the query without running it.
      create: [`DROP TABLE IF EXISTS ${this.tempTable(name)}`, `CREATE TEMPORARY TABLE ${this.quoteIdent(name)} AS\n${select}\nWITH NO DATA`],
      fill: [`INSERT INTO ${this.tempTable(name)}\n${select}`],
    };
  }
  createSchema(schema: string): string {
    return `CREATE SCHEMA IF NOT EXISTS ${this.quoteIdent(schema)}`;
  }
  jsonValueText(expr: string, type: string): string {
    return missing(this.name, 'jsonValueText');
  }
  listValue(expr: string, type: string): string {
    return missing(this.name, 'listValue');
  }
  numberAsText(double: string): string {
    return missing(this.name, 'numberAsText');
  }
  jsonColumnType(): string {
    return missing(this.name, 'jsonColumnType');
  }
  isJsonType(type: string): boolean {
    return type.trim().toUpperCase() === this.jsonColumnType().toUpperCase();
  }
  jsonFromText(text: string): string {
    return missing(this.name, 'jsonFromText');
  }
  insertJsonRows(_qualified: string, _rowsParam: string): string | undefined {
    return undefined;
  }
  isScalarType(type: string): boolean {
    return !/\[\d*\]|^(ARRAY|STRUCT|MAP|UNION|JSON|JSONB|LIST|OBJECT|VARIANT)\b/i.test(type.trim());
  }
  hasEngineText(type: string): boolean {
    return /^(BLOB|BYTEA|BINARY|VARBINARY|BYTES|INTERVAL|MONEY)\b/i.test(type.trim());
  }
  isFractionalType(type: string): boolean {
    return /^(DOUBLE|FLOAT|REAL|DECIMAL|NUMERIC|DOUBLE PRECISION|FLOAT[48])\b/i.test(type.trim());
  }
  isExactDecimalType(type: string): boolean {
    return /^(DECIMAL|NUMERIC)\b/i.test(type.trim());
  }
  isSinglePrecisionType(type: string): boolean {
    return /^(FLOAT4?|REAL)$/i.test(type.trim());
  }
  millisecondTimestamp(expr: string): string {
    return `date_trunc('milliseconds', ${expr})`;
  }
  sendableInstant(expr: string): string {
    return missing(this.name, 'sendableInstant');
  }
  sendableNumber(expr: string, _type: string): string {
    return missing(this.name, 'sendableNumber');
  }
  isWideIntegerType(type: string): boolean {
    return /^(BIGINT|INT8|LONG|UBIGINT)$/i.test(type.trim());
  }
  typeKind(type: string): 'text' | 'number' | 'instant' | 'boolean' | 'other' {
    if (this.isTextType(type)) return 'text';
    if (this.isFractionalType(type) || /INT|NUMBER|NUMERIC|DECIMAL/i.test(type)) return 'number';
    if (/^(TIMESTAMP|DATE)/i.test(type.trim())) return 'instant';
    return /^BOOL/i.test(type.trim()) ? 'boolean' : 'other';
  }
  isTextType(type: string): boolean {
    return /^(VARCHAR|TEXT|STRING|CHARACTER VARYING)\b/i.test(type.trim());
  }
}

/**
 * Marks a literal's line breaks are written as: ASCII symbols, which every database encoding
 * holds (LATIN2 has no ¶), then control characters as a last resort. No quote, backslash or $.
 */
const LINE_BREAK_MARKS: readonly string[] = [
  ...'~^`|#@%&*+=<>!?',
  ...Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).filter((c) => !'\t\n\r'.includes(c)),
];

// A NULL (an event without an id) sorts after every value, as Postgres and Snowflake sort it by
// default, where DuckDB puts it last in a DESC order too: so last takes it on every engine.
export function renderOrder(order: readonly OrderTerm[]): string {
  return order.map((o) => `${o.expr}${o.desc ? ' DESC NULLS FIRST' : ''}`).join(', ');
}

/**
 * A value of a fractional column as SPEC 3 stores and sends it: a double rounded to 12 significant
 * digits. Decimals and single-precision floats are read through their text, as every engine then
 * reads the same double (Postgres's real -> numeric already does; DuckDB's FLOAT -> DOUBLE does not).
 */
export function roundedNumber(d: Dialect, expr: string, type: string): string {
  return d.round12(d.isExactDecimalType(type) || d.isSinglePrecisionType(type) ? d.tryCastDouble(expr) : expr);
}

/**
 * A value of a column of the given type as the text a unique_list holds: listValue's, with a
 * number written as it is sent (SPEC 3): a decimal read as roundedNumber reads it ('1.5' for a
 * DECIMAL 1.50, not its scale's text) and a wide integer past 12 digits as its rounded double is
 * sent (9223372036854775807 as 9223372036850000000, not the double's own 9223372036849999872).
 */
export function listText(d: Dialect, expr: string, type: string): string {
  if (d.isExactDecimalType(type)) return d.numberAsText(d.tryCastDouble(expr));
  if (!d.isWideIntegerType(type)) return d.listValue(expr, type);
  // numberAsText rounds to 12 digits itself; each of round12 and tryCastDouble repeats its argument,
  // and nested they grew one Postgres expression to 800 KB, planned for a second.
  return `CASE WHEN ${withinTwelveDigits(expr)} THEN ${d.listValue(expr, type)} ELSE ${d.numberAsText(d.castDouble(expr))} END`;
}

/**
 * A value of a column as SPEC 3 stores and sends it: a fraction as roundedNumber, a wide integer
 * as roundedWholeNumber, a timestamp to the millisecond, anything else (text, a narrow integer, a
 * date) as it is.
 */
export function storedValue(d: Dialect, expr: string, type: string): string {
  if (d.isFractionalType(type)) return roundedNumber(d, expr, type);
  // Sent with milliseconds: a value that moved by microseconds only is not a change to send again.
  if (/^TIMESTAMP/i.test(type.trim())) return d.millisecondTimestamp(expr);
  return d.isWideIntegerType(type) ? roundedWholeNumber(d, expr, type) : expr;
}

/** 10^12, the smallest magnitude with 13 digits: numbers below it are their own 12-digit rounding if whole. */
export const TWELVE_DIGIT_LIMIT = '1000000000000';

/**
 * A value of a wide integer column as SPEC 3 stores and sends it: rounded to 12 significant digits
 * (1234567890123 is 1234567890120), and still whole, of its own type, so it is sent without a
 * fraction. Within 12 digits it is its own rounding, so most values skip the double altogether.
 * `type` is interpolated: only a type isWideIntegerType accepted (a catalog name, never a definition's text).
 */
export function roundedWholeNumber(d: Dialect, expr: string, type: string): string {
  if (!d.isWideIntegerType(type)) throw new Error(`roundedWholeNumber: ${type} is not a wide integer type`);
  return `CASE WHEN ${withinTwelveDigits(expr)} THEN ${expr} ELSE CAST(${d.round12(d.castDouble(expr))} AS ${type.trim()}) END`;
}

/** Whether a whole number has at most 12 digits: then it is its own 12-digit rounding. */
function withinTwelveDigits(expr: string): string {
  return `${expr} > -${TWELVE_DIGIT_LIMIT} AND ${expr} < ${TWELVE_DIGIT_LIMIT}`;
}
