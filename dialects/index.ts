import type { Dialect } from '../src/compiler/dialect.js';
import type { DialectName } from '../src/definitions/project-config.js';
import { duckdb } from './duckdb.js';
import { postgres } from './postgres.js';
import { snowflake } from './snowflake.js';

/** Every registered dialect: a test loops over these, so a new one is covered at once. */
export const DIALECTS: Record<DialectName, Dialect> = { duckdb, postgres, snowflake };

export function dialectFor(name: DialectName): Dialect {
  const d = DIALECTS[name];
  if (!d) throw new Error(`the ${name} dialect is not available in this version of roster (available: ${Object.keys(DIALECTS).join(', ')})`);
  return d;
}
