import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { exampleCopy, MAIN, noStack, ROOT, roster } from './roster-cli.js';

describe('roster CLI: run, deliver, preview and demo', () => {
  it('a :memory: warehouse is refused for run (exit 1) but allowed with --dry-run', () => {
    const dir = exampleCopy();
    const yml = path.join(dir, 'roster.yml');
    writeFileSync(yml, readFileSync(yml, 'utf8').replace('./warehouse.duckdb', "':memory:'"));
    const r = roster(['--project', dir, 'run', '--as-of', '2024-06-01']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('roster.yml:8:9 warehouse.path: a :memory: warehouse');
    // An empty warehouse: missing tables are warnings, the SQL trait's sources read as empty.
    const dry = roster(['--project', dir, 'run', '--as-of', '2024-06-01', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain('warning: features_used: event "Feature Used": table main.feature_used does not exist');
    expect(dry.stderr).toContain('warning: active_users_30d: {{source "groups"}}: table main.groups does not exist; read as empty');
    // demo into :memory: would generate data that vanishes at exit.
    const demo = roster(['--project', dir, 'demo', '--users', '10', '--accounts', '2']);
    expect(demo.code).toBe(1);
    expect(demo.stderr).toContain('roster.yml:8:9 warehouse.path: a :memory: warehouse');
  });

  it('demo does not replace Segment data it did not write; it refills a schema it filled', async () => {
    const dir = exampleCopy();
    const file = path.join(dir, 'warehouse.duckdb');
    const instance = await DuckDBInstance.create(file);
    const conn = await instance.connect();
    await conn.run("CREATE TABLE main.tracks AS SELECT 'real_1' AS id, 'ceo' AS user_id");
    conn.closeSync();
    instance.closeSync();
    const refused = roster(['--project', dir, 'demo', '--users', '10', '--accounts', '2', '--days', '3']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('demo would replace main.tracks, which it did not write');
    const check = await DuckDBInstance.create(file);
    const read = await check.connect();
    expect((await read.runAndReadAll('SELECT id FROM main.tracks')).getRowObjectsJS()).toEqual([{ id: 'real_1' }]);
    read.closeSync();
    check.closeSync();
    // In a schema of its own, demo fills it, and fills it again.
    rmSync(file);
    expect(roster(['--project', dir, 'demo', '--users', '10', '--accounts', '2', '--days', '3']).code).toBe(0);
    expect(roster(['--project', dir, 'demo', '--users', '12', '--accounts', '2', '--days', '3']).code).toBe(0);
    // A demo stopped once its tables are written (killed, say) can be run again.
    rmSync(file);
    expect(roster(['--project', dir, 'demo', '--users', '10', '--accounts', '2', '--days', '3'], { env: { ROSTER_CRASH_AT: 'demo-tables-written' } }).code).toBe(137);
    expect(roster(['--project', dir, 'demo', '--users', '10', '--accounts', '2', '--days', '3']).code).toBe(0);
  });

  it('demo over a state that already ran past its events says that an earlier run will be refused, and how to start over', () => {
    const dir = exampleCopy();
    expect(roster(['--project', dir, 'demo', '--users', '10', '--accounts', '2', '--days', '3']).stderr).not.toContain('warning');
    expect(roster(['--project', dir, 'run', '--as-of', '2024-06-03T00:00:00Z']).code).toBe(0);
    expect(roster(['--project', dir, 'demo', '--users', '10', '--accounts', '2', '--days', '3']).stderr).not.toContain('warning'); // at the events' end: the README's runs go on
    expect(roster(['--project', dir, 'run', '--as-of', '2024-07-01T00:00:00Z']).code).toBe(0);
    const again = roster(['--project', dir, 'demo', '--users', '10', '--accounts', '2', '--days', '3']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('warning: the state schema roster already holds a run as of 2024-07-01T00:00:00.000Z, after these events end: a run at an earlier as_of is refused. To run over the demo\'s data from the start, delete ./warehouse.duckdb (the demo\'s data with it: roster demo makes it again), and empty what the destinations got');
  });

  it('--dry-run and preview open the warehouse read-only: they run while another process reads it; a run waits its turn', async () => {
    const dir = exampleCopy();
    expect(roster(['--project', dir, 'demo', '--users', '50', '--accounts', '5', '--days', '10']).code).toBe(0);
    // This test process holds the file open read-only, as a BI tool or the DuckDB CLI may.
    const reader = await DuckDBInstance.create(path.join(dir, 'warehouse.duckdb'), { access_mode: 'READ_ONLY' });
    try {
      const preview = roster(['--project', dir, 'preview', 'feature_count', '--as-of', '2024-06-03']);
      expect([preview.code, preview.stderr]).toEqual([0, '']);
      const dry = roster(['--project', dir, 'run', '--as-of', '2024-06-03', '--dry-run']);
      expect([dry.code, dry.stderr]).toEqual([0, '']);
      // A run writes: DuckDB has one writer and no reader beside it.
      const run = roster(['--project', dir, 'run', '--as-of', '2024-06-03']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('is in use by another process (DuckDB allows one writer)');
    } finally {
      reader.closeSync();
    }
  });

  it('preview shows an error as run does: a line break in it cannot forge a line of its own', () => {
    const dir = exampleCopy();
    writeFileSync(path.join(dir, 'definitions/broken.yml'), "kind: sql_trait\nkey: broken\nentity: user\nsql: |\n  SELECT 'u1' AS user_id, CAST('x' || chr(10) || 'error: forged' AS INTEGER) AS broken\n");
    const preview = roster(['--project', dir, 'preview', 'broken', '--as-of', '2024-06-01']);
    expect(preview.code).toBe(2);
    const errors = preview.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors).toEqual([expect.stringMatching(/^error: broken: .*'x$/)]);
    expect(preview.stderr).toContain("\n  error: forged'");
  });

  it('--dry-run, preview and deliver never create a missing warehouse file: they read an empty one, with a warning', () => {
    const dir = exampleCopy();
    const warehouse = path.join(dir, 'warehouse.duckdb');
    const missing = 'warning: warehouse ./warehouse.duckdb does not exist: reading an empty warehouse (roster.yml warehouse.path)';
    const dry = roster(['--project', dir, 'run', '--as-of', '2024-06-01', '--dry-run', '--select', 'feature_count']);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain(missing);
    const preview = roster(['--project', dir, 'preview', 'feature_count', '--as-of', '2024-06-01']);
    expect(preview.code).toBe(0);
    expect(preview.stderr).toContain(missing);
    // An account audience's identity breakdown reads the users of accounts: no groups table, none.
    const accounts = roster(['--project', dir, 'preview', 'at_risk_accounts', '--as-of', '2024-06-01']);
    expect(accounts).toMatchObject({ code: 0, stdout: expect.stringContaining('members: 0\nusers reached: 0\n') });
    expect(accounts.stderr).toContain('table main.groups does not exist; treated as empty');
    const deliver = roster(['--project', dir, 'deliver']);
    expect(deliver.code).toBe(0);
    expect(deliver.stdout).toContain('nothing pending');
    // As after any delivery: each destination roster.yml lists, with nothing sent.
    const deliverJson = roster(['--project', dir, 'deliver', '--json']);
    expect(JSON.parse(deliverJson.stdout).delivery.destinations).toEqual([{ destination: 'crm', sent: 0, already_delivered: 0, failed: 0, pending: 0, errors: [] }]);
    expect(existsSync(warehouse)).toBe(false);
    // A run that writes creates it, and says so; its folder too.
    const yml = path.join(dir, 'roster.yml');
    writeFileSync(yml, readFileSync(yml, 'utf8').replace('./warehouse.duckdb', './data/warehouse.duckdb'));
    const run = roster(['--project', dir, 'run', '--as-of', '2024-06-01', '--select', 'feature_count']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning: warehouse ./data/warehouse.duckdb does not exist: creating it (roster.yml warehouse.path)');
    expect(existsSync(path.join(dir, 'data/warehouse.duckdb'))).toBe(true);
  });

  it('deliver sends what is pending even when a definition file is broken: it was computed before', () => {
    const dir = exampleCopy();
    expect(roster(['--project', dir, 'demo', '--users', '40', '--accounts', '4', '--days', '10']).code).toBe(0);
    mkdirSync(path.join(dir, 'out/crm.jsonl'), { recursive: true }); // a folder where the file should be: nothing can be written
    const run = roster(['--project', dir, 'run', '--as-of', '2024-06-03T00:00:00Z']);
    expect(run.code).toBe(2);
    const pending = Number(/crm: 0 sent, (\d+) pending/.exec(run.stdout)?.[1]);
    expect(pending).toBeGreaterThan(100);
    rmSync(path.join(dir, 'out/crm.jsonl'), { recursive: true });
    writeFileSync(path.join(dir, 'definitions/broken.yml'), 'kind: nope\n');
    expect(roster(['--project', dir, 'validate']).code).toBe(1);
    const deliver = roster(['--project', dir, 'deliver']);
    expect(deliver.code).toBe(0);
    expect(deliver.stderr).toContain('warning: 1 problem in the definitions (roster validate lists them); delivering what is pending anyway');
    expect(readFileSync(path.join(dir, 'out/crm.jsonl'), 'utf8').trim().split('\n')).toHaveLength(pending);
  });

  it('demo, run, preview: the whole path on generated data', () => {
    const dir = exampleCopy();
    expect(roster(['--project', dir, 'demo', '--users', '300', '--accounts', '40', '--days', '40']).code).toBe(0);
    const run = roster(['--project', dir, 'run', '--as-of', '2024-06-01T00:00:00Z']);
    expect(run.code).toBe(0);
    expect(run.stderr + run.stdout).toContain('at_risk_accounts');
    const preview = roster(['--project', dir, 'preview', 'at_risk_accounts', '--as-of', '2024-06-01', '--limit', '3']);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(/members: \d+/);
    expect(preview.stdout).toMatch(/users per account: min \d+, median [\d.]+, max \d+/);
    // An account SQL trait's sample rows are (group_id, user_id, value), in the order of both ids.
    const sqlTrait = roster(['--project', dir, 'preview', 'active_users_30d', '--as-of', '2024-06-01', '--limit', '6']);
    expect(sqlTrait.code).toBe(0);
    const [header, rule, ...rows] = sqlTrait.stdout.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim().split(/\s+/));
    // More than an id and a value: the columns are named.
    expect(header).toEqual(['group_id', 'user_id', 'active_users_30d']);
    expect(rule.every((dashes) => /^-+$/.test(dashes))).toBe(true);
    expect(rows).toHaveLength(6);
    const ids = rows.map(([group, user]) => `${group} ${user}`);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(rows.map(([group]) => group)).size).toBeLessThan(6); // several users of one account
    // A row whose trait columns are all null is an empty value: not counted, not shown.
    writeFileSync(path.join(dir, 'definitions/maybe.yml'), "kind: sql_trait\nkey: maybe\nentity: user\nsql: SELECT 'u1' AS user_id, 1 AS maybe UNION ALL SELECT 'u2', NULL\n");
    const maybe = roster(['--project', dir, 'preview', 'maybe', '--as-of', '2024-06-01']);
    expect(maybe).toMatchObject({ code: 0, stdout: expect.stringContaining('users with a value: 1\nsample (1):\n  u1  1\n') });
    // A SELECT * account trait is taken as associating, but shows no user_id it does not return;
    // a line break or an invisible character in a value is shown escaped, on the value's own line.
    writeFileSync(path.join(dir, 'definitions/star.yml'), "kind: sql_trait\nkey: star\nentity: account\ntraits: [n]\nsql: SELECT * FROM (SELECT 'g1' AS group_id, 1 AS n) AS s\n");
    expect(roster(['--project', dir, 'preview', 'star', '--as-of', '2024-06-01'])).toMatchObject({ code: 0, stdout: expect.stringContaining('sample (1):\n  g1  1\n') });
    writeFileSync(path.join(dir, 'definitions/lines.yml'), "kind: sql_trait\nkey: lines\nentity: user\nsql: SELECT 'u1' AS user_id, 'a' || chr(10) || 'b' || chr(133) AS lines UNION ALL SELECT 'u2', 'pro' || chr(8203)\n");
    expect(roster(['--project', dir, 'preview', 'lines', '--as-of', '2024-06-01'])).toMatchObject({ code: 0, stdout: expect.stringContaining('sample (2):\n  u1  "a\\nb\\u0085"\n  u2  "pro\\u200b"\n') });
  });

  it('a failing definition: exit 2, its dependents skipped, the others stored', () => {
    const dir = exampleCopy();
    roster(['--project', dir, 'demo', '--users', '100', '--accounts', '20', '--days', '20']);
    const sql = path.join(dir, 'definitions/active_users_30d.sql');
    writeFileSync(sql, 'SELECT no_such_column AS group_id FROM {{source "groups"}}');
    const r = roster(['--project', dir, 'run', '--as-of', '2024-06-01']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/active_users_30d.*no_such_column/);
    noStack(r.stderr);
  });

  it('a reader that closes stdout early (`roster run | true`) does not stop the run: it commits and delivers, exit 0', () => {
    const dir = exampleCopy();
    roster(['--project', dir, 'demo', '--users', '100', '--accounts', '20', '--days', '20']);
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${MAIN}" --project "${dir}" run --as-of 2024-06-01 | true`], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.status).toBe(0);
    const sent = readFileSync(path.join(dir, 'out/crm.jsonl'), 'utf8').trim().split('\n');
    expect(sent.length).toBeGreaterThan(100);
    // committed: the same as_of again is a re-run with nothing to send
    const again = roster(['--project', dir, 'run', '--as-of', '2024-06-01']);
    expect(again.code).toBe(0);
    expect(readFileSync(path.join(dir, 'out/crm.jsonl'), 'utf8').trim().split('\n')).toHaveLength(sent.length);
  });

  it('init, then run before any data: every definition runs on the empty warehouse, exit 0 (SPEC 3: missing tables are empty)', () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'roster-init-')), 'acme');
    expect(roster(['init', dir]).code).toBe(0);
    const r = roster(['--project', dir, 'run', '--as-of', '2024-06-01']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/definitions ok/);
    expect(r.stderr).toContain('warning: active_users_30d: {{source "groups"}}: table main.groups does not exist; read as empty');
  });

  it('demo with an option out of range: exit 1 naming the flag, and no warehouse file made', () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'roster-demo-')), 'acme');
    expect(roster(['init', dir]).code).toBe(0);
    const r = roster(['--project', dir, 'demo', '--users', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('error: --users must be an integer from 1 to 10000000, got 0');
    expect(existsSync(path.join(dir, 'warehouse.duckdb'))).toBe(false);
  });

  it('demo fills an events_json project in its layout: the example gives the same messages as on the segment layout', () => {
    const emitted = (layout: 'segment' | 'events_json') => {
      const dir = exampleCopy();
      if (layout === 'events_json') {
        const config = path.join(dir, 'roster.yml');
        writeFileSync(config, readFileSync(config, 'utf8').replace('layout: segment', 'layout: events_json'));
        const sql = path.join(dir, 'definitions/active_users_30d.sql');
        writeFileSync(sql, readFileSync(sql, 'utf8').replace('{{source "tracks"}}', '{{source "events"}}'));
      }
      const demo = roster(['--project', dir, 'demo', '--users', '200', '--accounts', '20', '--days', '30']);
      expect(demo.code, demo.stderr).toBe(0);
      expect(demo.stderr).not.toContain('warning');
      // Run at the default as_of (now), every window would be empty: it says when the data ends.
      expect(demo.stderr).toContain('the events end at 2024-06-03T00:00:00.000Z: run as of then, e.g. roster run --as-of 2024-06-03T00:00:00.000Z');
      const run = roster(['--project', dir, 'run', '--as-of', '2024-06-03T00:00:00Z']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
      // preview shows a JSON value as JSON, as it is sent (DuckDB hands back its text, Postgres parses it).
      const preview = roster(['--project', dir, 'preview', 'last_page_viewed', '--as-of', '2024-06-03T00:00:00Z', '--limit', '2']);
      expect(preview.stdout.split('\n').filter((l) => l.startsWith('  user_'))).toEqual([
        expect.stringMatching(layout === 'events_json' ? /^ {2}user_\d+ {2}"\/[^"]*"$/ : /^ {2}user_\d+ {2}\/\S*$/),
        expect.stringMatching(layout === 'events_json' ? /^ {2}user_\d+ {2}"\/[^"]*"$/ : /^ {2}user_\d+ {2}\/\S*$/),
      ]);
      return readFileSync(path.join(dir, 'out/crm.jsonl'), 'utf8');
    };
    const segment = emitted('segment');
    expect(segment.split('\n').length).toBeGreaterThan(1000);
    expect(emitted('events_json')).toBe(segment);
  });
});
