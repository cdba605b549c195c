import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/definitions/load-project.js';
import { ProjectError } from '../../src/definitions/project.js';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb-runner.js';
import { tempProject, yml } from '../definitions/temp-project.js';

const project = (limit: string) => tempProject({ 'roster.yml': yml('warehouse:', `  memory_limit: "${limit}"`) });

describe('warehouse.memory_limit', () => {
  it.each(['1GB', '1 GB', '1.5gb', '512MiB', '2 gigabytes', '1TB'])('%s is accepted by roster.yml and by DuckDB, as that many bytes', async (limit) => {
    const config = (await loadProject(project(limit))).config;
    expect(config.warehouse.memory_limit).toBe(limit);
    const wh = await DuckDbWarehouse.open({ path: ':memory:', memoryLimit: limit });
    try {
      const [{ bytes }] = await wh.query(`SELECT current_setting('memory_limit') AS bytes`);
      expect(String(bytes)).toMatch(/^\d+(\.\d+)? [KMGT]iB$/);
    } finally {
      await wh.close();
    }
  });

  it.each(['1 zillion', '80%', '1000', '0'])('%s is refused in roster.yml (DuckDB would only say "Failed to set config")', async (limit) => {
    const error = await loadProject(project(limit)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectError);
    expect((error as Error).message).toBe(`roster.yml:2:17 warehouse.memory_limit: must be a size such as 1GB, 512MB or 2GiB, got "${limit}"`);
    await expect(DuckDbWarehouse.open({ path: ':memory:', memoryLimit: limit })).rejects.toThrow();
  });
});
