import { BaseDialect, INSTANT_TEXT, NUMBER_TEXT, NUMBER_TEXT_MAX_LENGTH, renderOrder, type OrderTerm } from '../src/compiler/dialect.js';

// Values of these types need no trip through their text to be read as a number / an instant:
// `typeof` is folded when the query is planned, so the text branch of a typed column goes.
// FLOAT and DECIMAL are left out: their text ('0.1') reads as another double than a cast gives.
const DOUBLE_EXACT_TYPES = ['DOUBLE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT'];
const INSTANT_TYPES = ['TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'TIMESTAMP WITH TIME ZONE', 'DATE'];

/** DuckDB: the embedded default. Only what differs from the ANSI/Postgres base. */
export class DuckDbDialect extends BaseDialect {
  readonly name = 'duckdb' as const;
  override readonly namesIgnoreCase = true;

  // DuckDB matches names whatever their case, quoted or not.
  override catalogKey(name: string): string {
    return name.toLowerCase();
  }
  override catalogLookup(name: string): string {
    return name.toLowerCase();
  }

  override repeatedColumnOf(name: string): string | undefined {
    return /^(.+)_\d+$/.exec(name)?.[1];
  }

  // Named parameters can repeat, so the compiled SQL stays readable: $as_of.
  param(name: string): string {
    return `$${name}`;
  }
  numberLiteral(value: number): string {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    if (Number.isSafeInteger(value)) return String(value);
    // A decimal literal is a DECIMAL first: past 15 digits its conversion to a double can be off by
    // one (0.0009748644828794999 became 0.0009748644828795). Text is read exactly.
    const digits = String(value).replace(/e.*$/, '').replace(/\D|^[0.]+/g, '');
    return `CAST(${digits.length > 15 ? this.stringLiteral(String(value)) : String(value)} AS DOUBLE)`;
  }
  textListLiteral(values: readonly string[]): string {
    return values.length === 0 ? this.emptyTextList() : `[${values.map((v) => this.stringLiteral(v)).join(', ')}]`;
  }
  timestampMinus(ts: string, d: { amount: number; unit: string }): string {
    return `${ts} - INTERVAL ${d.amount} ${d.unit.toUpperCase()}`;
  }
  // TRY_CAST alone reads more than NUMBER_TEXT ('NaN', 'Infinity', '1_000') and makes 1e400 infinite.
  tryCastDouble(expr: string): string {
    const typed = `TRY_CAST(${expr} AS DOUBLE)`;
    const text = `CAST(${expr} AS VARCHAR)`;
    const double = `TRY_CAST(${text} AS DOUBLE)`;
    return `CASE WHEN typeof(${expr}) IN (${DOUBLE_EXACT_TYPES.map((t) => this.stringLiteral(t)).join(', ')}) THEN ${this.finite(typed)}`
      + ` WHEN length(${text}) <= ${NUMBER_TEXT_MAX_LENGTH} AND regexp_full_match(${text}, ${this.stringLiteral(NUMBER_TEXT)}) AND isfinite(${double}) THEN ${double} END`;
  }
  // Via TIMESTAMPTZ so an offset in the text is honoured; the session runs in UTC. TRY_CAST alone
  // reads more than INSTANT_TEXT (' 2024-06-09', '2024-1-1', offsets past ±15:59), and wants
  // seconds before an offset: '2024-06-09T10:30Z' becomes '2024-06-09T10:30:00Z'. It reads no
  // lower-case t or z: upper() them (INSTANT_TEXT holds no other letter).
  tryCastInstant(expr: string): string {
    const typed = `TRY_CAST(${expr} AS TIMESTAMP)`;
    const text = `CAST(${expr} AS VARCHAR)`;
    const seconds = `regexp_replace(upper(${text}), ${this.stringLiteral('^(.{16})([Z+-])')}, ${this.stringLiteral(String.raw`\1:00\2`)})`;
    return `CASE WHEN typeof(${expr}) IN (${INSTANT_TYPES.map((t) => this.stringLiteral(t)).join(', ')}) THEN CASE WHEN year(${typed}) BETWEEN 1 AND 9999 THEN ${typed} END`
      + ` WHEN regexp_full_match(${text}, ${this.stringLiteral(INSTANT_TEXT)}) THEN CAST(TRY_CAST(${seconds} AS TIMESTAMPTZ) AS TIMESTAMP) END`;
  }
  // DuckDB compares VARCHAR byte by byte, which is code point order for UTF-8.
  textSortKey(expr: string): string {
    return expr;
  }
  // VARCHAR compares byte for byte unless a column declares a collation.
  idSortKey(expr: string): string {
    return expr;
  }
  // A DOUBLE 3 is '3.0' here, '3' on Postgres; otherwise both write a double's shortest digits
  // alike ('2.5', '1e-05', '1e+16'). A timestamp of any kind is read back from its text (which
  // every type has) as it is sent. typeof() is settled when the query is bound.
  runtimeText(expr: string): string {
    const instant = this.instantText(this.sendableInstant(`TRY_CAST(CAST(${expr} AS VARCHAR) AS TIMESTAMPTZ)`));
    return `CASE WHEN typeof(${expr}) IN ('DOUBLE', 'FLOAT') THEN regexp_replace(CAST(${expr} AS VARCHAR), '\\.0$', '') WHEN typeof(${expr}) LIKE 'TIMESTAMP%' OR typeof(${expr}) = 'DATE' THEN ${instant} ELSE CAST(${expr} AS VARCHAR) END`;
  }
  // DuckDB's sum goes to infinity where Postgres stops with this error; error() runs only for such a row.
  overflowGuard(double: string): string {
    return `CASE WHEN isinf(${double}) THEN error('value out of range: overflow') ELSE TRUE END`;
  }
  textEndsWith(text: string, suffix: string): string {
    return `ends_with(${text}, ${suffix})`;
  }
  textContains(haystack: string, needle: string): string {
    return `contains(${haystack}, ${needle})`;
  }
  // arg_min/arg_max break ties arbitrarily; an ordered first() makes (timestamp, id) decide.
  firstValue(expr: string, order: readonly OrderTerm[], where = `${expr} IS NOT NULL`): string {
    return `first(${expr} ORDER BY ${renderOrder(order)}) FILTER (WHERE ${where})`;
  }
  distinctSortedTextList(expr: string): string {
    const text = this.castText(expr);
    return `list(DISTINCT ${text} ORDER BY ${text}) FILTER (WHERE ${expr} IS NOT NULL)`;
  }
  // A DISTINCT aggregate takes DuckDB's slow path (~3x a plain one): the plan dedups by GROUP BY first.
  sortedTextList(text: string): string {
    return `list(${text} ORDER BY ${text}) FILTER (WHERE ${text} IS NOT NULL)`;
  }
  listContains(list: string, value: string): string {
    return `list_contains(${list}, ${value})`;
  }
  emptyTextList(): string {
    return 'CAST([] AS VARCHAR[])';
  }
  // round(x, n) scales by 10^n in doubles, inexact past 10^22 (1.0828223999926933e-14 became
  // 1.0828223999899998e-14). As Postgres does: the value's 15 significant digits (printf rounds
  // exactly) rounded to 12 as a DECIMAL, read back as a double; where they end in 500, a tie of 12
  // digits the double may fall short of (0.1234567890124999 prints 1.23456789012500e-01), a double
  // below the tie's own rounds down.
  // The value and its digits are each bound once by a lambda over a one-element list: spelt out
  // in place, DuckDB evaluated printf four times a row and the value (itself a round12, or a cast
  // of JSON, where a number is sent) seven, and the whole took twice as long.
  round12(expr: string): string {
    const x = 'round12_value';
    const digits = 'round12_digits';
    const fifteen = `CAST(split_part(${digits}, 'e', 1) AS DECIMAL(16, 14))`;
    const below = `substr(${digits}, 14, 3) = '500' AND abs(${x}) < CAST(${digits} AS DOUBLE)`;
    const mantissa = `CASE WHEN ${below} THEN trunc(${fifteen}, 11) ELSE round(${fifteen}, 11) END`;
    const sign = `CASE WHEN ${x} < 0 THEN '-' ELSE '' END`;
    const rounded = `CAST(${sign} || CAST(${mantissa} AS VARCHAR) || 'e' || split_part(${digits}, 'e', 2) AS DOUBLE)`;
    const fromDigits = `list_transform([printf('%.14e', abs(${x}))], lambda ${digits}: ${rounded})[1]`;
    return `list_transform([${expr}], lambda ${x}: CASE WHEN isfinite(${x}) AND ${x} <> 0 THEN ${fromDigits} ELSE ${x} END)[1]`;
  }
  median(expr: string): string {
    return `median(${expr})`;
  }
  // A JSON pointer (RFC 6901) addresses any key, whatever characters it holds.
  jsonText(json: string, key: string): string {
    return `json_extract_string(${json}, ${this.jsonPointer(key)})`;
  }
  // json_extract gives JSON 'null' for a JSON null: NULL, so "non-null" means what it says.
  jsonValue(json: string, key: string): string {
    return `nullif(json_extract(${json}, ${this.jsonPointer(key)}), CAST('null' AS JSON))`;
  }
  jsonScalarText(value: string): string {
    return `json_extract_string(${value}, '$')`;
  }
  // to_json writes the rounded double back.
  // -0.0 is 0 as a double, but to_json keeps its sign: one value, as Postgres's jsonb has it.
  jsonRoundedNumber(value: string): string {
    const double = this.jsonDouble(value);
    return `CASE WHEN ${this.isJsonNumber(value)} THEN to_json(CASE WHEN ${double} = 0 THEN CAST(0 AS DOUBLE) ELSE ${this.round12(double)} END) ELSE ${value} END`;
  }
  jsonHasValue(value: string): string {
    return `(${value} IS NOT NULL AND (NOT ${this.isJsonNumber(value)} OR ${this.jsonDouble(value)} IS NOT NULL))`;
  }
  jsonListText(value: string): string {
    return `CASE WHEN ${this.isJsonNumber(value)} THEN ${this.numberAsText(this.jsonDouble(value))} WHEN json_type(${value}) IN ('OBJECT', 'ARRAY') THEN NULL ELSE ${this.jsonScalarText(value)} END`;
  }
  sendableInstant(expr: string): string {
    return `CASE WHEN isfinite(${expr}) AND year(${expr}) BETWEEN 1 AND 9999 THEN ${expr} END`;
  }
  // A DECIMAL or HUGEINT is always finite (isfinite would take it as a double).
  sendableNumber(expr: string, type: string): string {
    return this.isExactDecimalType(type) ? expr : this.finite(expr);
  }
  jsonSentText(value: string): string {
    return `CASE WHEN ${this.isJsonNumber(value)} THEN ${this.numberAsText(this.jsonDouble(value))} ELSE CAST(${value} AS VARCHAR) END`;
  }
  jsonIsString(value: string): string {
    return `json_type(${value}) = 'VARCHAR'`;
  }
  // json_type tells a JSON number by the type DuckDB read it as.
  private isJsonNumber(value: string): string {
    return `json_type(${value}) IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE')`;
  }
  // A JSON number's text is a number's: no text checks, only NULL where no double holds it (1e400).
  private jsonDouble(value: string): string {
    return this.finite(`TRY_CAST(${this.jsonScalarText(value)} AS DOUBLE)`);
  }
  /** The double, NULL when infinite or NaN (a number no double holds, 1e400, casts to infinity). */
  private finite(double: string): string {
    return `CASE WHEN isfinite(${double}) THEN ${double} END`;
  }
  jsonColumnType(): string {
    return 'JSON';
  }
  jsonFromText(text: string): string {
    return `CAST(${text} AS JSON)`;
  }
  // A JSON Pointer reads any key as written (dots, quotes, $), but one of digits indexes an
  // array too: properties that are an array would give "0" its first element, where Postgres's
  // -> reads a key only. A key of digits is a quoted JSONPath key, which reads objects only.
  private jsonPointer(key: string): string {
    if (/^\d+$/.test(key)) return this.stringLiteral(`$."${key}"`);
    return this.stringLiteral('/' + key.replace(/~/g, '~0').replace(/\//g, '~1'));
  }
  refsFromText(param: string): string {
    return `(SELECT CAST(unnest(string_split(${param}, ',')) AS BIGINT) AS ref)`;
  }
  tempTable(name: string): string {
    return `temp.main.${this.quoteIdent(name)}`;
  }
  createTempTableAs(name: string, select: string): string[] {
    return [`CREATE OR REPLACE TEMPORARY TABLE ${this.quoteIdent(name)} AS\n${select}`];
  }
  // No read-only transactions here: the query runs as one prepared statement wrapped as a subquery.
  readOnlyTempTableAs(name: string, select: string): { create: string[]; fill: string[] } {
    return { create: [], fill: this.createTempTableAs(name, select) };
  }
  replaceTableAs(qualified: string, select: string): string[] {
    return [`CREATE OR REPLACE TABLE ${qualified} AS\n${select}`];
  }
  // DDL is transactional: a new table is cheaper than deleting every row (deleted rows stay until a checkpoint).
  replaceRows(qualified: string, select: string): string[] {
    return this.replaceTableAs(qualified, select);
  }
  // to_json writes timestamps as '2024-05-01 10:00:00' and doubles as Infinity/NaN: neither is what is sent
  // (an infinite timestamp or number is NULL).
  jsonValueText(expr: string, type: string): string {
    // ISO-8601 writes years 0001 to 9999 as four digits: another (1 BC, 12345) has no text every engine writes alike.
    if (/^(TIMESTAMP|DATE)/i.test(type.trim())) return `CASE WHEN isfinite(TRY_CAST(${expr} AS TIMESTAMP)) AND year(TRY_CAST(${expr} AS TIMESTAMP)) BETWEEN 1 AND 9999 THEN CAST(to_json(${this.instantText(expr)}) AS VARCHAR) END`;
    if (/^(DOUBLE|FLOAT|REAL)/i.test(type.trim())) return `CASE WHEN isfinite(${expr}) THEN CAST(to_json(${expr}) AS VARCHAR) END`;
    return `CAST(to_json(${expr}) AS VARCHAR)`;
  }
  // sum() of a BIGINT is a HUGEINT here where Postgres gives a NUMERIC: both are numbers SPEC 3
  // (a VARINT / BIGNUM, DuckDB's integer of any size, too)
  // computes as doubles and rounds to 12 digits, so a SQL trait's sum is stored alike.
  isFractionalType(type: string): boolean {
    return super.isFractionalType(type) || /^(U?HUGEINT|VARINT|BIGNUM)$/i.test(type.trim());
  }
  isExactDecimalType(type: string): boolean {
    return super.isExactDecimalType(type) || /^(U?HUGEINT|VARINT|BIGNUM)$/i.test(type.trim());
  }
  // CAST writes '10.0' and '2024-03-04 05:06:07.123456'; a FLOAT is read from its text ('0.1', not 0.10000000149).
  listValue(expr: string, type: string): string {
    if (this.isTextType(type)) return expr;
    if (/^DOUBLE\b/i.test(type.trim())) return this.numberAsText(expr);
    if (/^(FLOAT|REAL)\b/i.test(type.trim())) return this.numberAsText(`CAST(CAST(${expr} AS VARCHAR) AS DOUBLE)`);
    if (/^(TIMESTAMP|DATE)/i.test(type.trim())) return this.instantText(this.sendableInstant(expr));
    return this.castText(expr);
  }
  private instantText(expr: string): string {
    return `strftime(CAST(${expr} AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ')`;
  }
  // to_json writes the shortest digits where JSON / JavaScript switch to an exponent, but '10.0' and 'e21' for '10' and 'e+21'.
  numberAsText(double: string): string {
    const json = `CAST(to_json(${this.round12(double)}) AS VARCHAR)`;
    return `CASE WHEN ${double} = 0 THEN '0' WHEN isfinite(${double}) THEN regexp_replace(regexp_replace(${json}, '\\.0$', ''), 'e([0-9])', 'e+\\1') END`;
  }
  // hash(a, b) combines the values' hashes cheaply: two rows that swap a value would keep the
  // sum of their hashes about once in 2^32, not 2^64. Hashing it again (a bijective mix) fixes that.
  rowHash(values: readonly string[]): string {
    return `hash(hash(${values.join(', ')}))`;
  }
  // DuckDB keeps its statistics (zone maps, distinct counts) up to date as it writes.
  refreshStatistics(_qualified: readonly string[]): string[] {
    return [];
  }
  // The earliest copy; between copies of one instant, the one whose row as JSON sorts first: the
  // same choice every run, whatever the order rows were loaded in, and Postgres's (its
  // row_to_json writes strings, numbers and nulls as this does). Rows without an id are not
  // copies of one another: all are kept.
  deduplicate(relation: string): string {
    return `(SELECT * FROM ${relation} AS r QUALIFY id IS NULL OR row_number() OVER (PARTITION BY id ORDER BY "timestamp", CAST(to_json(r) AS VARCHAR)) = 1)`;
  }
}

export const duckdb = new DuckDbDialect();
