import type { Dialect } from '../compiler/dialect.js';
import type { Warehouse } from '../warehouse/warehouse.js';

/**
 * Column types as DuckDB describes them -> types every engine accepts (JSON: the target's own
 * JSON type).
 */
function portableType(duckType: string, to: Dialect): string {
  const t = duckType.toUpperCase();
  if (t.startsWith('TIMESTAMP')) return 'TIMESTAMP';
  if (/^(DOUBLE|FLOAT|REAL|DECIMAL)/.test(t)) return 'DOUBLE PRECISION';
  if (/^(BIGINT|INTEGER|SMALLINT|TINYINT|UBIGINT|UINTEGER|HUGEINT)/.test(t)) return 'BIGINT';
  if (t === 'BOOLEAN') return 'BOOLEAN';
  if (t === 'JSON') return to.jsonColumnType();
  return 'TEXT';
}

const BATCH_ROWS = 500;
/** Rows read from the source at a time: a large demo's events do not fit in Node's heap at once. */
const READ_ROWS = 50_000;

/**
 * Copies tables from one warehouse to another (the demo generates in DuckDB, then fills a
 * Postgres project): recreated with portable types, rows inserted in batches, bound.
 */
export async function copyTables(from: Warehouse, to: Warehouse, schema: string, tables: readonly string[], toSchema = schema): Promise<number> {
  const src = from.dialect;
  const dst = to.dialect;
  let copied = 0;
  await to.exec(dst.createSchema(toSchema));
  const targets: string[] = [];
  for (const table of tables) {
    const columns = await from.describe(src.qualify(schema, table));
    const target = dst.qualify(toSchema, table);
    targets.push(target);
    await to.exec(`DROP TABLE IF EXISTS ${target}`);
    const types = columns.map((c) => portableType(c.type, dst));
    await to.exec(`CREATE TABLE ${target} (${columns.map((c, i) => `${dst.quoteIdent(c.name)} ${types[i]}`).join(', ')})`);
    for await (const rows of from.stream(`SELECT * FROM ${src.qualify(schema, table)} ORDER BY id`, READ_ROWS)) {
      copied += rows.length;
      await insertRows(to, target, columns, types, rows);
    }
  }
  // The first run's plans should not wait for autovacuum (or, where it is off, go without statistics).
  for (const sql of dst.refreshStatistics(targets)) await to.exec(sql);
  return copied;
}

/** Rows into `target`: as JSON where the engine reads it, else BATCH_ROWS per INSERT, every value bound. */
async function insertRows(to: Warehouse, target: string, columns: readonly { name: string; type: string }[], types: readonly string[], rows: readonly Record<string, unknown>[]): Promise<void> {
  const sql = to.dialect.insertJsonRows(target, to.dialect.param('rows', 1));
  if (sql === undefined) return insertValues(to, target, columns, types, rows);
  const fields = columns.map((c) => ({ name: c.name, key: JSON.stringify(c.name), json: c.type.toUpperCase() === 'JSON' }));
  // A JSON column's text goes in as written, not parsed and written again, which would turn 10.0 into 10.
  const value = (v: unknown, json: boolean) =>
    v === null || v === undefined ? 'null' : json ? String(v) : JSON.stringify(v instanceof Date ? v.toISOString() : v);
  const text = `[${rows.map((row) => `{${fields.map((f) => `${f.key}:${value(row[f.name], f.json)}`).join(',')}}`).join(',\n')}]`;
  await to.exec(sql, { rows: text }, ['rows']);
}

/** Rows into `target`, BATCH_ROWS per INSERT, every value bound. */
async function insertValues(to: Warehouse, target: string, columns: readonly { name: string; type: string }[], types: readonly string[], rows: readonly Record<string, unknown>[]): Promise<void> {
  const dst = to.dialect;
  const names = columns.map((c) => c.name);
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const batch = rows.slice(start, start + BATCH_ROWS);
    const params: Record<string, string | number | boolean | null> = {};
    const order: string[] = [];
    const tuples = batch.map((row, r) => `(${names.map((name, c) => {
      const key = `p${r * names.length + c}`;
      const v = row[name];
      // Instants as ISO text with Z: a JS Date would be sent in the machine's time zone.
      params[key] = v instanceof Date ? v.toISOString() : (v as string | number | boolean | null) ?? null;
      order.push(key);
      const param = dst.param(key, order.length);
      if (types[c] === 'TIMESTAMP') return `CAST(${param} AS TIMESTAMP)`;
      return columns[c].type.toUpperCase() === 'JSON' ? dst.jsonFromText(param) : param;
    }).join(', ')})`);
    await to.exec(`INSERT INTO ${target} (${names.map((n) => dst.quoteIdent(n)).join(', ')}) VALUES ${tuples.join(', ')}`, params, order);
  }
}
