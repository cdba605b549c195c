import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AsOfError, compile, deliver, OptionError, ProjectError, run, validate, WarehouseError, type RunSummary } from '../../src/index.js';
import { exampleCopy, ROOT, roster } from './roster-cli.js';

/** What two runs of the same project at the same as_of share: everything but timings. */
const comparable = ({ timings_ms: _, ...rest }: RunSummary) => rest;

describe('roster as a library (package.json exports: dist/src/index.js)', () => {
  // Two copies of the example over the same demo data: one driven by the CLI, one by the library.
  let viaCli: string;
  let viaLibrary: string;
  beforeAll(() => {
    [viaCli, viaLibrary] = [exampleCopy(), exampleCopy()];
    for (const dir of [viaCli, viaLibrary]) expect(roster(['--project', dir, 'demo', '--users', '80', '--accounts', '12', '--days', '20']).code).toBe(0);
  }, 120_000);

  it('a package that depends on roster imports it by name', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', "const m = await import('roster'); console.log(Object.keys(m).sort().join(' '))"], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('AsOfError OptionError ProjectError WarehouseError compile deliver formatProblem run validate');
  });

  it('run gives what `run --json` prints, and sends the same messages', async () => {
    for (const asOf of ['2024-06-01T00:00:00.000Z', '2024-06-03T00:00:00.000Z']) {
      const cli = roster(['--project', viaCli, 'run', '--as-of', asOf, '--json']);
      expect(cli.code).toBe(0);
      const warnings: string[] = [];
      const summary = await run(viaLibrary, { asOf: new Date(asOf), onWarning: (w) => warnings.push(w) });
      expect(comparable(summary)).toEqual(comparable(JSON.parse(cli.stdout)));
      expect(summary.ok).toBe(true);
      expect(summary.definitions.some((d) => (d.entered ?? 0) + (d.changed ?? 0) > 0)).toBe(true);
      expect(warnings).toEqual([]);
    }
    const sent = (dir: string) => readFileSync(path.join(dir, 'out/crm.jsonl'), 'utf8');
    expect(sent(viaLibrary)).toBe(sent(viaCli));
    expect(sent(viaLibrary).length).toBeGreaterThan(0);
    // Everything went out with the run: nothing is left for deliver.
    const delivered = await deliver(viaLibrary);
    expect(delivered).toMatchObject({ ok: true, delivery: { ok: true, pending: 0, failed: 0 } });
    // As `deliver --json` prints it, but for its time.
    const cliDeliver = roster(['--project', viaCli, 'deliver', '--json']);
    expect({ ...delivered, timings_ms: {} }).toEqual({ ...JSON.parse(cliDeliver.stdout), timings_ms: {} });
  }, 120_000);

  it('an as_of before the last committed run is an AsOfError; a dry run there writes nothing', async () => {
    const before = readFileSync(path.join(viaLibrary, 'out/crm.jsonl'), 'utf8');
    await expect(run(viaLibrary, { asOf: new Date('2024-05-20T00:00:00Z') })).rejects.toBeInstanceOf(AsOfError);
    const dry = await run(viaLibrary, { asOf: new Date('2024-05-20T00:00:00Z'), dryRun: true });
    expect(dry).toMatchObject({ dry_run: true, run_id: null, delivery: null });
    expect(readFileSync(path.join(viaLibrary, 'out/crm.jsonl'), 'utf8')).toBe(before);
  }, 120_000);

  it('two runs at once in one process on one DuckDB file: one commits and delivers, the other is a WarehouseError and writes nothing', async () => {
    const dir = exampleCopy();
    expect(roster(['--project', dir, 'demo', '--users', '40', '--accounts', '6', '--days', '10']).code).toBe(0);
    const asOf = new Date('2024-06-01T00:00:00Z');
    const [a, b] = await Promise.allSettled([run(dir, { asOf }), run(dir, { asOf })]);
    const rejected = [a, b].filter((x) => x.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(WarehouseError);
    expect(String((rejected[0] as PromiseRejectedResult).reason.message)).toContain('in use by another roster run or deliver in this process');
    const lines = readFileSync(path.join(dir, 'out/crm.jsonl'), 'utf8').trim().split('\n');
    expect(new Set(lines.map((l) => JSON.parse(l).messageId)).size).toBe(lines.length);
    // Once the first is done the file is free again.
    expect((await run(dir, { asOf: new Date('2024-06-02T00:00:00Z') })).ok).toBe(true);
  }, 120_000);

  it('options the CLI would refuse as flags are an OptionError, before anything is read or written', async () => {
    const refused = async (p: Promise<unknown>, message: string) => {
      const e = await p.then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(OptionError);
      expect((e as Error).message).toContain(message);
    };
    await refused(run(viaLibrary, { asOf: new Date('x') }), 'asOf is an invalid Date');
    await refused(run(viaLibrary, { asOf: new Date('+010000-01-01T00:00:00Z') }), 'is outside the years 0001 to 9999');
    await refused(run(viaLibrary, { asOf: '2024-02-30' }), 'asOf "2024-02-30" is not an ISO-8601 date');
    await refused(run(viaLibrary, { select: ' ' }), 'select holds no key or selector');
    await refused(compile(viaLibrary, { dialect: 'mysql' as never }), 'dialect must be duckdb, postgres, snowflake; got "mysql"');
    // ISO text as --as-of takes it, and one string of selectors as --select does.
    const dry = await run(viaLibrary, { asOf: '2024-06-03', select: 'power_users +at_risk_accounts', dryRun: true });
    expect(dry.as_of).toBe('2024-06-03T00:00:00.000Z');
    const cli = JSON.parse(roster(['--project', viaLibrary, 'run', '--as-of', '2024-06-03', '--select', 'power_users +at_risk_accounts', '--dry-run', '--json']).stdout);
    expect(comparable(dry)).toEqual(comparable(cli));
    expect(dry.definitions.filter((d) => d.selected).map((d) => d.key)).toContain('power_users');
  });

  it('a run as of the future is told to onWarning; a ProjectError does not carry the settings in its enumerable fields', async () => {
    const dir = exampleCopy();
    const warnings: string[] = [];
    await run(dir, { asOf: new Date('2099-01-01T00:00:00Z'), select: ['power_users'], onWarning: (w) => warnings.push(w) });
    expect(warnings[0]).toBe('as_of 2099-01-01T00:00:00.000Z is in the future: once committed, runs at an earlier as_of (the default, now) are refused until then');
    // A definition's own warnings (a missing table) reach onWarning too, named by its key.
    expect(warnings.filter((w) => w.startsWith('power_users: ')).length).toBeGreaterThan(0);
    writeFileSync(path.join(dir, 'definitions/broken.yml'), 'kind: nothing\n');
    const e = await validate(dir).catch((x: unknown) => x) as ProjectError;
    expect(e.loaded?.config.destinations[0].name).toBe('crm'); // there for a program that asks
    expect(Object.keys(e)).not.toContain('loaded');
  });

  it('compile gives the files `roster compile` writes, and writes nothing', async () => {
    const files = await compile(viaLibrary, { dialect: 'postgres' });
    expect(roster(['--project', viaCli, 'compile', '--dialect', 'postgres']).code).toBe(0);
    const written = readdirSync(path.join(viaCli, 'compiled/postgres')).sort();
    expect([...files.keys()].sort()).toEqual(written);
    for (const f of written) expect(files.get(f)).toBe(readFileSync(path.join(viaCli, 'compiled/postgres', f), 'utf8'));
    expect(readdirSync(path.join(viaLibrary, 'compiled'))).toEqual(['duckdb']);
    expect([...(await compile(viaLibrary, { select: ['+at_risk_accounts'] })).keys()]).toContain('at_risk_accounts.sql');
  });

  it('compile, as `roster compile`, does not connect: warehouse settings it cannot use are validate\'s to refuse', async () => {
    const dir = exampleCopy();
    writeFileSync(path.join(dir, 'roster.yml'), readFileSync(path.join(dir, 'roster.yml'), 'utf8').replace(/warehouse:[\s\S]*?\n(?=\S)/, 'warehouse: { dialect: postgres, url: "mysql://x" }\n'));
    expect(roster(['--project', dir, 'compile']).code).toBe(0);
    expect([...(await compile(dir)).keys()].sort()).toEqual(readdirSync(path.join(dir, 'compiled/postgres')).sort());
    await expect(validate(dir)).rejects.toThrow('warehouse.url: not a postgres:// URL');
  });

  it('validate throws a ProjectError whose problems name the file, the place and what is wrong; warnings go to onWarning', async () => {
    const dir = exampleCopy();
    writeFileSync(path.join(dir, 'definitions/broken.yml'), 'kind: audience\nkey: broken\nentity: user\nwhere:\n  all:\n    - trait: { key: plan, op: equals, value: pro }\n');
    writeFileSync(path.join(dir, 'definitions/ignored.yml'), 'kind: computed_trait\nkey: ignored\nentity: user\ntype: event_counter\nevent: Logged In\nfunction: sum\n');
    const warnings: string[] = [];
    const error = await validate(dir, { onWarning: (w) => warnings.push(w) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectError);
    expect((error as ProjectError).problems).toEqual([expect.objectContaining({ file: 'definitions/broken.yml', line: 6, path: 'where.all[0].trait.op' })]);
    expect(warnings).toEqual(['definitions/ignored.yml:6:1 function: function is only for aggregation, not event_counter: ignored']);
    await expect(run(dir, { dryRun: true })).rejects.toBeInstanceOf(ProjectError);
  });
});
