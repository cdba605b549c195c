import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { MAIN, ROOT, roster } from './roster-cli.js';

const EXAMPLE = path.join(ROOT, 'examples/b2b-saas');
const noStack = (s: string) => expect(s).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

/** A fresh copy of the example project, without its warehouse, in a temp folder. */
function exampleCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-cli-'));
  for (const part of ['roster.yml', 'definitions', 'compiled']) cpSync(path.join(EXAMPLE, part), path.join(dir, part), { recursive: true });
  return dir;
}

describe('roster CLI', () => {
  it('validate: exit 0 on the example project', () => {
    const r = roster(['--project', EXAMPLE, 'validate']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('19 definitions valid');
  });

  it('validate: exit 1 with file:line:col, the path inside the file, and no stack trace', () => {
    const dir = exampleCopy();
    writeFileSync(path.join(dir, 'definitions/broken.yml'), 'kind: audience\nkey: broken\nentity: user\nwhere:\n  all:\n    - trait: { key: plan, op: equals, value: pro }\n');
    const r = roster(['--project', dir, 'validate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('definitions/broken.yml:6:');
    expect(r.stderr).toContain('where.all[0].trait.op');
    noStack(r.stderr);
  });

  it('validate: SPEC 2\'s computed_trait example, every field at once, is valid: the fields its type does not use are ignored with a located warning', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'roster-cli-'));
    writeFileSync(path.join(dir, 'roster.yml'), 'name: spec-example\n');
    mkdirSync(path.join(dir, 'definitions'));
    writeFileSync(path.join(dir, 'definitions/logins.yml'), [
      'kind: computed_trait',
      'key: logins_past_30_days',
      'entity: account',
      'type: event_counter          # event_counter | aggregation | most_frequent | first | last',
      '                             # | unique_list | unique_list_count',
      'event: Logged In             # one event name, or a list of names',
      'where:                       # optional event-property filters, all must hold',
      '  - { property: plan, op: eq, value: pro }',
      'window: { last: 30 days }    # optional: { last: "N minutes|hours|days|weeks" }',
      '                             #           or { from: 2024-01-01, to: 2024-02-01 }; absent = all time',
      'property: amount             # aggregation | most_frequent | first | last | unique_list(_count)',
      'function: sum                # aggregation: sum | avg | min | max',
      'min_frequency: 2             # most_frequent only (default 2, as Segment)',
      'scope: all_events            # all_events (default) | group_context (section 3)',
      '',
    ].join('\n'));
    const r = roster(['--project', dir, 'validate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 definition valid');
    expect(r.stderr).toBe([
      'warning: definitions/logins.yml:11:1 property: event_counter takes no property: ignored',
      'warning: definitions/logins.yml:12:1 function: function is only for aggregation, not event_counter: ignored',
      'warning: definitions/logins.yml:13:1 min_frequency: min_frequency is only for most_frequent, not event_counter: ignored',
      '',
    ].join('\n'));
    // Ignored means compiled as if absent: the same SQL as without those three lines.
    const compiled = roster(['--project', dir, 'compile']);
    expect(compiled.code).toBe(0);
    const sql = readFileSync(path.join(dir, 'compiled/duckdb/logins_past_30_days.sql'), 'utf8');
    writeFileSync(path.join(dir, 'definitions/logins.yml'), readFileSync(path.join(dir, 'definitions/logins.yml'), 'utf8').replace(/^(property|function|min_frequency):.*\n/gm, ''));
    const plain = roster(['--project', dir, 'compile', '--check']);
    expect(plain.stderr).toBe('');
    expect(plain.code).toBe(0);
    expect(sql).toContain('count(*)');
  });

  it('validate: a trait: condition naming a definition of the other entity is legal (a custom trait) but warned about', () => {
    const dir = exampleCopy();
    // logins_past_30_days is the example's account-level trait; at user level it names a custom trait.
    writeFileSync(path.join(dir, 'definitions/busy.yml'), 'kind: audience\nkey: busy_users\nentity: user\nwhere: { trait: { key: logins_past_30_days, op: gt, value: 3 } }\n');
    const r = roster(['--project', dir, 'validate']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('warning: definitions/busy.yml:4:24 where.trait.key: "logins_past_30_days" is an account-level computed_trait (definitions/logins_past_30_days.yml); here, at user level, it names a custom trait of identify calls\n');
  });

  it('validate: a trait: condition naming a custom trait one or two letters from a definition\'s trait is warned about, naming it', () => {
    const dir = exampleCopy();
    // feature_count is the example's user-level trait; feature_counts is no definition's. plan, a
    // custom trait, is as far from nothing.
    writeFileSync(path.join(dir, 'definitions/busy.yml'), 'kind: audience\nkey: busy_users\nentity: user\nwhere: { all: [{ trait: { key: feature_counts, op: gt, value: 3 } }, { trait: { key: plan, op: eq, value: pro } }] }\n');
    const r = roster(['--project', dir, 'validate']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('warning: definitions/busy.yml:4:32 where.all[0].trait.key: "feature_counts" is no definition\'s trait, so it names a custom trait of identify calls; did you mean "feature_count"?\n');
  });

  it('validate: a mapping used as a key is a located problem, with no Node warning on stderr', () => {
    const dir = exampleCopy();
    writeFileSync(path.join(dir, 'definitions/broken.yml'), 'kind: audience\nkey: broken\nentity: user\nwhere:\n  { last: 0 days }: x\n');
    const r = roster(['--project', dir, 'validate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('definitions/broken.yml:5:3 where["{ last: 0 days }"]: unknown condition "{ last: 0 days }"; expected one of all, any, not, event, trait, audience, users\n1 problem found\n');
  });

  it('compile --check: exit 0 when compiled/ matches, 1 naming the file when a definition changed', () => {
    expect(roster(['--project', EXAMPLE, 'compile', '--check']).code).toBe(0);
    const dir = exampleCopy();
    const file = path.join(dir, 'definitions/logins_past_30_days.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('{ last: 30 days }', '{ last: 31 days }'));
    const r = roster(['--project', dir, 'compile', '--check']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('compiled/duckdb/logins_past_30_days.sql: differs');
    // The run plan holds every definition: a selection checks and writes it too.
    const selected = roster(['--project', dir, 'compile', '--check', '--select', 'logins_past_30_days']);
    expect(selected.code).toBe(1);
    expect(selected.stderr).toContain('compiled/duckdb/_run.sql: differs');
    expect(roster(['--project', dir, 'compile', '--select', 'logins_past_30_days']).code).toBe(0);
    expect(readFileSync(path.join(dir, 'compiled/duckdb/logins_past_30_days.sql'), 'utf8')).toContain('INTERVAL 31 DAY');
    expect(roster(['--project', dir, 'compile', '--check']).code).toBe(0);
    // A final newline missing, or one too many, is said in words.
    const plan = path.join(dir, 'compiled/duckdb/_run.sql');
    const text = readFileSync(plan, 'utf8');
    writeFileSync(plan, text.trimEnd());
    expect(roster(['--project', dir, 'compile', '--check']).stderr).toMatch(/_run.sql: differs \(line \d+: the committed file ends before it \(its final newline is missing\)\)/);
    writeFileSync(plan, `${text}\n\n`);
    expect(roster(['--project', dir, 'compile', '--check']).stderr).toMatch(/_run.sql: differs \(line \d+: committed "", now the file ends before it \(extra newlines at the end\)\)/);
  });

  it('compile --check passes on a checkout with CRLF line ends (git autocrlf on Windows), and compile writes the same files', () => {
    const dir = exampleCopy();
    const crlf = (folder: string) => {
      for (const f of readdirSync(folder, { recursive: true, encoding: 'utf8' }).map((x) => path.join(folder, x)).filter((x) => /\.(yml|sql)$/.test(x))) {
        writeFileSync(f, readFileSync(f, 'utf8').replace(/\r?\n/g, '\r\n'));
      }
    };
    crlf(path.join(dir, 'definitions'));
    crlf(path.join(dir, 'compiled'));
    const check = roster(['--project', dir, 'compile', '--check']);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    // Written anew from CRLF sources: byte for byte the files compiled from LF ones.
    rmSync(path.join(dir, 'compiled'), { recursive: true });
    expect(roster(['--project', dir, 'compile']).code).toBe(0);
    const compiled = path.join(EXAMPLE, 'compiled/duckdb');
    for (const f of readdirSync(compiled)) expect(readFileSync(path.join(dir, 'compiled/duckdb', f), 'utf8'), f).toBe(readFileSync(path.join(compiled, f), 'utf8'));
  });

  it('compile never embeds a run\'s values: as_of is a parameter', () => {
    const sql = readFileSync(path.join(EXAMPLE, 'compiled/duckdb/logins_past_30_days.sql'), 'utf8');
    expect(sql).toContain('$as_of');
    expect(sql).not.toMatch(/20\d\d-\d\d-\d\d/);
  });

  it('--version prints the package version; every option of demo and preview is described in --help', () => {
    const version = roster(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    expect(roster(['demo', '--help']).stdout).toMatch(/--users <n>\s+how many users \(default 2000\)/);
    expect(roster(['preview', '--help']).stdout).toMatch(/--limit <n>\s+how many members or values to show/);
  });

  it('a mistyped flag or command: the error and a pointer to --help, not the whole help that would scroll it away', () => {
    const flag = roster(['run', '--asof', '2024-06-01']);
    expect(flag.code).toBe(1);
    expect(flag.stderr.trim().split('\n')).toEqual(["error: unknown option '--asof'", '(Did you mean --as-of?)', '(roster run --help lists its options)']);
    const command = roster(['frobnicate']);
    expect(command.code).toBe(1);
    expect(command.stderr.trim().split('\n')).toEqual(["error: unknown command 'frobnicate'", '(roster --help lists the commands)']);
  });

  it('arguments: a bad --as-of, an unknown --select key or preview key, an unknown flag exit 1', () => {
    const dir = exampleCopy();
    expect(roster(['--project', dir, 'run', '--as-of', 'yesterday']).code).toBe(1);
    // An as_of in the future is allowed, with a warning: it would hold back later runs at now.
    const future = roster(['--project', dir, 'run', '--as-of', '2999-01-01', '--select', 'feature_count']);
    expect(future.stderr).toContain('warning: as_of 2999-01-01T00:00:00.000Z is in the future: once committed, runs at an earlier as_of (the default, now) are refused until then');
    // A day that does not exist is refused, not rolled over to March 2.
    const feb31 = roster(['--project', dir, 'run', '--as-of', '2024-02-31', '--dry-run']);
    expect(feb31.code).toBe(1);
    expect(feb31.stdout).not.toContain('2024-03-02');
    // An empty selection (a script's --select "$CHANGED" with nothing changed) is no full run.
    const empty = roster(['--project', dir, 'run', '--select', ' ', '--dry-run']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("option '--select <keys...>' argument ' ' is invalid. give at least one key or selector");
    // So is an empty project folder (--project "$DIR" with DIR unset): it is not the current folder.
    const noFolder = roster(['--project', '', 'run', '--dry-run']);
    expect(noFolder.code).toBe(1);
    expect(noFolder.stderr).toContain("option '--project <dir>' argument '' is invalid. give a folder; leave --project out for the current folder");
    const sel = roster(['--project', dir, 'run', '--select', 'logins_past_30_dayz', '--dry-run']);
    expect(sel.code).toBe(1);
    expect(sel.stderr).toContain('logins_past_30_days');
    expect(roster(['--project', dir, 'preview', 'nope']).code).toBe(1);
    expect(roster(['--project', dir, 'preview', 'logins_past_30_dayz']).stderr).toContain('error: no definition has the key "logins_past_30_dayz"; did you mean "logins_past_30_days"?');
    expect(roster(['--project', dir, 'run', '--frobnicate']).code).toBe(1);
  });

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

  it('a Postgres source schema longer than Postgres keeps (63 bytes) is refused where roster.yml names it, before connecting', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'roster-pg-name-'));
    mkdirSync(path.join(dir, 'definitions'));
    writeFileSync(path.join(dir, 'roster.yml'), `name: x\nwarehouse: { dialect: postgres, url: "postgres://u@127.0.0.1:1/db" }\nsource:\n  schema: ${'s'.repeat(62)}é\n`);
    const r = roster(['--project', dir, 'run', '--as-of', '2024-06-01']);
    expect(r).toMatchObject({ code: 1, stderr: expect.stringContaining('roster.yml:4:11 source.schema: Postgres names are at most 63 bytes, and this one is 64') });
  });

  it('validate shows the warnings of valid files beside the problems of the others', () => {
    const dir = exampleCopy();
    writeFileSync(path.join(dir, 'definitions/warned.yml'), 'kind: computed_trait\nkey: warned\nentity: user\ntype: event_counter\nevent: Logged In\nfunction: sum\n');
    writeFileSync(path.join(dir, 'definitions/broken.yml'), 'kind: computed_trait\nkey: broken\nentity: user\ntype: nope\n');
    const r = roster(['--project', dir, 'validate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('warning: definitions/warned.yml:6:1 function: function is only for aggregation, not event_counter: ignored');
    expect(r.stderr).toContain('definitions/broken.yml:4:7 type:');
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

  it('a postgres url that is not a URL (an unescaped / in the password) is exit 1 at warehouse.url, without repeating it', () => {
    const dir = exampleCopy();
    writeFileSync(path.join(dir, 'roster.yml'), 'name: pg\nwarehouse:\n  dialect: postgres\n  url: ${DATABASE_URL}\ndestinations:\n  - { name: crm, type: jsonl, path: out/crm.jsonl }\n');
    const r = roster(['--project', dir, 'run', '--dry-run', '--as-of', '2024-06-03'], { env: { DATABASE_URL: 'postgres://u:pa/ss@127.0.0.1:5432/db' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('roster.yml:4:8 warehouse.url: not a postgres:// URL');
    expect(r.stderr).not.toContain('pa/ss');
    // validate says so too, without connecting: not only the first run.
    const v = roster(['--project', dir, 'validate'], { env: { DATABASE_URL: 'postgres://u:pa/ss@127.0.0.1:5432/db' } });
    expect(v).toMatchObject({ code: 1, stderr: 'roster.yml:4:8 warehouse.url: not a postgres:// URL (postgres://user:password@host:5432/database; percent-encode / # ? @ : in the password)\n1 problem found\n' });
    // Beside a definition's problem, not only once that is fixed.
    writeFileSync(path.join(dir, 'definitions/broken.yml'), 'kind: nope\n');
    const both = roster(['--project', dir, 'validate'], { env: { DATABASE_URL: 'postgres://u:pa/ss@127.0.0.1:5432/db' } });
    expect(both.stderr.split('\n').slice(0, 3)).toEqual([
      'roster.yml:4:8 warehouse.url: not a postgres:// URL (postgres://user:password@host:5432/database; percent-encode / # ? @ : in the password)',
      expect.stringMatching(/^definitions\/broken\.yml:1:7 kind: /),
      '2 problems found',
    ]);
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

  it('init creates a project with example definitions and refuses to overwrite one', () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'roster-init-')), 'acme');
    const init = roster(['init', dir]);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(`next: roster --project ${dir} demo && roster --project ${dir} run --as-of 2024-06-03T00:00:00.000Z`);
    // Named after its folder, not the example it starts from.
    expect(readFileSync(path.join(dir, 'roster.yml'), 'utf8')).toMatch(/^name: "acme"$/m);
    const schema = JSON.parse(readFileSync(path.join(dir, '.roster/definition.schema.json'), 'utf8'));
    expect(JSON.stringify(schema)).toContain('computed_trait');
    expect(roster(['--project', dir, 'validate']).code).toBe(0);
    expect(roster(['init', dir]).code).toBe(1);
  });

  it('init, then run before any data: every definition runs on the empty warehouse, exit 0 (SPEC 3: missing tables are empty)', () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'roster-init-')), 'acme');
    expect(roster(['init', dir]).code).toBe(0);
    const r = roster(['--project', dir, 'run', '--as-of', '2024-06-01']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/definitions ok/);
    expect(r.stderr).toContain('warning: active_users_30d: {{source "groups"}}: table main.groups does not exist; read as empty');
  });

  it('init into an existing folder never overwrites a file: a definition file of the same name stops it, a .gitignore is kept', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'roster-init-'));
    mkdirSync(path.join(dir, 'definitions'));
    writeFileSync(path.join(dir, 'definitions/avg_nps.yml'), '# mine\n');
    writeFileSync(path.join(dir, '.gitignore'), 'mine\n');
    const refused = roster(['init', dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(`error: ${path.join(dir, 'definitions/avg_nps.yml')} already exists: not overwriting it`);
    expect(existsSync(path.join(dir, 'roster.yml'))).toBe(false);
    expect(readFileSync(path.join(dir, 'definitions/avg_nps.yml'), 'utf8')).toBe('# mine\n');
    rmSync(path.join(dir, 'definitions/avg_nps.yml'));
    const init = roster(['init', dir]);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('kept your .gitignore: add warehouse.duckdb*, out/, target/ to it');
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('mine\n');
    expect(roster(['--project', dir, 'validate']).code).toBe(0);
  });

  it('compile: a definition keyed run keeps its file; the run plan is _run.sql', () => {
    const dir = exampleCopy();
    writeFileSync(path.join(dir, 'definitions/run.yml'), 'kind: computed_trait\nkey: run\nentity: user\ntype: event_counter\nevent: Logged In\n');
    expect(roster(['--project', dir, 'compile']).code).toBe(0);
    expect(readFileSync(path.join(dir, 'compiled/duckdb/run.sql'), 'utf8')).toMatch(/^-- roster computed_trait run \(user\), duckdb/);
    expect(readFileSync(path.join(dir, 'compiled/duckdb/_run.sql'), 'utf8')).toContain('_run_run');
    expect(roster(['--project', dir, 'compile', '--check']).code).toBe(0);
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

  it('init into a folder that cannot be made: exit 1 naming it, no stack trace', () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'roster-init-'));
    writeFileSync(path.join(parent, 'a-file'), 'x');
    const r = roster(['init', path.join(parent, 'a-file', 'acme')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: cannot create the project folder ${path.join(parent, 'a-file', 'acme')}: a part of its path is a file, not a folder`);
    noStack(r.stderr);
  });

  it('compile into a compiled/ folder that cannot be written: exit 1 naming the file, no stack trace', () => {
    const dir = exampleCopy();
    rmSync(path.join(dir, 'compiled'), { recursive: true, force: true });
    writeFileSync(path.join(dir, 'compiled'), 'x');
    const r = roster(['--project', dir, 'compile']);
    expect(r).toMatchObject({ code: 1, stderr: expect.stringContaining('compiled/duckdb: cannot write the compiled SQL: a part of its path is a file, not a folder') });
    noStack(r.stderr);
    rmSync(path.join(dir, 'compiled'));
    mkdirSync(path.join(dir, 'compiled', 'duckdb', 'avg_nps.sql'), { recursive: true });
    const folder = roster(['--project', dir, 'compile']);
    expect(folder).toMatchObject({ code: 1, stderr: expect.stringContaining('compiled/duckdb/avg_nps.sql: cannot write the compiled SQL: it is a folder') });
  });

  it('a project without a definitions/ folder is warned about; definition files are found whatever the case of .yml', () => {
    const dir = exampleCopy();
    renameSync(path.join(dir, 'definitions'), path.join(dir, 'defs'));
    const none = roster(['--project', dir, 'validate']);
    expect(none).toMatchObject({ code: 0, stderr: expect.stringContaining('warning: definitions: no such folder: the project has no definitions') });
    renameSync(path.join(dir, 'defs'), path.join(dir, 'definitions'));
    renameSync(path.join(dir, 'definitions', 'avg_nps.yml'), path.join(dir, 'definitions', 'avg_nps.YML'));
    const upper = roster(['--project', dir, 'validate']);
    expect(upper).toMatchObject({ code: 0, stdout: expect.stringContaining('19 definitions valid') });
  });
});
