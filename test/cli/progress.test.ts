import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { clearProgressLine, progressDisplay, progressEnabled, StageClock, stageBucket, type ProgressStream } from '../../src/cli/progress.js';
import { deliveryProgress, printReport } from '../../src/cli/commands/run.js';
import { messagesOnTerminal } from '../../src/cli/report-streams.js';
import type { Project } from '../../src/definitions/project.js';
import { ROOT, roster } from './roster-cli.js';

// Any terminal control: carriage return or an ESC sequence.
const CONTROL = /[\r\x1b]/;

function fakeStream(isTTY: boolean, columns = 80): ProgressStream & { chunks: string[] } {
  const chunks: string[] = [];
  return { isTTY, columns, chunks, write: (c: string) => chunks.push(c) };
}

describe('progress display', () => {
  it('on a terminal: one line redrawn in place with stage, definition and elapsed time, cleared at the end', () => {
    let t = 0;
    const stream = fakeStream(true);
    const p = progressDisplay({ stream, total: 19, tickMs: 0, now: () => t });
    p.update({ stage: 'compute', key: 'logins_past_30_days' });
    t = 1500;
    p.update({ stage: 'features', key: '_plan_logged_in_accounts' });
    p.update({ stage: 'compute', key: 'at_risk_accounts' });
    p.update({ stage: 'diff', key: 'at_risk_accounts' });
    p.done();
    expect(stream.chunks[0]).toBe('\r\x1b[2Kroster: compute logins_past_30_days (1/19), 0.0 s');
    expect(stream.chunks[1]).toBe('\r\x1b[2Kroster: features _plan_logged_in_accounts, 1.5 s');
    expect(stream.chunks[2]).toBe('\r\x1b[2Kroster: compute at_risk_accounts (2/19), 1.5 s');
    expect(stream.chunks[3]).toBe('\r\x1b[2Kroster: diff at_risk_accounts (1/19), 1.5 s');
    expect(stream.chunks.at(-1)).toBe('\r\x1b[2K');
    expect(stream.chunks.join('')).not.toContain('\n');
  });

  it('a delivery shows its destination and how many of its pending messages are behind the cursor', () => {
    const stream = fakeStream(true);
    const p = progressDisplay({ stream, tickMs: 0, now: () => 2500 });
    p.update(deliveryProgress({ destination: 'crm', done: 1_200_000, total: 18_490_934 }));
    p.done();
    expect(stream.chunks[0]).toBe('\r\x1b[2Kroster: delivery crm 1,200,000/18,490,934 messages, 0.0 s');
  });

  it('a line longer than the terminal is cut, so it never wraps', () => {
    const stream = fakeStream(true, 20);
    const p = progressDisplay({ stream, tickMs: 0 });
    p.update({ stage: 'compute', key: 'a_very_long_definition_key_indeed' });
    p.done();
    expect(stream.chunks[0].replace('\r\x1b[2K', '').length).toBe(19);
    // The elapsed time stays: the text before it gives way.
    expect(stream.chunks[0]).toBe('\r\x1b[2Kroster: com…, 0.0 s');
  });

  it('writes nothing when the stream is not a terminal, or with --quiet', () => {
    for (const [stream, quiet] of [[fakeStream(false), false], [fakeStream(true), true]] as const) {
      const p = progressDisplay({ stream, quiet, tickMs: 0 });
      p.update({ stage: 'compute', key: 'x' });
      p.done();
      expect(p.enabled).toBe(false);
      expect(stream.chunks).toEqual([]);
    }
  });

  it('TERM=dumb cannot redraw a line: no display there', () => {
    expect(progressEnabled(fakeStream(true), false, { TERM: 'dumb' })).toBe(false);
    expect(progressEnabled(fakeStream(true), false, { TERM: 'xterm' })).toBe(true);
  });

  it('a terminal that reports no width: the line is cut to $COLUMNS, or to 80', () => {
    const saved = process.env.COLUMNS;
    try {
      for (const [columns, width] of [['30', 29], [undefined, 79]] as const) {
        if (columns === undefined) delete process.env.COLUMNS;
        else process.env.COLUMNS = columns;
        const stream = fakeStream(true, 0);
        const p = progressDisplay({ stream, tickMs: 0 });
        p.update({ stage: 'compute', key: 'k'.repeat(200) });
        p.done();
        expect(stream.chunks[0].replace('\r\x1b[2K', '').length).toBe(width);
      }
    } finally {
      if (saved === undefined) delete process.env.COLUMNS;
      else process.env.COLUMNS = saved;
    }
  });

  it('a line printed from anywhere (a warning, an error) first erases the progress line; none once it is done', () => {
    const stream = fakeStream(true);
    const p = progressDisplay({ stream, tickMs: 0 });
    p.update({ stage: 'setup' });
    clearProgressLine();
    expect(stream.chunks).toEqual(['\r\x1b[2Kroster: setup, 0.0 s', '\r\x1b[2K']);
    p.done();
    clearProgressLine();
    expect(stream.chunks).toHaveLength(2);
  });

  it('no display while messages go to stdout on a terminal: the line would be drawn between them', () => {
    const withDestinations = (...types: string[]) => ({ config: { destinations: types.map((type) => ({ type })) } }) as unknown as Project;
    expect(messagesOnTerminal(withDestinations('jsonl', 'stdout'), { isTTY: true })).toBe(true);
    expect(messagesOnTerminal(withDestinations('jsonl', 'stdout'), { isTTY: false })).toBe(false);
    expect(messagesOnTerminal(withDestinations('jsonl', 'http'), { isTTY: true })).toBe(false);
  });

  it('the run table counts its definitions in words: one definition, two definitions', () => {
    const outcome = { key: 'a', kind: 'computed_trait', entity: 'user', status: 'ok', selected: true, warnings: [], depth: 0 } as const;
    for (const [outcomes, last] of [[[outcome], '1 definition ok'], [[outcome, { ...outcome, key: 'b' }], '2 definitions ok']] as const) {
      const lines: string[] = [];
      printReport({ asOf: new Date(0), outcomes, ok: true, dryRun: true }, (l) => lines.push(l), () => undefined);
      expect(lines.at(-1)).toBe(last);
    }
  });

  it('stage clock: each event closes the previous stage; compute is booked by definition kind', () => {
    let t = 0;
    const kinds: Record<string, string> = { logins: 'computed_trait', at_risk: 'audience' };
    const clock = new StageClock(stageBucket((k) => kinds[k]), () => t);
    clock.mark('setup');
    t = 10;
    clock.mark({ stage: 'compute', key: 'logins' });
    t = 30;
    clock.mark({ stage: 'compute', key: 'at_risk' });
    t = 35;
    clock.mark({ stage: 'diff', key: 'logins' });
    t = 36;
    clock.mark({ stage: 'compute', key: 'logins' }); // a stage met again adds up
    t = 40;
    expect(clock.finish()).toEqual({ setup: 10, traits: 24, audiences: 5, diff: 1 });
  });
});

describe('roster run --json and output without a terminal', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'roster-progress-'));
    for (const part of ['roster.yml', 'definitions']) cpSync(path.join(ROOT, 'examples/b2b-saas', part), path.join(dir, part), { recursive: true });
    const demo = roster(['--project', dir, 'demo', '--users', '200', '--accounts', '30', '--days', '30']);
    expect(demo.code).toBe(0);
  }, 120_000);

  it('--json prints the run as JSON on stdout: definitions, messages per destination, delivery, timings', () => {
    const r = roster(['--project', dir, 'run', '--as-of', '2024-06-01T00:00:00Z', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(CONTROL);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ as_of: '2024-06-01T00:00:00.000Z', run_id: 1, dry_run: false, ok: true });
    expect(summary.definitions).toHaveLength(19);
    const logins = summary.definitions.find((d: { key: string }) => d.key === 'logins_past_30_days');
    expect(logins).toMatchObject({ kind: 'computed_trait', entity: 'account', status: 'ok', selected: true, first_run: true, entered: 0, exited: 0, error: null });
    expect(logins.rows).toBeGreaterThan(0);
    expect(logins.changed).toBe(logins.rows);
    expect(logins.messages.crm).toBeGreaterThan(0);
    const written = summary.definitions.reduce((a: number, d: { messages: { crm?: number } }) => a + (d.messages.crm ?? 0), 0);
    expect(summary.delivery).toMatchObject({ ok: true, pending: 0, failed: 0 });
    expect(summary.delivery.destinations).toEqual([{ destination: 'crm', sent: written, already_delivered: 0, failed: 0, pending: 0, errors: [] }]);
    for (const stage of ['setup', 'diff', 'commit', 'delivery', 'total']) expect(typeof summary.timings_ms[stage]).toBe('number');

    const again = JSON.parse(roster(['--project', dir, 'run', '--as-of', '2024-06-01T00:00:00Z', '--json']).stdout);
    expect(again.run_id).toBe(2);
    expect(again.definitions.every((d: { messages: { crm: number }; first_run: boolean }) => d.messages.crm === 0 && d.first_run === false)).toBe(true);
    expect(again.delivery.destinations[0].sent).toBe(0);
  });

  it('--json on a dry run: no run id, no delivery', () => {
    const r = roster(['--project', dir, 'run', '--as-of', '2024-06-02T00:00:00Z', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ as_of: '2024-06-02T00:00:00.000Z', run_id: null, dry_run: true, delivery: null });
  });

  it('--json keeps errors on stderr and the exit code, and still prints a summary: an as_of before the last run is refused (exit 1)', () => {
    const r = roster(['--project', dir, 'run', '--as-of', '2024-01-01T00:00:00Z', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('earlier than the last committed run');
    // and says how to start over, naming roster.yml's state schema
    expect(r.stderr).toContain('to start over, drop roster\'s state with its results and unsent messages, DROP SCHEMA "roster" CASCADE,'
      + ' after which the next run is a first run and sends every member and value again)');
    const summary = JSON.parse(r.stdout);
    expect(summary).toEqual({ ok: false, exit_code: 1, error: expect.stringContaining('earlier than the last committed run') });
  });

  it('without a terminal the table is printed with no progress escapes on either stream', () => {
    const r = roster(['--project', dir, 'run', '--as-of', '2024-06-02T00:00:00Z']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('roster run at 2024-06-02T00:00:00.000Z (run 3)');
    expect(r.stdout).toMatch(/^definition\s+kind\s+entity\s+status/m);
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stderr).not.toMatch(CONTROL);
  });

  it('deliver --json: the delivery as JSON', () => {
    const r = roster(['--project', dir, 'deliver', '--json', '--quiet']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).delivery).toMatchObject({ ok: true, pending: 0, failed: 0 });
    expect(r.stderr).not.toMatch(CONTROL);
  });
});

describe('--json with messages on stdout, and when a command fails before its summary', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'roster-json-stdout-'));
    for (const part of ['roster.yml', 'definitions']) cpSync(path.join(ROOT, 'examples/b2b-saas', part), path.join(dir, part), { recursive: true });
    const config = path.join(dir, 'roster.yml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/destinations:[\s\S]*$/, 'destinations:\n  - { name: crm, type: stdout }\n'));
    expect(roster(['--project', dir, 'demo', '--users', '100', '--accounts', '10', '--days', '30']).code).toBe(0);
  }, 120_000);

  it('stdout holds only the messages; the summary is the one stderr line that starts with "{"', () => {
    const r = roster(['--project', dir, 'run', '--as-of', '2024-06-01T00:00:00Z', '--select', 'total_revenue', '--json']);
    expect(r.code).toBe(0);
    const messages = r.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((m) => m.type === 'identify' || m.type === 'track' || m.type === 'group')).toBe(true);
    const summaries = r.stderr.split('\n').filter((line) => line.startsWith('{'));
    expect(summaries).toHaveLength(1);
    const summary = JSON.parse(summaries[0]);
    expect(summary.ok).toBe(true);
    expect(summary.definitions.find((d: { key: string }) => d.key === 'total_revenue').messages.crm).toBe(messages.length);
    expect(summary.delivery.destinations[0]).toMatchObject({ destination: 'crm', sent: messages.length });
  });

  it('a project that does not load: {ok: false, exit_code: 1, error} where the summary goes (stdout)', () => {
    const broken = mkdtempSync(path.join(tmpdir(), 'roster-json-broken-'));
    writeFileSync(path.join(broken, 'roster.yml'), 'name: x\nwarehouse: { dialect: duckdb, path: ./w.duckdb }\nsource: { schema: main }\nstate: { schema: roster }\nbogus: 1\n');
    for (const command of [['run'], ['deliver']]) {
      const r = roster(['--project', broken, ...command, '--json']);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toEqual({ ok: false, exit_code: 1, error: expect.stringContaining('bogus') });
      expect(r.stderr).toContain('bogus');
    }
  });

  it('arguments refused before the command starts: {ok: false, exit_code: 1, error} where the summary goes', () => {
    const jsonlOnly = mkdtempSync(path.join(tmpdir(), 'roster-json-args-'));
    writeFileSync(path.join(jsonlOnly, 'roster.yml'), 'name: x\nwarehouse: { dialect: duckdb, path: ./w.duckdb }\nsource: { schema: main }\nstate: { schema: roster }\ndestinations: [{ name: crm, type: jsonl, path: out/crm.jsonl }]\n');
    const cases: [string[], string][] = [
      [['run', '--json', '--bogus'], "unknown option '--bogus'"],
      [['run', '--json', 'extra'], 'too many arguments'],
      [['run', '--json', '--as-of'], "option '--as-of <iso>' argument missing"],
      [['deliver', '--json', '--bogus'], "unknown option '--bogus'"],
    ];
    const failure = (error: string) => ({ ok: false, exit_code: 1, error: expect.stringContaining(error) });
    for (const [args, error] of cases) {
      // Messages own stdout here: the summary is the one stderr line starting with "{".
      const toStdout = roster(['--project', dir, ...args]);
      expect(toStdout.code).toBe(1);
      expect(toStdout.stdout).toBe('');
      expect(toStdout.stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line))).toEqual([failure(error)]);
      const toJsonl = roster(['--project', jsonlOnly, ...args]);
      expect(toJsonl.code).toBe(1);
      expect(JSON.parse(toJsonl.stdout)).toEqual(failure(error));
      expect(toJsonl.stderr).toContain(error);
    }
    // Without --json, stdout stays empty; preview has no --json.
    expect(roster(['--project', jsonlOnly, 'run', '--bogus']).stdout).toBe('');
    expect(roster(['--project', jsonlOnly, 'preview', 'x', '--json']).stdout).toBe('');
  });

  it('deliver --json: ok at the top, as run has it', () => {
    const r = roster(['--project', dir, 'deliver', '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const summary = JSON.parse(r.stderr.split('\n').find((line) => line.startsWith('{'))!);
    expect(summary).toMatchObject({ ok: true, delivery: { ok: true, pending: 0 } });
  });
});
