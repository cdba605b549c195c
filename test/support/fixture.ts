import { segmentSlug } from '../../src/compiler/names.js';

/**
 * A JSON number written as it is, for numbers JavaScript has no value for (1e400): a number in the
 * events_json layout, its text (a VARCHAR) in the segment layout.
 */
export class JsonNumber {
  constructor(readonly text: string) {}
}
/** A JSON object or array written as it is (events_json properties and traits). */
export class JsonDocument extends JsonNumber {}
/** A timestamp: a TIMESTAMP column in the segment layout, its ISO-8601 text in events_json. */
export class Timestamp {
  constructor(readonly iso: string) {}
}
/** A bigint is a whole number past JavaScript's exact range: a BIGINT column, its digits in JSON. */
type Scalar = string | number | bigint | boolean | null | JsonNumber | Timestamp;

/** Input rows of a hand-made fixture, described once and loaded in either source layout. */
export interface FixtureEvent {
  id: string; user_id: string | null; event: string; timestamp: string;
  context_group_id?: string | null; props?: Record<string, Scalar>;
}
export interface FixtureIdentify { id: string; user_id: string | null; timestamp: string; traits: Record<string, Scalar> }
export interface FixtureGroup { id: string; user_id: string | null; group_id: string; timestamp: string; traits?: Record<string, Scalar> }
export interface Fixture { events?: FixtureEvent[]; identifies?: FixtureIdentify[]; groups?: FixtureGroup[] }
export type Layout = 'segment' | 'events_json';
export type Engine = 'duckdb' | 'postgres';

/** Column types and table creation per engine (test fixtures only). */
const ENGINE_SQL: Record<Engine, { double: string; json: string; create(table: string, columns: string): string[] }> = {
  duckdb: { double: 'DOUBLE', json: 'JSON', create: (t, c) => [`CREATE OR REPLACE TABLE ${t} (${c})`] },
  postgres: { double: 'DOUBLE PRECISION', json: 'JSONB', create: (t, c) => [`DROP TABLE IF EXISTS ${t}`, `CREATE TABLE ${t} (${c})`] },
};

type Value = Scalar | undefined;
const lit = (v: Value, type?: string): string => {
  if (v === null || v === undefined) return type ? `CAST(NULL AS ${type})` : 'NULL';
  if (v instanceof JsonNumber) return lit(v.text);
  if (v instanceof Timestamp) return ts(v.iso);
  if (typeof v === 'number') return Number.isInteger(v) && !type?.startsWith('DOUBLE') ? String(v) : `CAST('${v}' AS DOUBLE PRECISION)`;
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return `'${v.replace(/'/g, "''")}'`;
};
const ts = (v: string) => `TIMESTAMP '${v.replace('T', ' ').replace('Z', '')}'`;
const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

function typeOf(values: Value[], engine: Engine): string {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length && present.every((v) => typeof v === 'bigint')) return 'BIGINT';
  if (present.length && present.every((v) => typeof v === 'number')) return present.every((v) => Number.isInteger(v)) ? 'BIGINT' : ENGINE_SQL[engine].double;
  if (present.length && present.every((v) => typeof v === 'boolean')) return 'BOOLEAN';
  if (present.length && present.every((v) => v instanceof Timestamp)) return 'TIMESTAMP';
  return 'VARCHAR';
}

function table(name: string, columns: [string, string][], rows: Value[][], schema: string, engine: Engine): string[] {
  const t = `${q(schema)}.${q(name)}`;
  const typed = columns.map(([c, type]): [string, string] => [c, type === 'JSON' ? ENGINE_SQL[engine].json : type]);
  const create = ENGINE_SQL[engine].create(t, typed.map(([c, type]) => `${q(c)} ${type}`).join(', '));
  if (!rows.length) return create;
  const value = (v: Value, type: string) =>
    type === 'TIMESTAMP' && typeof v === 'string' ? ts(v) : type === 'JSON' ? `CAST(${lit(v)} AS ${ENGINE_SQL[engine].json})` : lit(v, type);
  const values = rows.map((r) => `(${r.map((v, i) => value(v, columns[i][1])).join(', ')})`);
  return [...create, `INSERT INTO ${t} VALUES ${values.join(',\n')}`];
}

function traitTable(name: string, base: [string, string][], rows: { base: Value[]; traits?: Record<string, Value> }[], schema: string, engine: Engine): string[] {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.traits ?? {})))].sort();
  const columns: [string, string][] = [...base, ...names.map((n): [string, string] => [n, typeOf(rows.map((r) => r.traits?.[n]), engine)])];
  return table(name, columns, rows.map((r) => [...r.base, ...names.map((n) => r.traits?.[n] ?? null)]), schema, engine);
}

/** DuckDB statements creating the fixture's tables in `schema`, in the given layout (SPEC 3). */
export function fixtureStatements(f: Fixture, layout: Layout, schema = 'main', engine: Engine = 'duckdb'): string[] {
  const events = f.events ?? [];
  const out: string[] = [`CREATE SCHEMA IF NOT EXISTS ${q(schema)}`];
  const json = (r: Record<string, Value> | undefined) =>
    `{${Object.entries(r ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => `${JSON.stringify(k)}:${v instanceof JsonNumber ? v.text : typeof v === 'bigint' ? String(v) : JSON.stringify(v instanceof Timestamp ? v.iso : v)}`).join(',')}}`;
  if (layout === 'events_json') {
    out.push(...table('events', [['id', 'VARCHAR'], ['user_id', 'VARCHAR'], ['event', 'VARCHAR'], ['timestamp', 'TIMESTAMP'], ['context_group_id', 'VARCHAR'], ['properties', 'JSON']],
      events.map((e) => [e.id, e.user_id, e.event, e.timestamp, e.context_group_id ?? null, json(e.props)]), schema, engine));
    out.push(...table('identifies', [['id', 'VARCHAR'], ['user_id', 'VARCHAR'], ['timestamp', 'TIMESTAMP'], ['traits', 'JSON']],
      (f.identifies ?? []).map((i) => [i.id, i.user_id, i.timestamp, json(i.traits)]), schema, engine));
    out.push(...table('groups', [['id', 'VARCHAR'], ['user_id', 'VARCHAR'], ['group_id', 'VARCHAR'], ['timestamp', 'TIMESTAMP'], ['traits', 'JSON']],
      (f.groups ?? []).map((g) => [g.id, g.user_id, g.group_id, g.timestamp, json(g.traits)]), schema, engine));
    return out;
  }
  const tracksColumns: [string, string][] = [['id', 'VARCHAR'], ['user_id', 'VARCHAR'], ['anonymous_id', 'VARCHAR'], ['event', 'VARCHAR'], ['event_text', 'VARCHAR'], ['timestamp', 'TIMESTAMP'], ['context_group_id', 'VARCHAR']];
  const trackRow = (e: FixtureEvent): Value[] => [e.id, e.user_id, e.user_id ? null : `anon-${e.id}`, segmentSlug(e.event), e.event, e.timestamp, e.context_group_id ?? null];
  out.push(...table('tracks', tracksColumns, events.map(trackRow), schema, engine));
  for (const slug of [...new Set(events.map((e) => segmentSlug(e.event)))].sort()) {
    const rows = events.filter((e) => segmentSlug(e.event) === slug);
    const propNames = [...new Set(rows.flatMap((e) => Object.keys(e.props ?? {}).map(segmentSlug)))].sort();
    const propValue = (e: FixtureEvent, p: string) => Object.entries(e.props ?? {}).find(([k]) => segmentSlug(k) === p)?.[1] ?? null;
    const columns: [string, string][] = [...tracksColumns, ...propNames.map((p): [string, string] => [p, typeOf(rows.map((e) => propValue(e, p)), engine)])];
    out.push(...table(slug, columns, rows.map((e) => [...trackRow(e), ...propNames.map((p) => propValue(e, p))]), schema, engine));
  }
  out.push(...traitTable('identifies', [['id', 'VARCHAR'], ['user_id', 'VARCHAR'], ['timestamp', 'TIMESTAMP']],
    (f.identifies ?? []).map((i) => ({ base: [i.id, i.user_id, i.timestamp], traits: i.traits })), schema, engine));
  out.push(...traitTable('groups', [['id', 'VARCHAR'], ['user_id', 'VARCHAR'], ['group_id', 'VARCHAR'], ['timestamp', 'TIMESTAMP']],
    (f.groups ?? []).map((g) => ({ base: [g.id, g.user_id, g.group_id, g.timestamp], traits: g.traits })), schema, engine));
  return out;
}
