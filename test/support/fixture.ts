import { segmentSlug } from '../../src/compiler/names.js';

/** Input rows of a hand-made fixture, described once and loaded in either source layout. */
export interface FixtureEvent {
  id: string; user_id: string | null; event: string; timestamp: string;
  context_group_id?: string | null; props?: Record<string, string | number | boolean | null>;
}
export interface FixtureIdentify { id: string; user_id: string | null; timestamp: string; traits: Record<string, string | number | boolean | null> }
export interface FixtureGroup { id: string; user_id: string | null; group_id: string; timestamp: string; traits?: Record<string, string | number | boolean | null> }
export interface Fixture { events?: FixtureEvent[]; identifies?: FixtureIdentify[]; groups?: FixtureGroup[] }
export type Layout = 'segment' | 'events_json';

type Value = string | number | boolean | null | undefined;
const lit = (v: Value, type?: string): string => {
  if (v === null || v === undefined) return type ? `CAST(NULL AS ${type})` : 'NULL';
  if (typeof v === 'number') return Number.isInteger(v) && type !== 'DOUBLE' ? String(v) : `CAST(${v} AS DOUBLE)`;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return `'${v.replace(/'/g, "''")}'`;
};
const ts = (v: string) => `TIMESTAMP '${v.replace('T', ' ').replace('Z', '')}'`;
const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

function typeOf(values: Value[]): string {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length && present.every((v) => typeof v === 'number')) return present.every((v) => Number.isInteger(v)) ? 'BIGINT' : 'DOUBLE';
  if (present.length && present.every((v) => typeof v === 'boolean')) return 'BOOLEAN';
  return 'VARCHAR';
}

function table(name: string, columns: [string, string][], rows: Value[][], schema: string): string[] {
  const t = `${q(schema)}.${q(name)}`;
  const create = `CREATE OR REPLACE TABLE ${t} (${columns.map(([c, type]) => `${q(c)} ${type}`).join(', ')})`;
  if (!rows.length) return [create];
  const values = rows.map((r) => `(${r.map((v, i) => (columns[i][1] === 'TIMESTAMP' && typeof v === 'string' ? ts(v) : columns[i][1] === 'JSON' ? `CAST(${lit(v)} AS JSON)` : lit(v, columns[i][1]))).join(', ')})`);
  return [create, `INSERT INTO ${t} VALUES ${values.join(',\n')}`];
}

function traitTable(name: string, base: [string, string][], rows: { base: Value[]; traits?: Record<string, Value> }[], schema: string): string[] {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.traits ?? {})))].sort();
  const columns: [string, string][] = [...base, ...names.map((n): [string, string] => [n, typeOf(rows.map((r) => r.traits?.[n]))])];
  return table(name, columns, rows.map((r) => [...r.base, ...names.map((n) => r.traits?.[n] ?? null)]), schema);
}

/** DuckDB statements creating the fixture's tables in `schema`, in the given layout (SPEC 3). */
export function fixtureStatements(f: Fixture, layout: Layout, schema = 'main'): string[] {
  const events = f.events ?? [];
  const out: string[] = [`CREATE SCHEMA IF NOT EXISTS ${q(schema)}`];
  const json = (r: Record<string, Value> | undefined) => JSON.stringify(r ?? {});
  if (layout === 'events_json') {
    out.push(...table('events', [['id', 'VARCHAR'], ['user_id', 'VARCHAR'], ['event', 'VARCHAR'], ['timestamp', 'TIMESTAMP'], ['context_group_id', 'VARCHAR'], ['properties', 'JSON']],
      events.map((e) => [e.id, e.user_id, e.event, e.timestamp, e.context_group_id ?? null, json(e.props)]), schema));
    out.push(...table('identifies', [['id', 'VARCHAR'], ['user_id', 'VARCHAR'], ['timestamp', 'TIMESTAMP'], ['traits', 'JSON']],
      (f.identifies ?? []).map((i) => [i.id, i.user_id, i.timestamp, json(i.traits)]), schema));
    out.push(...table('groups', [['id', 'VARCHAR'], ['user_id', 'VARCHAR'], ['group_id', 'VARCHAR'], ['timestamp', 'TIMESTAMP'], ['traits', 'JSON']],
      (f.groups ?? []).map((g) => [g.id, g.user_id, g.group_id, g.timestamp, json(g.traits)]), schema));
    return out;
  }
  const tracksColumns: [string, string][] = [['id', 'VARCHAR'], ['user_id', 'VARCHAR'], ['anonymous_id', 'VARCHAR'], ['event', 'VARCHAR'], ['event_text', 'VARCHAR'], ['timestamp', 'TIMESTAMP'], ['context_group_id', 'VARCHAR']];
  const trackRow = (e: FixtureEvent): Value[] => [e.id, e.user_id, e.user_id ? null : `anon-${e.id}`, segmentSlug(e.event), e.event, e.timestamp, e.context_group_id ?? null];
  out.push(...table('tracks', tracksColumns, events.map(trackRow), schema));
  for (const slug of [...new Set(events.map((e) => segmentSlug(e.event)))].sort()) {
    const rows = events.filter((e) => segmentSlug(e.event) === slug);
    const propNames = [...new Set(rows.flatMap((e) => Object.keys(e.props ?? {}).map(segmentSlug)))].sort();
    const propValue = (e: FixtureEvent, p: string) => Object.entries(e.props ?? {}).find(([k]) => segmentSlug(k) === p)?.[1] ?? null;
    const columns: [string, string][] = [...tracksColumns, ...propNames.map((p): [string, string] => [p, typeOf(rows.map((e) => propValue(e, p)))])];
    out.push(...table(slug, columns, rows.map((e) => [...trackRow(e), ...propNames.map((p) => propValue(e, p))]), schema));
  }
  out.push(...traitTable('identifies', [['id', 'VARCHAR'], ['user_id', 'VARCHAR'], ['timestamp', 'TIMESTAMP']],
    (f.identifies ?? []).map((i) => ({ base: [i.id, i.user_id, i.timestamp], traits: i.traits })), schema));
  out.push(...traitTable('groups', [['id', 'VARCHAR'], ['user_id', 'VARCHAR'], ['group_id', 'VARCHAR'], ['timestamp', 'TIMESTAMP']],
    (f.groups ?? []).map((g) => ({ base: [g.id, g.user_id, g.group_id, g.timestamp], traits: g.traits })), schema));
  return out;
}
