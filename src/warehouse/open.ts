import { existsSync } from 'node:fs';
import path from 'node:path';
import { postgres } from '../../dialects/postgres.js';
import { ProjectError, type Problem, type Project } from '../definitions/project.js';
import { makeFolders, writeFailure } from '../support/make-folders.js';
import { parsePostgresUrl } from './postgres-url.js';
import { WarehouseError, type Warehouse } from './warehouse.js';

export const DEFAULT_DUCKDB_MEMORY = '1GB';

export interface OpenOptions {
  /** Allows a `:memory:` DuckDB (--dry-run, preview, demo). */
  readonly allowMemory?: boolean;
  /** The command writes nothing: DuckDB is opened read-only, and a missing file is read as an empty database, not created. */
  readonly readOnly?: boolean;
  /** A missing DuckDB file is read as an empty database, not created (deliver: nothing can be pending there). */
  readonly emptyIfMissing?: boolean;
  /** Told when the DuckDB file does not exist (a typo in warehouse.path, or no demo yet). */
  readonly onMissing?: (message: string) => void;
}

/** A problem at a setting of roster.yml, located when the project was loaded from its file. */
function configProblem(project: Project, path: readonly string[], message: string): Problem {
  return project.configProblem?.(path, message) ?? { file: 'roster.yml', path: path.join('.'), message };
}

/**
 * What is wrong with the warehouse settings of roster.yml, found without connecting: `validate`
 * reports it too, rather than the first run.
 */
export function warehouseSettingProblems(project: Project): Problem[] {
  const w = project.config.warehouse;
  if (w.dialect !== 'postgres') return [];
  if (!w.url) return [configProblem(project, ['warehouse', 'url'], 'a postgres warehouse needs a url, e.g. url: ${DATABASE_URL}')];
  const problems: Problem[] = [];
  // Not repeated: it may hold a password.
  if (!parsePostgresUrl(w.url)) problems.push(configProblem(project, ['warehouse', 'url'], 'not a postgres:// URL (postgres://user:password@host:5432/database; percent-encode / # ? @ : in the password)'));
  // Postgres cuts a longer name to 63 bytes without a word: roster would then read and write
  // a schema that is not the one roster.yml names.
  const bytes = Buffer.byteLength(project.config.source.schema, 'utf8');
  if (bytes > postgres.maxNameBytes) problems.push(configProblem(project, ['source', 'schema'], `Postgres names are at most ${postgres.maxNameBytes} bytes, and this one is ${bytes}`));
  return problems;
}

/**
 * Opens the project's warehouse. A `:memory:` DuckDB would lose its state, so it needs `allowMemory`.
 * Each runner is imported when its dialect is opened: the DuckDB and Postgres drivers take about
 * 0.3 s to load, which `validate` and `compile` (no warehouse) and a run on the other dialect skip.
 */
export async function openWarehouse(project: Project, options: OpenOptions = {}): Promise<Warehouse> {
  const w = project.config.warehouse;
  switch (w.dialect) {
    case 'duckdb': {
      let memory = w.path === ':memory:';
      if (memory && !options.allowMemory) {
        throw new ProjectError([configProblem(project, ['warehouse', 'path'], 'a :memory: warehouse would lose its state when roster exits: use a file, or only --dry-run and preview')]);
      }
      const file = memory ? ':memory:' : path.resolve(project.dir, w.path);
      if (!memory && !existsSync(file)) {
        // Opening a DuckDB file creates it: a command that writes nothing reads an empty database instead.
        memory = !!(options.readOnly || options.emptyIfMissing);
        options.onMissing?.(`warehouse ${w.path} does not exist${memory ? ': reading an empty warehouse' : ': creating it'} (roster.yml warehouse.path)`);
        // DuckDB creates the file, not its folder.
        if (!memory) {
          await makeFolders(path.dirname(file)).catch((e: unknown) => {
            throw new WarehouseError(`cannot create the folder of the warehouse ${w.path} (roster.yml warehouse.path): ${writeFailure(e)}`, e);
          });
        }
      }
      // DuckDB would take 80% of the machine's memory; 1GB keeps a laptop usable and spills beyond it.
      const { DuckDbWarehouse } = await import('./duckdb-runner.js');
      // A command that writes nothing (--dry-run, preview) opens the file read-only: it then runs
      // beside other readers (another preview, a BI tool), where a writer locks everyone else out.
      return DuckDbWarehouse.open({ path: memory ? ':memory:' : file, memoryLimit: w.memory_limit ?? DEFAULT_DUCKDB_MEMORY, readOnly: !memory && options.readOnly,
        statementTimeoutMs: w.statement_timeout_ms,
      });
    }
    case 'postgres': {
      const problems = warehouseSettingProblems(project);
      if (problems.length || !w.url) throw new ProjectError(problems);
      const { PostgresWarehouse } = await import('./postgres-runner.js');
      return PostgresWarehouse.connect(w.url, { statementTimeoutMs: w.statement_timeout_ms });
    }
    case 'snowflake': {
      const missing = (['account', 'username'] as const).filter((k) => !w[k]);
      if (missing.length) throw new ProjectError(missing.map((k) => ({ file: 'roster.yml', path: `warehouse.${k}`, message: `a snowflake warehouse needs ${k}` })));
      const { SnowflakeWarehouse } = await import('./snowflake-runner.js');
      return SnowflakeWarehouse.connect({
        account: w.account!, username: w.username!, password: w.password, database: w.database, warehouse: w.warehouse, role: w.role,
        statementTimeoutMs: w.statement_timeout_ms,
      });
    }
  }
}
