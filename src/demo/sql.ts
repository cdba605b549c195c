import { duckdb } from '../../dialects/duckdb.js';

/** Small DuckDB SQL builders for the demo generator; all output is plain SQL text. Quoting is the dialect's. */

export const sqlString = (value: string): string => duckdb.stringLiteral(value);
export const quoteIdent = (name: string): string => duckdb.quoteIdent(name);

function literal(value: string | null): string {
  return value === null ? 'NULL' : sqlString(value);
}

/**
 * A uniform double in [0, 1) that depends only on the seed, the row's key columns and a salt.
 * random() would differ on every run; hash() is a pure function, so a seed gives the same data.
 * The outer hash() matters: DuckDB combines a multi-argument hash so cheaply that two salts give
 * almost perfectly correlated numbers (corr -0.98); re-hashing the single UBIGINT mixes it fully.
 */
export function rand(seed: number, salt: string, ...keys: string[]): string {
  return `((hash(hash(${seed}, ${keys.join(', ')}, ${sqlString(salt)})) >> 32) / 4294967296.0)`;
}

/** One of `values`, each equally likely, chosen by the [0, 1) column `r`. */
export function pick(r: string, values: readonly string[]): string {
  return `[${values.map(sqlString).join(', ')}][1 + CAST(floor(${r} * ${values.length}) AS INTEGER)]`;
}

/** One of the weighted `choices` (weights need not sum to 1), chosen by the [0, 1) column `r`. */
export function choose(r: string, choices: readonly (readonly [string | null, number])[]): string {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let acc = 0;
  const whens = choices.slice(0, -1).map(([value, weight]) => {
    acc += weight;
    return `WHEN ${r} < ${round(acc / total)} THEN ${literal(value)}`;
  });
  return `CASE ${whens.join(' ')} ELSE ${literal(choices[choices.length - 1][0])} END`;
}

/** Microseconds rounded down to whole milliseconds, as Segment's timestamps are. */
export function millis(micros: string): string {
  return `(CAST(floor(${micros}) AS BIGINT) // 1000 * 1000)`;
}

function round(x: number): string {
  return String(Math.round(x * 1e9) / 1e9);
}
