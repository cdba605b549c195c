import type { Definition } from '../definitions/definition.js';
import { compileAudience } from './audience.js';
import { compileComputedTrait } from './computed-trait.js';
import { CompileContext, type CompileOptions } from './context.js';
import type { Dialect } from './dialect.js';
import { compileSqlTrait } from './sql-trait.js';
import { sqlComment } from './names.js';
import { namesPlaceholder, withoutQuoted } from '../support/sql-text.js';

/** One definition's query: a SELECT of its result rows, with `as_of` as its only parameter, if any. */
export interface CompiledQuery {
  readonly key: string;
  readonly sql: string;
  /** Parameter names in the order the dialect's positional parameters expect them. */
  readonly params: readonly string[];
  /** Keys of the definitions whose results it reads. */
  readonly reads: readonly string[];
  /** Missing source tables/columns (with a catalog): the query treats them as empty. */
  readonly warnings: readonly string[];
}

/** AST -> SQL for one definition: pure and deterministic. */
export function compileDefinition(def: Definition, options: CompileOptions): CompiledQuery {
  const ctx = new CompileContext(options);
  let body: string;
  switch (def.kind) {
    case 'computed_trait':
      body = compileComputedTrait(ctx, def);
      break;
    case 'sql_trait':
      body = compileSqlTrait(ctx, def);
      break;
    case 'audience':
      body = compileAudience(ctx, def);
      break;
    default: {
      const _exhaustive: never = def;
      throw new Error(`unknown definition kind ${JSON.stringify(_exhaustive)}`);
    }
  }
  const code = withoutQuoted(body, { backslashEscapes: ctx.dialect.backslashEscapes });
  const params = namesPlaceholder(code, ctx.dialect.param('as_of', 1)) ? ['as_of'] : [];
  return { key: def.key, sql: body, params, reads: [...ctx.reads].sort(), warnings: ctx.warnings };
}

/** Roster binds as_of as UTC text in a UTC session: the same instant whatever a column's type. */
export const AS_OF_PARAMETER = '-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC';

/** The file `compile` writes: a header saying what it is and what it needs, then the query. */
export function compiledFile(def: Definition, q: CompiledQuery, dialect: Dialect): string {
  const header = [
    `-- roster ${def.kind} ${def.key} (${def.entity}), ${dialect.name}`,
    ...(def.description ? [sqlComment(def.description)] : []),
    q.params.length ? AS_OF_PARAMETER : '-- no parameter',
    // In a run these are the run's own results; the file run alone reads the committed ones.
    ...(q.reads.length ? [`-- reads the results of: ${q.reads.join(', ')} (in a run, that run's; run alone, the last committed ones in the state schema)`] : []),
    ...(dialect.sessionNote ? [dialect.sessionNote] : []),
  ];
  return `${header.join('\n')}\n${q.sql}\n`;
}
