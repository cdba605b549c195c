import path from 'node:path';
import { ProjectError, type Project } from '../definitions/project.js';
import { WarehouseError, type Warehouse } from './warehouse.js';

export const DEFAULT_DUCKDB_MEMORY = '1GB';

/**
 * Opens the project's warehouse. A `:memory:` DuckDB would lose its state, so it needs `allowMemory`.
 * Each runner is imported when its dialect is opened: the DuckDB and Postgres drivers take about
 * 0.3 s to load, which `validate` and `compile` (no warehouse) and a run on the other dialect skip.
 */
export async function openWarehouse(project: Project, options: { allowMemory?: boolean } = {}): Promise<Warehouse> {
  const w = project.config.warehouse;
  switch (w.dialect) {
    case 'duckdb': {
      const memory = w.path === ':memory:';
      if (memory && !options.allowMemory) {
        throw new ProjectError([{ file: 'roster.yml', path: 'warehouse.path', message: 'a :memory: warehouse would lose its state when roster exits: use a file, or only --dry-run and preview' }]);
      }
      // DuckDB would take 80% of the machine's memory; 1GB keeps a laptop usable and spills beyond it.
      const { DuckDbWarehouse } = await import('./duckdb-runner.js');
      return DuckDbWarehouse.open({ path: memory ? ':memory:' : path.resolve(project.dir, w.path), memoryLimit: w.memory_limit ?? DEFAULT_DUCKDB_MEMORY });
    }
    case 'postgres': {
      if (!w.url) throw new ProjectError([{ file: 'roster.yml', path: 'warehouse.url', message: 'a postgres warehouse needs a url, e.g. url: ${DATABASE_URL}' }]);
      const { PostgresWarehouse } = await import('./postgres-runner.js');
      return PostgresWarehouse.connect(w.url, { statementTimeoutMs: w.statement_timeout_ms });
    }
    case 'snowflake': {
      const missing = (['account', 'username'] as const).filter((k) => !w[k]);
      if (missing.length) throw new ProjectError(missing.map((k) => ({ file: 'roster.yml', path: `warehouse.${k}`, message: `a snowflake warehouse needs ${k}` })));
      const { SnowflakeWarehouse } = await import('./snowflake-runner.js');
      return SnowflakeWarehouse.connect({
        account: w.account!, username: w.username!, password: w.password, database: w.database, warehouse: w.warehouse, role: w.role,
      });
    }
  }
}
