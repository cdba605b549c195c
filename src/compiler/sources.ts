import { isSegmentCallColumn, type Entity, type Window } from '../definitions/common.js';
import type { SqlTrait } from '../definitions/definition.js';
import type { PropertyFilter } from '../definitions/predicate.js';
import { EVENTS_TABLE, LAYOUT_TABLES } from '../definitions/project-config.js';
import { listText, storedValue, type Dialect } from './dialect.js';
import { ID_COLUMN, presentId, type CompileContext } from './context.js';
import { indent, segmentSlug } from './names.js';
import { predicateSql, textOrderOnNumbers } from './predicate.js';

/** What a definition asks of the events: which, filtered how, and which property as `value`. */
export interface EventSelection {
  readonly names: readonly string[];
  readonly where: readonly PropertyFilter[];
  readonly window?: Window;
  readonly property?: string;
  /** Keep context_group_id (for scope: group_context). */
  readonly withGroupContext?: boolean;
  /**
   * The trait sends the property itself (first, last, most_frequent): `value` is a number rounded
   * to 12 significant digits as SPEC 3 stores and sends numbers; in events_json it keeps its JSON
   * type; in segment, a fractional column where the catalog knows its type.
   */
  readonly sendsProperty?: boolean;
  /**
   * `value` is the text a unique_list holds: segment, listValue where the catalog knows the
   * column's type; events_json, jsonListText. The same for the standalone query and the run plan.
   */
  readonly listText?: boolean;
  /** An aggregation reads the property as a number (a value that is not one is none). */
  readonly readsNumber?: boolean;
}

/** events_json: a unique_list's text; the property itself, keeping its JSON type (sendsProperty); else its text. */
function jsonPropertyValue(d: Dialect, sel: EventSelection): string {
  if (sel.listText) return d.jsonListText(d.jsonValue('e.properties', sel.property!));
  if (sel.sendsProperty) return d.jsonRoundedNumber(d.jsonValue('e.properties', sel.property!));
  return d.jsonText('e.properties', sel.property!);
}

/** `ts <= as_of` plus the window's bounds (SPEC 3). */
export function timeBounds(ctx: CompileContext, ts: string, window?: Window): string[] {
  const d = ctx.dialect;
  const bounds = [`${ts} <= ${d.asOf()}`];
  if (window?.kind === 'last') bounds.push(`${ts} > ${d.timestampMinus(d.asOf(), window.duration)}`);
  if (window?.kind === 'between') bounds.push(`${ts} >= ${d.timestampLiteral(window.from)}`, `${ts} < ${d.timestampLiteral(window.to)}`);
  return bounds;
}

/**
 * Matching events as rows (id, user_id, timestamp[, context_group_id][, value]).
 * Anonymous events (no user_id) never count: roster does no identity resolution.
 */
export function eventRows(ctx: CompileContext, sel: EventSelection): string {
  return eventSourceParts(ctx, sel).map((p) => partRows(ctx, p, sel)).join('\nUNION ALL\n');
}

/**
 * One input table's share of an event selection, for callers that aggregate many selections
 * in one pass: the table (undefined when the catalog says it does not exist), its columns as
 * expressions over alias `e`, and the row conditions beyond a present user_id and `ts <= as_of`.
 */
export interface EventSourceParts {
  readonly table: string;
  readonly relation?: string;
  readonly groupContext?: string;
  readonly value?: string;
  /** The event-name test (none for a Segment per-event table without event_text). */
  readonly match: readonly string[];
  /** The window's bounds (as_of excluded). */
  readonly window: readonly string[];
  /** The property filters. */
  readonly filters: readonly string[];
}

/**
 * Segment's tables of calls other than track (identify, group, page, screen, alias, and the users
 * and accounts it upserts): an event whose snake_case is one of them has no table of its own.
 */
const SEGMENT_CALL_TABLES: readonly string[] = ['identifies', 'groups', 'pages', 'screens', 'aliases', 'users', 'accounts'];

/** The parts of an event selection, one per input table it reads (see eventRows). */
export function eventSourceParts(ctx: CompileContext, sel: EventSelection): EventSourceParts[] {
  return ctx.source.layout === 'segment' ? sel.names.map((name) => segmentEventParts(ctx, name, sel)) : [jsonEventParts(ctx, sel)];
}

function segmentEventParts(ctx: CompileContext, name: string, sel: EventSelection): EventSourceParts {
  const d = ctx.dialect;
  const table = segmentSlug(name);
  // A name of no ASCII letter or digit has no table or column (go-snakecase): missing, catalog or
  // not; nor has one whose table would be Segment's table of other calls (Identifies -> identifies).
  const callTable = SEGMENT_CALL_TABLES.includes(table);
  const columns = table === '' || callTable ? null : ctx.columnsOf(table);
  const has = (column: string) => column !== '' && columns !== null && ctx.columnExists(table, column) !== false;
  const column = (col: string, what: string, type = 'VARCHAR') => {
    if (has(col)) return `e.${d.quoteIdent(d.sourceName(col))}`;
    ctx.warn(col === ''
      ? `${what}: its name has no ASCII letter or digit, which Segment's column names are made of, so no column of it can be read; its value is null`
      : `${what}: column ${ctx.source.schema}.${table}.${col} does not exist; its value is null${ctx.caseHint(table, col)}`);
    return `CAST(NULL AS ${type})`;
  };
  // How the property is read: as a list's text, rounded as it is sent, or as it is. An instant no
  // message can carry is no value to send or list (listValue leaves it out itself): first / last
  // then take the next one.
  const shaped = (expr: string, type: string | undefined) => {
    if (type === undefined || !(sel.listText || sel.sendsProperty)) return expr;
    if (sel.listText) return listText(d, expr, type);
    return storedValue(d, sendableValue(d, expr, type), type);
  };
  // The union of the selection's rows needs one type (Postgres refuses text next to a number): a
  // table without the column (or without the table) holds nulls of the type the others give it,
  // and tables that give it kinds of types that do not mix (text and a number) all give its text.
  const mixed = sel.property !== undefined && mixedKinds(ctx, sel.names, segmentSlug(sel.property));
  const valueType = (col: string) => (mixed ? 'VARCHAR' : ctx.columnType(table, col) ?? propertyColumnType(ctx, sel.names, col));
  const value = (property: string) => {
    const col = segmentSlug(property);
    const [own, type] = [ctx.columnType(table, col), valueType(col)];
    const expr = column(col, `property "${property}" of "${name}"`, type);
    const kind = own === undefined ? undefined : d.typeKind(own);
    if (sel.readsNumber && (kind === 'instant' || kind === 'boolean')) {
      ctx.warn(`property "${property}" of "${name}": column ${ctx.source.schema}.${table}.${col} is ${own!.trim().toUpperCase()}, and an aggregation reads numbers, so it has no value`);
    }
    // Its text as a list holds it: a number or an instant as it is sent, the same on every engine.
    return shaped(mixed && own !== undefined ? listText(d, expr, own) : expr, type);
  };
  if (columns === null) {
    ctx.warn(table === ''
      ? `event "${name}": its name has no ASCII letter or digit, which Segment's table names are made of, so no table of it can be read; its events count as none`
      : callTable ? `event "${name}": its table would be ${ctx.source.schema}.${table}, which holds Segment's ${table} of other calls, not track events; its events count as none`
        : `event "${name}": table ${ctx.source.schema}.${table} does not exist; no such events yet${ctx.caseHint(table)}`);
    const type = sel.property ? valueType(segmentSlug(sel.property)) : undefined;
    return { table, match: [], window: [], filters: [], ...(type ? { value: shaped(`CAST(NULL AS ${type})`, type) } : {}) };
  }
  return {
    table,
    relation: ctx.sourceRelation(table),
    ...(sel.withGroupContext ? { groupContext: column('context_group_id', `event "${name}"`) } : {}),
    ...(sel.property ? { value: value(sel.property) } : {}),
    match: has('event_text') ? [`e.event_text = ${d.stringLiteral(name)}`] : [],
    window: timeBounds(ctx, ctx.timestamp('e'), sel.window).slice(1),
    filters: sel.where.map((f) => {
      const col = segmentSlug(f.property);
      const expr = column(col, `property "${f.property}" of "${name}"`);
      const type = ctx.columnType(table, col);
      const slip = textOrderOnNumbers(d, f.predicate, type, `column ${ctx.source.schema}.${table}.${col}`);
      if (slip) ctx.warn(`property "${f.property}" of "${name}": ${slip}`);
      return predicateSql(d, sendableValue(d, expr, type), 'unknown', f.predicate, d.asOf(), sentText(d, expr, type));
    }),
  };
}

/**
 * The text a value of a column is sent as, for text comparisons, where castText's differs by type
 * or engine: a fractional number's 12 digits without '.0' (castText writes a DuckDB double as
 * '10.0', Postgres's as '10'); a timestamp's ISO-8601 UTC with milliseconds and Z (castText writes
 * '2024-03-10 02:30:00', with '+00' for a time zone and any microseconds). Undefined for other
 * types (their castText is the same everywhere) and without the catalog.
 */
export function sentText(d: Dialect, expr: string, type: string | undefined): string | undefined {
  if (type === undefined) return undefined;
  if (d.typeKind(type) === 'instant') return d.listValue(expr, type);
  if (!d.isFractionalType(type)) return undefined;
  // As a double (a single-precision or decimal value read from its text, as listValue reads a FLOAT).
  return d.numberAsText(d.tryCastDouble(expr));
}

/**
 * The text a stored value of a column is sent as (storedValue's): sentText's, and a wide integer
 * past 12 digits as its 12-digit rounding is sent (9223372036850000000), not as the rounded
 * double's own integer (9223372036849999872) castText writes. An event's own column is read as
 * it is (sentText): a filter on it sees the warehouse's value.
 */
export function storedText(d: Dialect, expr: string, type: string | undefined): string | undefined {
  return type !== undefined && d.isWideIntegerType(type) ? listText(d, expr, type) : sentText(d, expr, type);
}

/** A value as conditions and sent values see it: a timestamp or number no message can carry is none (exists is false on it). */
function sendableValue(d: Dialect, expr: string, type: string | undefined): string {
  if (type === undefined) return expr;
  if (d.typeKind(type) === 'instant') return d.sendableInstant(expr);
  return d.isFractionalType(type) ? d.sendableNumber(expr, type) : expr;
}

/** Whether the events' tables give a property column types of different kinds (text and a number, say). */
function mixedKinds(ctx: CompileContext, events: readonly string[], col: string): boolean {
  const types = events.map((n) => ctx.columnType(segmentSlug(n), col)).filter((t): t is string => t !== undefined);
  // 'other' types are told apart by name, as before: two unknown types may not mix either.
  return new Set(types.map((t) => (ctx.dialect.typeKind(t) === 'other' ? t.trim().toLowerCase() : ctx.dialect.typeKind(t)))).size > 1;
}

/**
 * segment layout: the catalog's type of a property column (a snake_case name) in the first of the
 * events' tables that has it, if a CAST can name it; VARCHAR where the tables give it types of
 * kinds that do not mix, as the selection's rows then hold its text (eventRows).
 */
export function propertyColumnType(ctx: CompileContext, events: readonly string[], col: string): string | undefined {
  if (ctx.source.layout !== 'segment') return undefined;
  if (mixedKinds(ctx, events, col)) return 'VARCHAR';
  return events.map((n) => ctx.columnType(segmentSlug(n), col))
    .find((t): t is string => t !== undefined && /^[A-Za-z][A-Za-z0-9 ,()]*$/.test(t) && ctx.dialect.isScalarType(t));
}

/**
 * A custom trait's stored value (customTraitValue's) as conditions read it: `value` the scalar,
 * `text` its text as it is sent where castText's differs by engine (a double, a JSON number).
 * The column's type is customTraitColumnOf's.
 */
export function customTraitText(ctx: CompileContext, stored: string, columnType: string | undefined): { value: string; text?: string } {
  const d = ctx.dialect;
  if (ctx.source.layout !== 'segment') return { value: d.jsonScalarText(stored), text: d.jsonListText(stored) };
  return { value: sendableValue(d, stored, columnType), text: sentText(d, stored, columnType) };
}

/**
 * A custom trait's column in the segment layout, as messages show it (not SQL), and its type
 * (undefined without a catalog, or in events_json).
 */
export function customTraitColumnOf(ctx: CompileContext, entity: Entity, name: string): { shownAs: string; type?: string } {
  const table = entity === 'user' ? 'identifies' : 'groups';
  const col = customTraitColumn(ctx, table, name);
  const type = ctx.source.layout === 'segment' ? ctx.columnType(table, col) : undefined;
  return { shownAs: `${ctx.source.schema}.${table}.${col}`, ...(type === undefined ? {} : { type }) };
}

/**
 * The column of a custom trait in the segment layout: the name as written where the table has
 * such a column (a__b), else the snake_case Segment's connector writes (firstName -> first_name,
 * x_ -> x). Without a catalog (a static compile), the snake_case.
 */
function customTraitColumn(ctx: CompileContext, table: string, name: string): string {
  return ctx.columnExists(table, name) ? name : segmentSlug(name);
}

function jsonEventParts(ctx: CompileContext, sel: EventSelection): EventSourceParts {
  const d = ctx.dialect;
  if (ctx.columnsOf('events') === null) {
    ctx.warn(`${sel.names.length > 1 ? 'events' : 'event'} ${sel.names.map((n) => `"${n}"`).join(', ')}: table ${ctx.source.schema}.events does not exist; no such events yet`);
    return { table: 'events', match: [], window: [], filters: [] };
  }
  const prop = (name: string) => d.jsonText('e.properties', name);
  const names = sel.names.map((n) => d.stringLiteral(n));
  return {
    table: 'events',
    relation: ctx.sourceRelation('events'),
    ...(sel.withGroupContext ? { groupContext: 'e.context_group_id' } : {}),
    ...(sel.property ? { value: jsonPropertyValue(d, sel) } : {}),
    match: [names.length === 1 ? `e.event = ${names[0]}` : `e.event IN (${names.join(', ')})`],
    window: timeBounds(ctx, ctx.timestamp('e'), sel.window).slice(1),
    filters: sel.where.map((f) => {
      // A number no message can carry (1e400) is no value, as a segment column's infinity is: exists is false on it.
      const presence = f.predicate.op === 'exists' || f.predicate.op === 'not_exists';
      const value = presence ? `CASE WHEN ${d.jsonHasValue(d.jsonValue('e.properties', f.property))} THEN TRUE END` : prop(f.property);
      return predicateSql(d, value, 'unknown', f.predicate, d.asOf(), d.jsonListText(d.jsonValue('e.properties', f.property)));
    }),
  };
}

function partRows(ctx: CompileContext, p: EventSourceParts, sel: EventSelection): string {
  const d = ctx.dialect;
  const nullText = `CAST(NULL AS VARCHAR)`;
  if (!p.relation) {
    const select = ['CAST(NULL AS VARCHAR) AS id', 'CAST(NULL AS VARCHAR) AS user_id', `CAST(NULL AS TIMESTAMP) AS ${ctx.timestamp()}`];
    if (sel.withGroupContext) select.push('CAST(NULL AS VARCHAR) AS context_group_id');
    if (sel.property) select.push(`${p.value ?? nullText} AS value`);
    return `SELECT ${select.join(', ')} WHERE FALSE`;
  }
  const select = ['e.id', 'e.user_id', ctx.timestamp('e')];
  if (p.groupContext !== undefined) select.push(p.groupContext === 'e.context_group_id' ? p.groupContext : `${p.groupContext} AS context_group_id`);
  if (p.value !== undefined) select.push(`${p.value} AS value`);
  const where = [...p.match, presentId('e.user_id'), `${ctx.timestamp('e')} <= ${d.asOf()}`, ...p.window, ...p.filters];
  return `SELECT ${select.join(', ')}\nFROM ${p.relation} AS e\nWHERE ${where.join('\n  AND ')}`;
}

/** A source table the layout needs, as a FROM item; missing (per catalog) -> undefined and a warning. */
function requiredTable(ctx: CompileContext, table: string): string | undefined {
  if (ctx.columnsOf(table) === null) {
    ctx.warn(`table ${ctx.source.schema}.${table} does not exist; treated as empty${ctx.caseHint(table)}`);
    return undefined;
  }
  return ctx.sourceFromItem(table);
}

/**
 * How a union of id parts removes repeats. `each` (standalone queries): every part DISTINCT, then
 * UNION (a single part has no UNION to remove them). `once` (the run plan): plain parts under one
 * UNION, one hash instead of one per part plus the UNION's; a single part stays DISTINCT.
 */
export type IdUnion = 'each' | 'once';

/** A part: the id columns, then the rest of the SELECT (`FROM ... WHERE ...`). */
function idParts(parts: readonly (readonly [string, string])[], union: IdUnion, empty: string): string {
  if (!parts.length) return empty;
  const distinct = union === 'each' || parts.length === 1 ? 'DISTINCT ' : '';
  return parts.map(([columns, rest]) => `SELECT ${distinct}${columns} ${rest}`).join('\nUNION\n');
}

/** Every user (SPEC 3): user_ids seen in events, identify and group calls, or returned by SQL traits (those that count for `viewer`). */
export function allUsers(ctx: CompileContext, viewer?: string, union: IdUnion = 'each'): string {
  const parts: [string, string][] = [];
  for (const table of LAYOUT_TABLES[ctx.source.layout]) {
    const rel = requiredTable(ctx, table);
    if (rel) parts.push(['user_id', `FROM ${rel} WHERE ${presentId('user_id')} AND ${timeBounds(ctx, ctx.timestamp())[0]}`]);
  }
  parts.push(...sqlTraitIds(ctx, 'user', ctx.universeSqlTraits('user', viewer)));
  return idParts(parts, union, 'SELECT CAST(NULL AS VARCHAR) AS user_id WHERE FALSE');
}

/** Every account: group_ids seen in group calls or returned by account-level SQL traits (those that count for `viewer`). */
export function allAccounts(ctx: CompileContext, viewer?: string, union: IdUnion = 'each'): string {
  const parts: [string, string][] = [];
  const groups = requiredTable(ctx, 'groups');
  if (groups) parts.push(['group_id', `FROM ${groups} WHERE ${presentId('group_id')} AND ${timeBounds(ctx, ctx.timestamp())[0]}`]);
  parts.push(...sqlTraitIds(ctx, 'account', ctx.universeSqlTraits('account', viewer)));
  return idParts(parts, union, 'SELECT CAST(NULL AS VARCHAR) AS group_id WHERE FALSE');
}

/**
 * The run plan's table of every user (account), `shared`, which holds the SQL traits that count
 * for every audience, with the ids of `traits`, SQL traits with an audience upstream that only
 * some audiences count (countedSqlTraits): one UNION over it, not a pass over the input tables.
 */
export function widenedUniverse(ctx: CompileContext, entity: Entity, shared: string, traits: readonly SqlTrait[]): string {
  const id = ID_COLUMN[entity];
  return idParts([[id, `FROM ${shared}`], ...sqlTraitIds(ctx, entity, traits)], 'once', '');
}

/** Id parts of SQL traits' results: their user_ids (present ones) or group_ids. */
function sqlTraitIds(ctx: CompileContext, entity: Entity, traits: readonly SqlTrait[]): [string, string][] {
  return traits.map((t) => entity === 'user'
    ? ['user_id', `FROM ${ctx.result(t.key)} WHERE ${presentId('user_id')}`]
    : ['group_id', `FROM ${ctx.result(t.key)}`]);
}

/** The users of each account: joined by a group call up to as_of, or associated by a SQL trait. */
export function accountUsers(ctx: CompileContext, self?: string, union: IdUnion = 'each'): string {
  const parts: [string, string][] = [];
  const groups = requiredTable(ctx, 'groups');
  if (groups) {
    parts.push(['group_id, user_id', `FROM ${groups}\nWHERE ${presentId('group_id')} AND ${presentId('user_id')} AND ${timeBounds(ctx, ctx.timestamp())[0]}`]);
  }
  for (const t of ctx.associatingSqlTraits(self)) {
    parts.push(['group_id, user_id', `FROM ${ctx.result(t.key)} WHERE ${presentId('user_id')}`]);
  }
  return idParts(parts, union, 'SELECT CAST(NULL AS VARCHAR) AS group_id, CAST(NULL AS VARCHAR) AS user_id WHERE FALSE');
}

/**
 * A custom trait: the latest non-null value per entity over identify (users) or group (accounts)
 * calls, latest by timestamp with ties to the larger id (SPEC 3). Columns: <id column>, value.
 */
export function customTrait(ctx: CompileContext, entity: Entity, name: string): string | undefined {
  const d = ctx.dialect;
  const table = entity === 'user' ? 'identifies' : 'groups';
  const id = ID_COLUMN[entity];
  const value = customTraitValue(ctx, entity, name);
  if (value === undefined) return undefined;
  const latest = d.firstValue(value, [{ expr: ctx.timestamp(), desc: true }, { expr: d.idSortKey('id'), desc: true }]);
  return [
    `SELECT ${id}, ${latest} AS value`,
    `FROM ${ctx.sourceFromItem(table)}`,
    `WHERE ${presentId(id)} AND ${timeBounds(ctx, ctx.timestamp())[0]}`,
    `GROUP BY ${id}`,
  ].join('\n');
}

/**
 * A custom trait's value as an expression over a row of identifies (users) or groups (accounts);
 * undefined (with a warning) when the table or column does not exist.
 */
export function customTraitValue(ctx: CompileContext, entity: Entity, name: string): string | undefined {
  const d = ctx.dialect;
  const table = entity === 'user' ? 'identifies' : 'groups';
  const columns = ctx.columnsOf(table);
  if (columns === null) {
    ctx.warn(`trait "${name}": table ${ctx.source.schema}.${table} does not exist; treated as empty${ctx.caseHint(table)}`);
    return undefined;
  }
  // JSON-typed (SQL NULL for JSON null): conditions compare a number as it is sent (customTraitText).
  // A number no double holds (1e400) is no value (README): the latest value before it is the trait's.
  if (ctx.source.layout !== 'segment') {
    const value = d.jsonValue('traits', name);
    return `CASE WHEN ${d.jsonHasValue(value)} THEN ${value} END`;
  }
  const column = customTraitColumn(ctx, table, name);
  if (isSegmentCallColumn(column)) {
    // A name that is such a column as written was warned about where the project loaded.
    if (column !== name) ctx.warn(`trait "${name}": ${table}.${column} is a column Segment writes for every call, not a trait; the trait is null`);
    return undefined;
  }
  if (!column) {
    ctx.warn(`trait "${name}": the name has no letter or digit, so no column of ${ctx.source.schema}.${table} holds it (Segment names columns by the snake_case of a trait's name); the trait is null`);
    return undefined;
  }
  if (ctx.columnExists(table, column) === false) {
    ctx.warn(`trait "${name}": column ${ctx.source.schema}.${table}.${column} does not exist; the trait is null${ctx.caseHint(table, column)}`);
    return undefined;
  }
  return d.quoteIdent(d.sourceName(column));
}

export { indent };
