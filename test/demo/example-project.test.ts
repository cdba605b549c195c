import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEMO_DEFAULTS, demoStatements } from '../../src/demo/generate.js';
import { DefinitionFile } from '../../src/definitions/definition.js';
import { ProjectConfig } from '../../src/definitions/project-config.js';
import { ENGINES, runFixture } from '../support/harness.js';

const PROJECT = join(import.meta.dirname, '../../examples/b2b-saas');
const DEFINITIONS = join(PROJECT, 'definitions');
const files = readdirSync(DEFINITIONS).filter((f) => f.endsWith('.yml')).sort();

describe('examples/b2b-saas', () => {
  it('has a valid roster.yml with the crm jsonl destination', () => {
    const config = ProjectConfig.parse(parse(readFileSync(join(PROJECT, 'roster.yml'), 'utf8')));
    expect(config.name).toBe('b2b-saas');
    expect(config.source).toEqual({ schema: 'main', layout: 'segment', deduplicate: false });
    expect(config.destinations.map((d) => [d.name, d.type])).toEqual([['crm', 'jsonl']]);
  });

  it('has about fifteen definitions', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it.each(files)('%s parses, is named by its key and has a description', (file) => {
    const result = DefinitionFile.safeParse(parse(readFileSync(join(DEFINITIONS, file), 'utf8')));
    expect(result.error?.issues ?? []).toEqual([]);
    const def = result.data!;
    expect(`${def.key}.yml`).toBe(file);
    expect(def.description).toBeTruthy();
    if (def.kind === 'sql_trait' && def.sql_file) expect(existsSync(join(DEFINITIONS, def.sql_file))).toBe(true);
  });

  it('only names audiences that exist', () => {
    const keys = new Set(files.map((f) => f.replace(/\.yml$/, '')));
    const named = files.flatMap((f) => [...readFileSync(join(DEFINITIONS, f), 'utf8').matchAll(/audience:\s*\{\s*key:\s*(\w+)/g)].map((m) => m[1]));
    expect(named.length).toBeGreaterThan(0);
    for (const key of named) expect(keys.has(key), key).toBe(true);
  });

  it('active_users_30d.sql runs on demo data and gives one value per account', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    for (const sql of demoStatements({ ...DEMO_DEFAULTS, users: 300, accounts: 40, days: 40 })) await c.run(sql);
    // A stand-in for roster's template rendering: only the helpers this file uses.
    const sql = readFileSync(join(DEFINITIONS, 'active_users_30d.sql'), 'utf8')
      .replace(/\{\{source "(\w+)"\}\}/g, 'main.$1')
      .replaceAll('{{as_of}}', "TIMESTAMP '2024-06-01 00:00:00'");
    const rows = (await c.runAndReadAll(`SELECT group_id, count(DISTINCT active_users_30d) AS values, max(active_users_30d) AS n FROM (${sql}) GROUP BY 1`)).getRowObjectsJS();
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((r) => r.values === 1n)).toBe(true);
    expect(rows.some((r) => (r.n as bigint) > 0n)).toBe(true);
    c.closeSync();
  });
});

describe.each(ENGINES)('examples/b2b-saas active_users_30d.sql run by roster on %s', (engine) => {
  it('reads an empty user_id or group_id as no id, as roster does: no failed shape check, no active user \'\'', async () => {
    const sql = readFileSync(join(DEFINITIONS, 'active_users_30d.sql'), 'utf8');
    const day = (d: number) => `2024-05-${String(d).padStart(2, '0')}T00:00:00Z`;
    const world = {
      groups: [
        { id: 'g1', user_id: 'u1', group_id: 'a1', timestamp: day(1) },
        { id: 'g2', user_id: 'u2', group_id: 'a1', timestamp: day(1) },
        { id: 'g3', user_id: '', group_id: 'a2', timestamp: day(1) }, // nobody joins a2
        { id: 'g4', user_id: 'u1', group_id: '', timestamp: day(1) }, // no account
      ],
      events: [
        { id: 'e1', user_id: 'u1', event: 'Logged In', timestamp: day(20) },
        { id: 'e2', user_id: '', event: 'Logged In', timestamp: day(21) },
        { id: 'e3', user_id: 'u2', event: 'Logged In', timestamp: '2024-03-01T00:00:00Z' }, // before the 30 days
      ],
    };
    const run = await runFixture(world, [{ kind: 'sql_trait', key: 'active_users_30d', entity: 'account', traits: ['active_users_30d'], sql }], { asOf: '2024-06-01T00:00:00Z', engine });
    try {
      expect(run.report.outcomes.map((o) => [o.status, o.error])).toEqual([['ok', undefined]]);
      // a1: u1 active, u2 not; a2 has no member, so no row.
      expect(await run.values('active_users_30d')).toEqual({ a1: 1 });
    } finally {
      await run.close();
    }
  });
});
