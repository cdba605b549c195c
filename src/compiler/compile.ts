import type { Definition } from '../definitions/definition.js';
import { compileAudience } from './audience.js';
import { compileComputedTrait } from './computed-trait.js';
import { CompileContext, type CompileOptions } from './context.js';
import { compileSqlTrait } from './sql-trait.js';
import { sqlComment } from './names.js';

/** One definition's query: a SELECT of its result rows, with `as_of` as its only parameter. */
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
  return { key: def.key, sql: body, params: ['as_of'], reads: [...ctx.reads].sort(), warnings: ctx.warnings };
}

/** The file `compile` writes: a header saying what it is and what it needs, then the query. */
export function compiledFile(def: Definition, q: CompiledQuery, dialect: string): string {
  const header = [
    `-- roster ${def.kind} ${def.key} (${def.entity}), ${dialect}`,
    ...(def.description ? [sqlComment(def.description)] : []),
    `-- parameter as_of: the run's instant (UTC)`,
    ...(q.reads.length ? [`-- reads this run's results of: ${q.reads.join(', ')}`] : []),
  ];
  return `${header.join('\n')}\n${q.sql}\n`;
}
