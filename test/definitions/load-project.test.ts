import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/definitions/load-project.js';
import { ProjectError } from '../../src/definitions/project.js';
import { tempProject, yml } from './temp-project.js';

const logins = yml('kind: computed_trait', 'key: logins', 'entity: user', 'type: event_counter', 'event: Logged In');

describe('loadProject', () => {
  it('applies every default of roster.yml when it is empty', async () => {
    const project = await loadProject(tempProject({ 'roster.yml': '' }));
    expect(project.config).toEqual({
      name: 'roster',
      warehouse: { dialect: 'duckdb', path: './warehouse.duckdb' },
      source: { schema: 'main', layout: 'segment', deduplicate: false },
      state: { schema: 'roster' },
      destinations: [],
    });
    expect(project.definitions).toEqual([]);
  });

  it('refuses two jsonl destinations that are one file through a link (out/ and link -> out/)', async () => {
    const dir = tempProject({ 'roster.yml': yml('destinations:', '  - { name: a, type: jsonl, path: out/crm.jsonl }', '  - { name: b, type: jsonl, path: link/crm.jsonl }') });
    mkdirSync(join(dir, 'out'));
    symlinkSync(join(dir, 'out'), join(dir, 'link'));
    const err = await loadProject(dir).catch((e: unknown) => e);
    expect((err as ProjectError).problems).toEqual([expect.objectContaining({
      file: 'roster.yml', line: 3, path: 'destinations[1].path', message: 'the same file as destinations[0] (out/crm.jsonl): a jsonl destination needs a file of its own',
    })]);
  });

  it('refuses two jsonl destinations that are one file through a hard link', async () => {
    const dir = tempProject({ 'roster.yml': yml('destinations:', '  - { name: a, type: jsonl, path: out/crm.jsonl }', '  - { name: b, type: jsonl, path: out/copy.jsonl }') });
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'crm.jsonl'), '');
    linkSync(join(dir, 'out', 'crm.jsonl'), join(dir, 'out', 'copy.jsonl'));
    const err = await loadProject(dir).catch((e: unknown) => e);
    expect((err as ProjectError).problems?.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'destinations[1].path: the same file as destinations[0] (out/crm.jsonl): a jsonl destination needs a file of its own',
    ]);
  });

  it('fills in destination defaults: all calls and the Segment event names', async () => {
    const project = await loadProject(tempProject({ 'roster.yml': yml('destinations:', '  - { name: crm, type: jsonl, path: out/crm.jsonl }') }));
    expect(project.config.destinations).toEqual([{
      name: 'crm', type: 'jsonl', path: 'out/crm.jsonl', calls: ['group', 'identify', 'track'],
      events: { audience_entered: 'Audience Entered', audience_exited: 'Audience Exited', trait_computed: 'Trait Computed' },
    }]);
  });

  it('defaults a destination\'s type (http with a url, else jsonl) and its name (its type), as every field but path or url has one', async () => {
    const project = await loadProject(tempProject({ 'roster.yml': yml('destinations:', '  - { name: crm, path: out/crm.jsonl }', '  - { url: "https://api.segment.io/v1/batch" }', '  - { type: stdout }') }));
    expect(project.config.destinations.map((d) => [d.name, d.type])).toEqual([['crm', 'jsonl'], ['http', 'http'], ['stdout', 'stdout']]);
    const twice = await loadProject(tempProject({ 'roster.yml': yml('destinations:', '  - { path: out/a.jsonl }', '  - { path: out/b.jsonl }') })).catch((e: unknown) => e);
    expect((twice as ProjectError).problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`)).toEqual([
      '3:5 destinations[1]: destination "jsonl" is already defined at destinations[0] (a destination without a name is named after its type): give each a name',
    ]);
  });

  it('replaces ${VAR} in roster.yml from the environment, and keeps $${VAR} literal', async () => {
    const dir = tempProject({
      'roster.yml': yml('warehouse:', '  dialect: snowflake', '  account: ${ACCOUNT}', '  username: app', '  password: $${NOT_A_VAR}',
        'destinations:', '  - { name: segment, type: http, url: "https://${HOST}/v1/batch", write_key: "${KEY}" }'),
    });
    const project = await loadProject(dir, { env: { ACCOUNT: 'xy12345', HOST: 'api.segment.io', KEY: 's3cret' } });
    expect(project.config.warehouse).toMatchObject({ account: 'xy12345', password: '${NOT_A_VAR}' });
    expect(project.config.destinations[0]).toMatchObject({ url: 'https://api.segment.io/v1/batch', write_key: 's3cret' });
  });

  it('reads a whole ${VAR} as a number or a boolean where roster.yml wants one (quoted, or copied by a merge), and as text elsewhere', async () => {
    const dir = tempProject({
      'roster.yml': yml('warehouse:', '  statement_timeout_ms: ${TIMEOUT}', '  path: ${DIGITS}', 'source:', '  deduplicate: "${DEDUP}"',
        'destinations:', '  - &seg', '    name: seg', '    url: https://api.segment.io/v1/batch', '    max_retries: ${RETRIES}', '    write_key: ${DIGITS}',
        '  - <<: *seg', '    name: seg2', '  - { name: seg3, url: "https://api.segment.io/v1/batch", timeout_ms: "${DIGITS}" }'),
    });
    const project = await loadProject(dir, { env: { TIMEOUT: '5000', DIGITS: '12345', DEDUP: 'true', RETRIES: '2' } });
    expect(project.config.warehouse).toMatchObject({ statement_timeout_ms: 5000, path: '12345' });
    expect(project.config.source.deduplicate).toBe(true);
    expect(project.config.destinations.map((d) => d.type === 'http' && [d.name, d.max_retries, d.timeout_ms, d.write_key])).toEqual([
      ['seg', 2, 10_000, '12345'], ['seg2', 2, 10_000, '12345'], ['seg3', 5, 12345, undefined],
    ]);
    // A literal string stays one, whatever the variables hold: only a ${VAR}'s own places are typed.
    const literal = tempProject({ 'roster.yml': yml('name: ${PROJECT}', 'source:', '  deduplicate: "true"') });
    await expect(loadProject(literal, { env: { PROJECT: 'true' } })).rejects.toThrow('roster.yml:3:16 source.deduplicate: expected true or false, got the string "true"');
    const wrong = tempProject({ 'roster.yml': yml('source:', '  deduplicate: ${DEDUP}', 'warehouse:', '  statement_timeout_ms: ${TIMEOUT}') });
    await expect(loadProject(wrong, { env: { DEDUP: 'yes', TIMEOUT: '-1' } })).rejects.toThrow([
      'roster.yml:2:16 source.deduplicate: expected true or false, got the string "yes"',
      'roster.yml:4:25 warehouse.statement_timeout_ms: must be greater than 0, got the number -1',
    ].join('\n'));
    const flow = tempProject({ 'roster.yml': yml('warehouse: { dialect: postgres, url: ${DATABASE_URL} }') });
    await expect(loadProject(flow, { env: { DATABASE_URL: 'postgres://db' } })).rejects.toThrow(
      'roster.yml:1:39: YAML syntax error: Unexpected flow-map-start at node end: a ${NAME} inside { } or [ ] is quoted, "${NAME}"');
  });

  // ${WAREHOUSE_PATH:-./w.duckdb} was kept as text: a run made a folder named "${WAREHOUSE_PATH:-." (a fuzz review).
  it('refuses a ${ that starts no ${NAME} reference, with its place; $${ stays a literal ${', async () => {
    for (const value of ['${WAREHOUSE_PATH:-./w.duckdb}', '${ X }', '${}', './w${X', '${X with spaces}']) {
      const dir = tempProject({ 'roster.yml': yml('warehouse:', `  path: "${value}"`) });
      await expect(loadProject(dir, { env: { X: 'x' } })).rejects.toThrow(`roster.yml:2:9 warehouse.path: ${JSON.stringify(value)} holds a \${ that is no \${NAME} reference`);
    }
    const dir = tempProject({ 'roster.yml': yml('warehouse:', '  path: "./$${HOME}.duckdb"') });
    expect((await loadProject(dir, { env: { HOME: '/root' } })).config.warehouse).toMatchObject({ path: './${HOME}.duckdb' });
  });

  it('reports every unset variable with its place', async () => {
    const dir = tempProject({ 'roster.yml': yml('warehouse:', '  url: ${A}/${B}') });
    await expect(loadProject(dir, { env: { A: 'x' } })).rejects.toThrow('roster.yml:2:8 warehouse.url: environment variable B is not set (used as ${B})');
  });

  it('a variable named like what every object inherits (toString, constructor) is unset unless the environment sets it', async () => {
    const dir = tempProject({ 'roster.yml': yml('destinations:', '  - { name: crm, path: "out/${toString}.jsonl" }', '  - { name: seg, url: "http://127.0.0.1:1/v1/batch", write_key: "${constructor}" }') });
    const error = await loadProject(dir, { env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectError);
    expect((error as ProjectError).problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'destinations[0].path: environment variable toString is not set (used as ${toString})',
      'destinations[1].write_key: environment variable constructor is not set (used as ${constructor})',
    ]);
    const { config } = await loadProject(dir, { env: { toString: 'crm', constructor: 'k' } });
    expect(config.destinations.map((d) => (d.type === 'http' ? d.write_key : d.path))).toEqual(['out/crm.jsonl', 'k']);
  });

  it('takes constructor as a key and as a SQL trait column: it is no reserved name', async () => {
    const asKey = tempProject({
      'roster.yml': '',
      'definitions/constructor.yml': yml('kind: computed_trait', 'key: constructor', 'entity: user', 'type: event_counter', 'event: Logged In'),
    });
    expect((await loadProject(asKey)).definitions.map((d) => d.key)).toEqual(['constructor']);
    const asColumn = tempProject({
      'roster.yml': '',
      'definitions/info.yml': yml('kind: sql_trait', 'key: info', 'entity: user', 'traits: [constructor]', 'sql: SELECT user_id, 2 AS "constructor" FROM {{source "tracks"}}'),
    });
    expect((await loadProject(asColumn)).definitions).toMatchObject([{ key: 'info', traits: ['constructor'] }]);
  });

  it('an unset variable where a number is wanted is one problem, not also "expected a number"', async () => {
    const dir = tempProject({ 'roster.yml': yml('destinations:', '  - { name: seg, url: "http://127.0.0.1:1/v1/batch", max_retries: "${RETRIES}" }') });
    const error = await loadProject(dir, { env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectError);
    expect((error as ProjectError).problems.map((p) => p.message)).toEqual(['environment variable RETRIES is not set (used as ${RETRIES})']);
  });

  it('defaults the fields of definitions (where, scope, count, min_frequency, traits)', async () => {
    const dir = tempProject({
      'roster.yml': '',
      'definitions/logins.yml': logins,
      'definitions/fav.yml': yml('kind: computed_trait', 'key: fav', 'entity: user', 'type: most_frequent', 'event: [Viewed, Clicked]', 'property: page'),
      'definitions/active.yml': yml('kind: audience', 'key: active', 'entity: user', 'where:', '  event: { name: Logged In }'),
      'definitions/score.yml': yml('kind: sql_trait', 'key: score', 'entity: user', 'sql: SELECT user_id, 1 AS score FROM {{source "tracks"}}'),
    });
    const { definitions } = await loadProject(dir);
    expect(definitions.map((d) => d.key)).toEqual(['active', 'fav', 'logins', 'score']);
    const [active, fav, login, score] = definitions;
    expect(active).toMatchObject({ file: 'definitions/active.yml', where: { kind: 'event', name: 'Logged In', where: [], count: { op: 'gte', value: 1 }, scope: 'all_events' } });
    expect(fav).toMatchObject({ events: ['Viewed', 'Clicked'], min_frequency: 2, where: [], scope: 'all_events' });
    expect(login).toMatchObject({ events: ['Logged In'], where: [], scope: 'all_events', min_frequency: undefined });
    expect(score).toMatchObject({ traits: ['score'], template: 'SELECT user_id, 1 AS score FROM {{source "tracks"}}' });
  });

  it('loads a sql_file relative to its .yml, in nested folders and .yaml files too', async () => {
    const sql = 'SELECT group_id, count(*) AS seats\nFROM {{source "groups"}}\nWHERE timestamp <= {{as_of}}\nGROUP BY 1\n';
    const dir = tempProject({
      'roster.yml': '',
      'definitions/accounts/seats.yaml': yml('kind: sql_trait', 'key: seats', 'entity: account', 'traits: [seats]', 'sql_file: sql/seats.sql'),
      'definitions/accounts/sql/seats.sql': sql,
      // Hidden files are not read: macOS's AppleDouble copy of a file, an editor's folder.
      'definitions/accounts/._seats.yaml': '\u0000\u0005\u0016\u0007 Mac OS X',
      'definitions/.drafts/seats.yml': yml('kind: sql_trait', 'key: seats', 'entity: account', 'sql: SELECT 1'),
    });
    const [seats, ...others] = (await loadProject(dir)).definitions;
    expect(others).toEqual([]);
    expect(seats).toMatchObject({ kind: 'sql_trait', key: 'seats', file: 'definitions/accounts/seats.yaml', template: sql, traits: ['seats'] });
  });

  it('parses windows into instants and durations', async () => {
    const dir = tempProject({
      'roster.yml': '',
      'definitions/a.yml': yml('kind: computed_trait', 'key: a', 'entity: user', 'type: event_counter', 'event: X', 'window: { from: 2024-01-01, to: "2024-02-01T12:00:00+02:00" }'),
      'definitions/b.yml': yml('kind: computed_trait', 'key: b', 'entity: user', 'type: event_counter', 'event: X', 'window: { last: 2 weeks }'),
    });
    const [a, b] = (await loadProject(dir)).definitions;
    expect(a).toMatchObject({ window: { kind: 'between', from: new Date('2024-01-01T00:00:00Z'), to: new Date('2024-02-01T10:00:00Z') } });
    expect(b).toMatchObject({ window: { kind: 'last', duration: { amount: 2, unit: 'week' } } });
  });

  it('collects problems of every file instead of stopping at the first', async () => {
    const dir = tempProject({
      'roster.yml': yml('warehouse: { dialect: sqlite }'),
      'definitions/a.yml': yml('kind: computed_trait', 'key: a', 'entity: user', 'type: event_counter'),
      'definitions/b.yml': yml('kind: audience', 'key: b', 'entity: user', 'where:', '  audience: { key: nope }'),
    });
    const error = await loadProject(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectError);
    expect((error as ProjectError).problems.map((p) => p.file)).toEqual(['roster.yml', 'definitions/a.yml', 'definitions/b.yml']);
  });

  it('a project folder that is a file, a definitions file, a folder named x.yml, a link to nothing and an alias bomb are located problems', async () => {
    const problems = async (dir: string) => loadProject(dir).then(() => [], (e: unknown) => (e as ProjectError).problems.map((p) => `${p.file}: ${p.message}`));
    const file = join(tempProject({ 'roster.yml': '' }), 'roster.yml');
    expect(await problems(file)).toEqual([`${file}: is a file: the project is a folder holding roster.yml`]);
    expect(await problems(`${file}-missing`)).toEqual([`${file}-missing: no such folder: the project is a folder holding roster.yml (--project, or the current folder)`]);
    expect(await problems(tempProject({ 'roster.yml': '', definitions: 'x' }))).toEqual(['definitions: is a file, not the folder of definition files']);
    const dir = tempProject({ 'roster.yml': '', 'definitions/ok.yml': logins });
    mkdirSync(join(dir, 'definitions/folder.yml'));
    symlinkSync(join(dir, 'nowhere.yml'), join(dir, 'definitions/dangling.yml'));
    // Each level repeats the one before nine times: 9^10 nodes if the yaml library expanded them all.
    const levels = ['a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1]', ...Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]`)];
    writeFileSync(join(dir, 'definitions/bomb.yml'), yml(...levels));
    expect(await problems(dir)).toEqual([
      'definitions/bomb.yml: cannot read this YAML: its aliases (*name) copy more than 10000 nodes, which roster does not expand (an alias of an alias of ...?)',
      'definitions/dangling.yml: cannot read this definition file: it is a link to nothing',
      'definitions/folder.yml: cannot read this definition file: it is a folder, not a file',
    ]);
  });

  // A pipe named x.yml or as a sql_file blocked validate for ever; a sql_file linked to /etc/passwd
  // was read and written into compiled/ (a fuzz review).
  it('refuses a pipe as a definition file or sql_file, a sql_file that is a folder, and one linked outside the project', async () => {
    const problems = async (dir: string) => loadProject(dir).then(() => [], (e: unknown) => (e as ProjectError).problems.map((p) => `${p.file}:${p.line ?? ''} ${p.message}`));
    const trait = (key: string, file: string) => yml('kind: sql_trait', `key: ${key}`, 'entity: user', `sql_file: ${file}`);
    const outside = tempProject({ 'secret.sql': "SELECT 'u1' AS user_id, 1 AS leaked" });
    const dir = tempProject({
      'roster.yml': '', 'definitions/ok.yml': logins,
      'definitions/piped.yml': trait('piped', 'piped.sql'), 'definitions/linked.yml': trait('linked', 'linked.sql'),
      'definitions/folder.yml': trait('folder', 'sub'), 'definitions/inside.yml': trait('inside', 'inside.sql'), 'definitions/real.sql': "SELECT 'u1' AS user_id, 1 AS inside",
    });
    execFileSync('mkfifo', [join(dir, 'definitions/pipe.yml'), join(dir, 'definitions/piped.sql')]);
    symlinkSync(join(outside, 'secret.sql'), join(dir, 'definitions/linked.sql'));
    symlinkSync(join(dir, 'definitions/real.sql'), join(dir, 'definitions/inside.sql')); // a link within the project is fine
    mkdirSync(join(dir, 'definitions/sub'));
    expect(await problems(dir)).toEqual([
      'definitions/folder.yml:4 sql_file "sub" is a folder, not a file',
      'definitions/linked.yml:4 sql_file "linked.sql" is a link to a file outside the project folder: keep the SQL itself in the project, next to its .yml',
      'definitions/pipe.yml: cannot read this definition file: it is not a regular file (a pipe, a socket or a device)',
      'definitions/piped.yml:4 sql_file "piped.sql" is not a regular file (a pipe, a socket or a device)',
    ]);
  });

  // The yaml library's default refused any file copying more than 100 nodes through aliases (a fuzz review).
  it('reads old-Mac files whose lines end in a lone CR, and places their problems by those lines', async () => {
    const cr = (text: string) => text.replace(/\n/g, '\r');
    const dir = tempProject({
      'roster.yml': cr(yml('name: acme', 'state: { schema: kept }')),
      'definitions/logins.yml': cr(logins),
      'definitions/bad.yml': cr(yml('kind: audience', 'key: bad', 'entity: acount', 'where:', '  trait: { key: plan, op: exists }')),
    });
    const error = await loadProject(dir).catch((e: unknown) => e);
    expect((error as ProjectError).problems.map((p) => `${p.file}:${p.line}:${p.column}`)).toEqual(['definitions/bad.yml:3:9']);
    writeFileSync(join(dir, 'definitions/bad.yml'), cr(yml('kind: audience', 'key: bad', 'entity: user', 'description: "two', '  lines"', 'where:', '  trait: { key: logins, op: gt, value: 1 }')));
    const p = await loadProject(dir);
    expect([p.config.name, p.config.state.schema, p.definitions.map((d) => [d.key, d.description])]).toEqual(['acme', 'kept', [['bad', 'two lines'], ['logins', undefined]]]);
  });

  it('reads a file naming one anchor 150 times', async () => {
    const leaves = Array.from({ length: 150 }, () => '    - trait: { key: plan, op: eq, value: *v }');
    const dir = tempProject({ 'roster.yml': '', 'definitions/a.yml': yml('kind: audience', 'key: a', 'entity: user', 'where:', '  any:', '    - trait: { key: plan, op: eq, value: &v pro }', ...leaves) });
    const p = await loadProject(dir);
    expect(p.definitions.map((d) => d.key)).toEqual(['a']);
  });

  it('merges `<<` keys as YAML 1.1 and PyYAML do, and refuses a tag it does not know instead of dropping it', async () => {
    const merged = yml('kind: computed_trait', 'key: big_orders', 'entity: user', 'type: event_counter', 'event: Order Completed', 'where:',
      '  - &pro { property: plan, op: eq, value: pro }', '  - { <<: *pro, property: tier }', '  - <<: *pro', '    value: gold');
    const project = await loadProject(tempProject({ 'roster.yml': '', 'definitions/big_orders.yml': merged }));
    expect(project.definitions[0]).toMatchObject({ where: [
      { property: 'plan', predicate: { op: 'eq', value: 'pro' } },
      { property: 'tier', predicate: { op: 'eq', value: 'pro' } },
      { property: 'plan', predicate: { op: 'eq', value: 'gold' } },
    ] });
    const located = async (text: string) => loadProject(tempProject({ 'roster.yml': '', 'definitions/x.yml': text }))
      .then(() => [], (e: unknown) => (e as ProjectError).problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`));
    expect(await located(logins.replace('event: Logged In', 'event: !name Logged In'))).toEqual([
      'definitions/x.yml:5:8: YAML syntax error: unknown tag !name; definitions are plain YAML (strings, numbers, booleans, lists, mappings)',
    ]);
    expect(await located(yml(logins, 'where:', '  - <<: 5', '    op: exists'))).toEqual([
      'definitions/x.yml:8:9: cannot read this YAML: Merge sources must be maps or map aliases',
    ]);
  });

  it('refuses an alias inside the value it names (a value without end), in a definition and in roster.yml', async () => {
    const messages = async (files: Record<string, string>) => loadProject(tempProject(files))
      .then(() => [], (e: unknown) => (e as ProjectError).problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`));
    expect(await messages({ 'roster.yml': '', 'definitions/x.yml': yml('kind: audience', 'key: x', 'entity: user', 'where: &a', '  not: *a') })).toEqual([
      'definitions/x.yml:5:8: YAML syntax error: the alias *a is inside the value it names (&a), which would never end',
    ]);
    // A merge of the mapping it is in: the library gives up building it ("excessive alias count").
    const selfMerge = yml('kind: audience', 'key: z', 'entity: user', 'where:', '  all:', '    - trait: &t', '        key: logins', '        <<: *t');
    expect(await messages({ 'roster.yml': '', 'definitions/z.yml': selfMerge })).toEqual([
      'definitions/z.yml:8:13: YAML syntax error: the alias *t is inside the value it names (&t), which would never end',
    ]);
    expect(await messages({ 'roster.yml': 'warehouse: &w { dialect: duckdb, path: *w }\n' })).toEqual([
      'roster.yml:1:40: YAML syntax error: the alias *w is inside the value it names (&w), which would never end',
    ]);
  });

  it('follows a link in definitions/ to a folder once: a link back up lists no file twice; roster.yml as a folder is a problem', async () => {
    const dir = tempProject({ 'roster.yml': '', 'definitions/logins.yml': logins });
    symlinkSync('.', join(dir, 'definitions/loop'));
    const project = await loadProject(dir);
    expect(project.definitions.map((d) => d.key)).toEqual(['logins']);
    const folder = tempProject({ 'definitions/logins.yml': logins });
    mkdirSync(join(folder, 'roster.yml'));
    const error = await loadProject(folder).catch((e: unknown) => e as ProjectError);
    expect(error?.problems?.map((p) => `${p.file}: ${p.message}`)).toEqual(['roster.yml: roster.yml is a folder, not the project\'s file']);
  });

  it('does not report references to a definition whose own file is broken', async () => {
    const dir = tempProject({
      'roster.yml': '',
      'definitions/a.yml': yml('kind: audience', 'key: a', 'entity: user', 'where:', '  evnt: { name: X }'),
      'definitions/b.yml': yml('kind: audience', 'key: b', 'entity: user', 'where:', '  audience: { key: a }'),
    });
    const error = (await loadProject(dir).catch((e: unknown) => e)) as ProjectError;
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ file: 'definitions/a.yml', line: 5, column: 3 });
  });

  it('accepts a user audience passing through an account audience, and user audiences inside users:', async () => {
    const dir = tempProject({
      'roster.yml': '',
      'definitions/paying.yml': yml('kind: audience', 'key: paying', 'entity: account', 'where:', '  trait: { key: plan, op: in, value: [pro, enterprise] }'),
      'definitions/champions.yml': yml('kind: audience', 'key: champions', 'entity: user', 'where:', '  all:', '    - audience: { key: paying }', '    - event: { name: Invited User }'),
      'definitions/covered.yml': yml('kind: audience', 'key: covered', 'entity: account', 'where:', '  users: any', '  where:', '    any:', '      - audience: { key: champions }', '      - audience: { key: paying, member: false }'),
    });
    expect((await loadProject(dir)).definitions.map((d) => d.key)).toEqual(['champions', 'covered', 'paying']);
  });

  it('accepts date filters on event properties and sensible comparisons on computed traits', async () => {
    const dir = tempProject({
      'roster.yml': '',
      'definitions/logins.yml': logins,
      'definitions/features.yml': yml('kind: computed_trait', 'key: features', 'entity: user', 'type: unique_list', 'event: Used', 'property: feature'),
      'definitions/a.yml': yml(
        'kind: audience', 'key: a', 'entity: user', 'where:', '  all:',
        '    - event: { name: Order Completed, where: [{ property: shipped_at, op: within_last, value: 7 days }, { property: placed_at, op: before, value: 2024-06-01 }] }',
        '    - trait: { key: logins, op: gte, value: 3 }',
        '    - trait: { key: features, op: contains, value: export }',
        '    - trait: { key: features, op: eq, value: [export, import] }',
      ),
    });
    await expect(loadProject(dir)).resolves.toBeDefined();
  });

  it('treats a trait key produced only for the other entity as a custom trait', async () => {
    const dir = tempProject({
      'roster.yml': '',
      'definitions/logins.yml': logins,
      'definitions/a.yml': yml('kind: audience', 'key: a', 'entity: account', 'where:', '  trait: { key: logins, op: contains, value: x }'),
    });
    await expect(loadProject(dir)).resolves.toBeDefined();
  });

  it('warns where a trait key is a column Segment writes for every call (segment layout): never a custom trait', async () => {
    const audience = (key: string, entity: string, trait: string) => yml('kind: audience', `key: ${key}`, `entity: ${entity}`, 'where:', `  trait: { key: ${trait}, op: exists }`);
    const files = {
      'definitions/a.yml': audience('a', 'user', 'received_at'),
      'definitions/b.yml': audience('b', 'account', 'context_ip'),
      'definitions/c.yml': audience('c', 'user', 'plan'),
      'definitions/d.yml': audience('d', 'user', 'sent_at'),
      'definitions/sent_at_too.yml': yml('kind: sql_trait', 'key: sent_at_too', 'entity: user', 'traits: [sent_at]', "sql: SELECT 'u1' AS user_id, 1 AS sent_at"),
    };
    const segment = await loadProject(tempProject({ 'roster.yml': '', ...files }));
    expect(segment.warnings?.map((w) => `${w.file}:${w.line}:${w.column} ${w.message}`)).toEqual([
      'definitions/a.yml:5:17 "received_at" is a column Segment writes for every identify call, never a custom trait (SPEC 3): this trait is always missing',
      'definitions/b.yml:5:17 "context_ip" is a column Segment writes for every group call, never a custom trait (SPEC 3): this trait is always missing',
    ]);
    // events_json: traits are the keys of the traits JSON, where any name may be one.
    const json = await loadProject(tempProject({ 'roster.yml': yml('source: { layout: events_json }'), ...files }));
    expect(json.warnings).toBeUndefined();
  });
});
