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

  it('a statement past it fails saying to raise memory_limit in roster.yml, not with DuckDB\'s SET advice', async () => {
    const wh = await DuckDbWarehouse.open({ path: ':memory:', memoryLimit: '20MB' });
    try {
      const error = await wh.exec("CREATE TEMPORARY TABLE t AS SELECT repeat('a', 100000) || i AS s FROM range(2000) r(i) ORDER BY s").catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/^Out of Memory Error: failed to allocate data of size .*; raise memory_limit under warehouse: in roster.yml \(DuckDB spills to disk what it can, and this needed more\)$/);
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

/*
 * DuckDB keeps an executed plan's operator state with its prepared statement: a FULL JOIN (the
 * diff's) keeps its hash table for the unmatched rows. Left to the JavaScript garbage collector,
 * which does not see that memory, a run of 200 definitions held over 1 GB of it and failed with
 * "Out of Memory" under the default limit.
 */
describe('memory a statement used is given back when it ends', () => {
  it('no FULL JOIN hash table outlives its statement, so statements that each fit the limit all run', async () => {
    const wh = await DuckDbWarehouse.open({ path: ':memory:', memoryLimit: '300MB' });
    const hashTables = async () => Number((await wh.query(`SELECT coalesce(sum(memory_usage_bytes), 0) AS n FROM duckdb_memory() WHERE tag = 'HASH_TABLE'`))[0].n);
    try {
      await wh.exec('CREATE TEMPORARY TABLE old AS SELECT range AS id, md5(range::VARCHAR) AS v FROM range(400000)');
      await wh.exec('CREATE TEMPORARY TABLE new AS SELECT range + 1000 AS id, md5(range::VARCHAR) AS v FROM range(400000)');
      for (let i = 0; i < 12; i++) {
        await wh.exec(`CREATE OR REPLACE TEMPORARY TABLE diff_${i % 2} AS SELECT coalesce(n.id, o.id) AS id FROM new AS n FULL JOIN old AS o ON n.id = o.id AND n.v = o.v WHERE n.id IS NULL OR o.id IS NULL`);
        expect(await hashTables()).toBe(0);
        const [{ n }] = await wh.query(`SELECT count(*) AS n FROM old AS o FULL JOIN new AS n ON n.id = o.id WHERE n.id IS NULL`);
        expect(Number(n)).toBe(1000);
        expect(await hashTables()).toBe(0);
      }
    } finally {
      await wh.close();
    }
  });
});
