import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GITIGNORE } from '../../src/cli/commands/init.js';
import { validate } from '../../src/index.js';
import { EXAMPLE, exampleCopy, MAIN, noStack, ROOT, roster } from './roster-cli.js';

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
    // Asked of help, too; help of a command it knows is that command's usage.
    const help = roster(['help', 'frobnicate']);
    expect([help.code, help.stdout]).toEqual([1, '']);
    expect(help.stderr.trim().split('\n')).toEqual(["error: unknown command 'frobnicate'", '(roster --help lists the commands)']);
    const run = roster(['help', 'run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: roster run \[options\]\n/);
    expect(roster(['help']).stdout).toBe(roster(['--help']).stdout);
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

  it('init creates a project with example definitions and refuses to overwrite one', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'roster-init-')), 'acme');
    const init = roster(['init', dir]);
    expect(init.code).toBe(0);
    // roster is not on the test's PATH: the line runs this very file with node
    expect(init.stdout).toContain(`next: node ${realpathSync(MAIN)} --project ${dir} demo && node ${realpathSync(MAIN)} --project ${dir} run --as-of 2024-06-01T00:00:00.000Z`);
    // a folder a shell would split or unquote is quoted, so the line can be pasted
    const odd = path.join(mkdtempSync(path.join(tmpdir(), 'roster-init-')), "it's a $HOME");
    const word = /next: node \S+ --project (.+) demo && /.exec(roster(['init', odd]).stdout)?.[1] ?? '';
    expect(execFileSync('sh', ['-c', `printf %s ${word}`], { encoding: 'utf8' })).toBe(odd);
    // Its name keeps the folder's `${` as written: roster.yml would read ${HOME} as a variable.
    const dollar = path.join(mkdtempSync(path.join(tmpdir(), 'roster-init-')), 'dir ${HOME} $${X}');
    expect(roster(['init', dollar]).code).toBe(0);
    expect(readFileSync(path.join(dollar, 'roster.yml'), 'utf8')).toMatch(/^name: "dir \$\$\{HOME\} \$\$\$\{X\}"$/m);
    expect((await validate(dollar)).config.name).toBe(path.basename(dollar));
    // installed on the PATH (a link to this very file, as npm install -g makes): plain roster
    const bin = mkdtempSync(path.join(tmpdir(), 'roster-bin-'));
    symlinkSync(MAIN, path.join(bin, 'roster'));
    const onPath = roster(['init', path.join(bin, 'p')], { env: { PATH: `${bin}${path.delimiter}${process.env.PATH}` } });
    expect(onPath.stdout).toContain(`next: roster --project ${path.join(bin, 'p')} demo && roster --project`);
    // Named after its folder, not the example it starts from.
    expect(readFileSync(path.join(dir, 'roster.yml'), 'utf8')).toMatch(/^name: "acme"$/m);
    const schema = JSON.parse(readFileSync(path.join(dir, '.roster/definition.schema.json'), 'utf8'));
    expect(JSON.stringify(schema)).toContain('computed_trait');
    expect(roster(['--project', dir, 'validate']).code).toBe(0);
    expect(roster(['init', dir]).code).toBe(1);
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
    // A .gitignore that has the lines already is not told to add them.
    const ignored = mkdtempSync(path.join(tmpdir(), 'roster-init-'));
    writeFileSync(path.join(ignored, '.gitignore'), 'node_modules/\nwarehouse.duckdb*\nout/\n');
    expect(roster(['init', ignored]).stdout).toContain('kept your .gitignore: add target/ to it');
    writeFileSync(path.join(ignored, '.gitignore'), 'warehouse.duckdb*\r\nout/\r\ntarget/\r\n');
    rmSync(path.join(ignored, 'roster.yml'));
    rmSync(path.join(ignored, 'definitions'), { recursive: true });
    expect(roster(['init', ignored]).stdout).not.toContain('kept your .gitignore');
    // Written, not copied (npm leaves .gitignore files out of a package): the example's own lines.
    expect(GITIGNORE.map((l) => `${l}\n`).join('')).toBe(readFileSync(path.join(EXAMPLE, '.gitignore'), 'utf8'));
  });

  it('compile: a definition keyed run keeps its file; the run plan is _run.sql', () => {
    const dir = exampleCopy();
    writeFileSync(path.join(dir, 'definitions/run.yml'), 'kind: computed_trait\nkey: run\nentity: user\ntype: event_counter\nevent: Logged In\n');
    expect(roster(['--project', dir, 'compile']).code).toBe(0);
    expect(readFileSync(path.join(dir, 'compiled/duckdb/run.sql'), 'utf8')).toMatch(/^-- roster computed_trait run \(user\), duckdb/);
    expect(readFileSync(path.join(dir, 'compiled/duckdb/_run.sql'), 'utf8')).toContain('_run_run');
    expect(roster(['--project', dir, 'compile', '--check']).code).toBe(0);
  });

  it('init takes its folder once: DIR, or --project; two different ones are refused', () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'roster-init-'));
    const both = roster(['--project', path.join(parent, 'base'), 'init', path.join(parent, 'sub')]);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain(`error: init got two folders, ${JSON.stringify(path.join(parent, 'sub'))} and --project ${JSON.stringify(path.join(parent, 'base'))}: give one (roster init DIR)`);
    expect(readdirSync(parent)).toEqual([]);
    expect(roster(['--project', path.join(parent, 'base'), 'init']).code).toBe(0);
    expect(existsSync(path.join(parent, 'base', 'roster.yml'))).toBe(true);
    expect(roster(['--project', path.join(parent, 'same'), 'init', path.join(parent, 'same')]).code).toBe(0);
    expect(roster(['init', path.join(parent, 'plain')], { cwd: parent }).code).toBe(0);
    expect(readdirSync(parent).sort()).toEqual(['base', 'plain', 'same']);
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
