import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { progressDisplay, StageClock, stageBucket, type ProgressStream } from '../../src/cli/progress.js';
import { deliveryProgress } from '../../src/cli/commands/run.js';
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

  it('--json keeps errors on stderr and the exit code: an as_of before the last run is refused (exit 1)', () => {
    const r = roster(['--project', dir, 'run', '--as-of', '2024-01-01T00:00:00Z', '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('earlier than the last committed run');
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
