import { BaseDialect, INSTANT_TEXT, NUMBER_TEXT, NUMBER_TEXT_MAX_LENGTH, renderOrder, type OrderTerm } from '../src/compiler/dialect.js';

/** A plain name as Snowflake folds an unquoted one (upper case), and as roster writes it (lower case). */
const UPPER_NAME = /^[A-Z_][A-Z0-9_$]*$/;
const LOWER_NAME = /^[a-z_][a-z0-9_$]*$/;

/** Snowflake. Reviewed through golden files and a SQL parser; no Snowflake can be reached here. */
export class SnowflakeDialect extends BaseDialect {
  readonly name = 'snowflake' as const;
  override readonly backslashEscapes = true;
  override readonly namesIgnoreCase = true;

  // Numbered binds can repeat: :1 is as_of everywhere.
  param(_name: string, position: number): string {
    return `:${position}`;
  }
  // Snowflake folds unquoted names to upper case and Segment's connector creates them unquoted:
  // a plain lower-case name is quoted in upper case so it resolves; any other name stays as written.
  quoteIdent(name: string): string {
    return super.quoteIdent(LOWER_NAME.test(name) ? name.toUpperCase() : name);
  }
  // Keyed as quoteIdent reaches it: FEATURE_USED as feature_used; a quoted lower-case
  // "feature_used" not at all (feature_used is quoted as FEATURE_USED); any other name as written.
  override catalogKey(name: string): string | undefined {
    if (UPPER_NAME.test(name)) return name.toLowerCase();
    return LOWER_NAME.test(name) ? undefined : name;
  }
  override catalogLookup(name: string): string {
    return UPPER_NAME.test(name) ? name.toLowerCase() : name;
  }
  // Backslash is an escape character in Snowflake string literals.
  stringLiteral(value: string): string {
    return super.stringLiteral(value.replace(/\\/g, '\\\\'));
  }
  numberLiteral(value: number): string {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return Number.isSafeInteger(value) ? String(value) : `CAST(${String(value)} AS DOUBLE)`;
  }
  timestampLiteral(instant: Date): string {
    return `CAST('${instant.toISOString().replace('T', ' ').replace('Z', '')}' AS TIMESTAMP_NTZ)`;
  }
  textListLiteral(values: readonly string[]): string {
    return `ARRAY_CONSTRUCT(${values.map((v) => this.stringLiteral(v)).join(', ')})`;
  }
  asOf(): string {
    return `CAST(${this.param('as_of', 1)} AS TIMESTAMP_NTZ)`;
  }
  timestampMinus(ts: string, d: { amount: number; unit: string }): string {
    return `DATEADD(${d.unit}, -${d.amount}, ${ts})`;
  }
  // TRY_CAST takes text only in Snowflake, and reads more than NUMBER_TEXT ('NaN', 'inf'); an
  // overflow must not become infinite. REGEXP_LIKE matches the whole text.
  tryCastDouble(expr: string): string {
    const text = `CAST(${expr} AS VARCHAR)`;
    const double = `TRY_CAST(${text} AS DOUBLE)`;
    return `CASE WHEN LENGTH(${text}) <= ${NUMBER_TEXT_MAX_LENGTH} AND REGEXP_LIKE(${text}, ${this.stringLiteral(NUMBER_TEXT)})`
      + ` AND ABS(${double}) < CAST('inf' AS DOUBLE) THEN ${double} END`;
  }
  // TRY_TO_TIMESTAMP_TZ alone reads more than INSTANT_TEXT, and keeps nanoseconds: cut to microseconds as elsewhere.
  // Its documented formats spell T and Z in capitals: upper() RFC 3339's lower-case ones.
  tryCastInstant(expr: string): string {
    const text = `CAST(${expr} AS VARCHAR)`;
    const micros = `REGEXP_REPLACE(UPPER(${text}), ${this.stringLiteral(String.raw`(\.[0-9]{6})[0-9]+`)}, ${this.stringLiteral(String.raw`\1`)})`;
    return `CASE WHEN REGEXP_LIKE(${text}, ${this.stringLiteral(INSTANT_TEXT)}) THEN CAST(CONVERT_TIMEZONE('UTC', TRY_TO_TIMESTAMP_TZ(${micros})) AS TIMESTAMP_NTZ) END`;
  }
  textContains(haystack: string, needle: string): string {
    return `CONTAINS(${haystack}, ${needle})`;
  }
  textStartsWith(text: string, prefix: string): string {
    return `STARTSWITH(${text}, ${prefix})`;
  }
  textEndsWith(text: string, suffix: string): string {
    return `ENDSWITH(${text}, ${suffix})`;
  }
  // Without a collation Snowflake compares strings as UTF-8 bytes: code point order.
  textSortKey(expr: string): string {
    return expr;
  }
  // Text without a collation specification compares byte for byte.
  idSortKey(expr: string): string {
    return expr;
  }
  // Unverified (no Snowflake reachable here): whether its FLOAT sum overflows to 'inf' or fails.
  // Snowflake has no error() to raise inside a query, and a failing cast of a constant may fail
  // every query at compile time, so no guard.
  overflowGuard(_double: string): undefined {
    return undefined;
  }
  // Snowflake has no FILTER clause: IFF inside the aggregate.
  filteredAggregate(aggregate: string, expr: string, cond: string): string {
    return `${aggregate}(IFF(${cond}, ${expr}, NULL))`;
  }
  countIf(cond: string): string {
    return `COUNT_IF(${cond})`;
  }
  boolOr(expr: string): string {
    return `BOOLOR_AGG(${expr})`;
  }
  boolAnd(expr: string): string {
    return `BOOLAND_AGG(${expr})`;
  }
  // ARRAY_AGG skips NULLs and orders WITHIN GROUP; arrays are 0-based.
  // ARRAY_AGG leaves NULLs out: with `where`, each value goes in an array of its own, so a NULL
  // one is still the first.
  firstValue(expr: string, order: readonly OrderTerm[], where?: string): string {
    if (where === undefined) return `ARRAY_AGG(${expr}) WITHIN GROUP (ORDER BY ${renderOrder(order)})[0]`;
    return `ARRAY_AGG(CASE WHEN ${where} THEN ARRAY_CONSTRUCT(${expr}) END) WITHIN GROUP (ORDER BY ${renderOrder(order)})[0][0]`;
  }
  // ARRAY_AGG of no values is [], not NULL: an entity without values must have no list.
  distinctSortedTextList(expr: string): string {
    const text = `CAST(${expr} AS VARCHAR)`;
    return `CASE WHEN COUNT(${expr}) > 0 THEN ARRAY_AGG(DISTINCT ${text}) WITHIN GROUP (ORDER BY ${text}) END`;
  }
  sortedTextList(text: string): string {
    return `CASE WHEN COUNT(${text}) > 0 THEN ARRAY_AGG(${text}) WITHIN GROUP (ORDER BY ${text}) END`;
  }
  listContains(list: string, value: string): string {
    return `ARRAY_CONTAINS(TO_VARIANT(${value}), ${list})`;
  }
  emptyTextList(): string {
    return 'ARRAY_CONSTRUCT()';
  }
  round12(expr: string): string {
    return `CASE WHEN ${expr} IS NULL OR ${expr} = 0 THEN ${expr} ELSE ROUND(${expr}, 11 - FLOOR(LOG(10, ABS(${expr})))) END`;
  }
  median(expr: string): string {
    return `MEDIAN(${expr})`;
  }
  jsonText(json: string, key: string): string {
    return `CAST(GET(${json}, ${this.stringLiteral(key)}) AS VARCHAR)`;
  }
  // GET keeps the VARIANT's type; a JSON null is a VARIANT null, not SQL NULL.
  jsonValue(json: string, key: string): string {
    const v = `GET(${json}, ${this.stringLiteral(key)})`;
    return `IFF(IS_NULL_VALUE(${v}), NULL, ${v})`;
  }
  jsonScalarText(value: string): string {
    return `CAST(${value} AS VARCHAR)`;
  }
  jsonRoundedNumber(value: string): string {
    return `IFF(${this.isJsonNumber(value)}, TO_VARIANT(${this.round12(this.jsonDouble(value))}), ${value})`;
  }
  jsonHasValue(value: string): string {
    return `(${value} IS NOT NULL AND (NOT ${this.isJsonNumber(value)} OR ${this.jsonDouble(value)} IS NOT NULL))`;
  }
  jsonListText(value: string): string {
    return `CASE WHEN ${this.isJsonNumber(value)} THEN ${this.numberAsText(this.jsonDouble(value))} WHEN IS_OBJECT(${value}) OR IS_ARRAY(${value}) THEN NULL ELSE ${this.jsonScalarText(value)} END`;
  }
  // No infinite timestamps here.
  sendableInstant(expr: string): string {
    return `CASE WHEN YEAR(${expr}) BETWEEN 1 AND 9999 THEN ${expr} END`;
  }
  // Only FLOAT holds NaN and ±inf; a NUMBER is finite.
  sendableNumber(expr: string, type: string): string {
    if (this.isExactDecimalType(type)) return expr;
    return `CASE WHEN ${expr} IN (CAST('NaN' AS FLOAT), CAST('inf' AS FLOAT), CAST('-inf' AS FLOAT)) THEN NULL ELSE ${expr} END`;
  }
  jsonSentText(value: string): string {
    return `IFF(${this.isJsonNumber(value)}, ${this.numberAsText(this.jsonDouble(value))}, TO_JSON(${value}))`;
  }
  jsonIsString(value: string): string {
    return `IS_VARCHAR(${value})`;
  }
  private isJsonNumber(value: string): string {
    return `(IS_INTEGER(${value}) OR IS_DECIMAL(${value}) OR IS_DOUBLE(${value}))`;
  }
  private jsonDouble(value: string): string {
    return this.tryCastDouble(this.jsonScalarText(value));
  }
  jsonColumnType(): string {
    return 'VARIANT';
  }
  // A cast to VARIANT would keep the text as one string; PARSE_JSON reads the document.
  jsonFromText(text: string): string {
    return `PARSE_JSON(${text})`;
  }
  // As on DuckDB: the earliest copy, then the one whose row as JSON sorts first; rows without an id all kept.
  deduplicate(relation: string): string {
    return `(SELECT * FROM ${relation} QUALIFY ${this.quoteIdent('id')} IS NULL OR ROW_NUMBER() OVER (PARTITION BY ${this.quoteIdent('id')} ORDER BY ${this.quoteIdent('timestamp')}, TO_VARCHAR(OBJECT_CONSTRUCT_KEEP_NULL(*))) = 1)`;
  }
  refsFromText(param: string): string {
    return `(SELECT CAST(s.value AS BIGINT) AS ref FROM TABLE(SPLIT_TO_TABLE(${param}, ',')) AS s)`;
  }
  // ROW_NUMBER needs an ORDER BY here, which would sort the rows; SEQ8 numbers them without one
  // (unique, with gaps where the query runs in parallel). Unverified: no Snowflake is reachable.
  rowRef(): string {
    return 'SEQ8()';
  }
  createTempTableAs(name: string, select: string): string[] {
    return [`CREATE OR REPLACE TEMPORARY TABLE ${this.tempTable(name)} AS\n${select}`];
  }
  // No read-only transactions here: the query runs as one prepared statement wrapped as a subquery.
  readOnlyTempTableAs(name: string, select: string): { create: string[]; fill: string[] } {
    return { create: [], fill: this.createTempTableAs(name, select) };
  }
  replaceTableAs(qualified: string, select: string): string[] {
    return [`CREATE OR REPLACE TABLE ${qualified} AS\n${select}`];
  }
  // CREATE TABLE commits the open transaction (Snowflake's DDL always does): DELETE and INSERT do not.
  replaceRows(qualified: string, select: string): string[] {
    return [`DELETE FROM ${qualified}`, `INSERT INTO ${qualified}\n${select}`];
  }
  // Snowflake keeps its statistics (micro-partition metadata) itself.
  refreshStatistics(_qualified: readonly string[]): string[] {
    return [];
  }
  // HASH takes any number of values of any type and gives a signed 64-bit number.
  rowHash(values: readonly string[]): string {
    return `HASH(${values.join(', ')})`;
  }
  jsonValueText(expr: string, type: string): string {
    if (/^(TIMESTAMP|DATE)/i.test(type)) return `TO_JSON(TO_VARIANT(${this.instantText(expr)}))`;
    return `TO_JSON(TO_VARIANT(${expr}))`;
  }
  // Every Snowflake floating-point type is a double.
  listValue(expr: string, type: string): string {
    if (this.isTextType(type)) return expr;
    if (/^(FLOAT|DOUBLE|REAL)/i.test(type.trim())) return this.numberAsText(expr);
    if (/^(TIMESTAMP|DATE)/i.test(type.trim())) return this.instantText(this.sendableInstant(expr));
    return this.castText(expr);
  }
  // A SQL trait's column, of a type known once it ran: a timestamp or date as it is sent (as on
  // DuckDB and Postgres), read back from its text so the branch binds whatever the type is.
  runtimeText(expr: string): string {
    const variant = `TO_VARIANT(${expr})`;
    const instant = ['IS_TIMESTAMP_NTZ', 'IS_TIMESTAMP_LTZ', 'IS_TIMESTAMP_TZ', 'IS_DATE'].map((f) => `${f}(${variant})`).join(' OR ');
    return `CASE WHEN ${instant} THEN ${this.instantText(this.sendableInstant(`TRY_TO_TIMESTAMP_TZ(CAST(${expr} AS VARCHAR))`))} ELSE CAST(${expr} AS VARCHAR) END`;
  }
  // Through TIMESTAMP_TZ and UTC: a TZ value cast straight to NTZ keeps its own wall-clock time
  // (10:00+02:00 would be written 10:00Z); a date or an NTZ value is read in the session's UTC.
  private instantText(expr: string): string {
    return `TO_CHAR(CAST(CONVERT_TIMEZONE('UTC', CAST(${expr} AS TIMESTAMP_TZ)) AS TIMESTAMP_NTZ), 'YYYY-MM-DD"T"HH24:MI:SS.FF3"Z"')`;
  }
  // Within 1e-6 .. 1e21 JSON / JavaScript write fixed-point digits: an exact NUMBER(38, 17) rounded
  // to 12 significant digits, without trailing zeros; beyond, the rounded double's text with the
  // exponent as they write it ('1.5e-7'). Unverified on Snowflake itself (none reachable here).
  numberAsText(double: string): string {
    const fixed = `TO_VARCHAR(ROUND(CAST(${double} AS NUMBER(38, 17)), 11 - FLOOR(LOG(10, ABS(${double})))))`;
    return `CASE WHEN ${double} = 0 THEN '0' WHEN NOT (ABS(${double}) < CAST('inf' AS DOUBLE)) THEN NULL`
      + ` WHEN ABS(${double}) >= 9.999999999995e-7 AND ABS(${double}) < 9.999999999995e20`
      + ` THEN REGEXP_REPLACE(${fixed}, ${this.stringLiteral(String.raw`(\.[0-9]*[1-9])0+$|\.0+$`)}, ${this.stringLiteral(String.raw`\1`)})`
      + ` ELSE REGEXP_REPLACE(LOWER(TO_VARCHAR(${this.round12(double)})), ${this.stringLiteral('e([+-])0*')}, ${this.stringLiteral(String.raw`e\1`)}) END`;
  }
  isScalarType(type: string): boolean {
    return !/^(ARRAY|OBJECT|VARIANT|MAP)\b/i.test(type.trim());
  }
  // Snowflake reports integers as NUMBER(38,0): only a scale above 0, or FLOAT/DOUBLE/REAL, holds fractions.
  isExactDecimalType(type: string): boolean {
    return /^(NUMBER|DECIMAL|NUMERIC)\b/i.test(type.trim());
  }
  // Every Snowflake floating-point type is a double.
  isSinglePrecisionType(_type: string): boolean {
    return false;
  }
  // Every Snowflake integer is a NUMBER(38,0) (INT and BIGINT are its synonyms); the catalog writes it NUMBER.
  isWideIntegerType(type: string): boolean {
    return /^(NUMBER|DECIMAL|NUMERIC)\s*(\(\s*\d+\s*(,\s*0\s*)?\))?$|^(INT|INTEGER|BIGINT)$/i.test(type.trim());
  }
  isFractionalType(type: string): boolean {
    const t = type.trim();
    const scale = /^(NUMBER|DECIMAL|NUMERIC)\s*\(\s*\d+\s*,\s*(\d+)\s*\)/i.exec(t);
    if (scale) return Number(scale[2]) > 0;
    return /^(DOUBLE|FLOAT|REAL|DOUBLE PRECISION|FLOAT[48])\b/i.test(t);
  }
}

export const snowflake = new SnowflakeDialect();
