import { describe, expect, it } from 'vitest';
import { printDelivery, printInterrupted, printProblems } from '../../src/cli/commands/run.js';
import { deliverySummary } from '../../src/run/summary.js';
import { DeliveryInterrupted } from '../../src/run/deliver-outbox.js';
import { formatProblem } from '../../src/definitions/project.js';
import { AS_OF, world } from '../execution/world.js';
import { runFixture } from '../support/harness.js';

describe('the delivery summary', () => {
  const print = (report: Parameters<typeof printDelivery>[0]) => {
    const lines: string[] = [];
    printDelivery(report, (s) => lines.push(s), (s) => lines.push(s));
    return lines;
  };

  it('does not tell deliver to send what only a destination roster.yml no longer lists holds', () => {
    const crm = { destination: 'crm', sent: 0, alreadyDelivered: 0, failed: 0, pending: 3, errors: ['destination "crm": HTTP 503'] };
    expect(print({ destinations: [crm], pending: 13, failed: 0, ok: false, orphaned: { seg: 10 } })).toEqual([
      'crm: 0 sent, 3 pending',
      'error: destination "crm": HTTP 503',
      'warning: 10 messages are pending for destination "seg", which roster.yml no longer lists: list it again to send them (meanwhile it is told nothing; listed again, it gets each definition\'s full state, which does not tell it of members who left or values emptied in between)',
      '3 messages pending in the outbox: `roster deliver` (or the next run) sends them',
    ]);
    expect(print({ destinations: [], pending: 10, failed: 0, ok: false, orphaned: { seg: 10 } })).toEqual([
      'warning: 10 messages are pending for destination "seg", which roster.yml no longer lists: list it again to send them (meanwhile it is told nothing; listed again, it gets each definition\'s full state, which does not tell it of members who left or values emptied in between)',
    ]);
  });

  it('names failed messages in the delivery that failed them, not at every later one', () => {
    const crm = (failed: number, sent: number) => ({ destination: 'crm', sent, alreadyDelivered: 0, failed, pending: 0, errors: [] });
    expect(print({ destinations: [crm(2, 5)], pending: 0, failed: 7, ok: false, orphaned: {} })).toEqual([
      'crm: 5 sent, 2 failed',
      '2 messages failed in this delivery and will not be re-sent as they are (7 in all: see the _failed_messages table in the state schema)',
    ]);
    // A later delivery with no new failure says nothing of the 7 kept in the table.
    expect(print({ destinations: [crm(0, 4)], pending: 0, failed: 7, ok: true, orphaned: {} })).toEqual(['crm: 4 sent']);
  });
});

describe('a delivery as JSON', () => {
  it('counts as failed what failed in this delivery; the failures kept from earlier ones apart, so a healthy delivery does not alert', () => {
    const crm = (failed: number) => ({ destination: 'crm', sent: 4, alreadyDelivered: 0, failed, pending: 0, errors: [] });
    expect(deliverySummary({ destinations: [crm(0)], pending: 0, failed: 10, ok: true, orphaned: {} })).toMatchObject({ ok: true, failed: 0, failed_in_all: 10 });
    expect(deliverySummary({ destinations: [crm(2)], pending: 0, failed: 12, ok: false, orphaned: {} })).toMatchObject({ ok: false, failed: 2, failed_in_all: 12 });
  });
});

describe('a delivery the warehouse stopped partway', () => {
  it('lists what each destination got, and a destination that had failed before by its error; not one that got nothing', () => {
    const tally = (destination: string, sent: number, errors: string[] = []) => ({ destination, sent, alreadyDelivered: 0, failed: 0, errors });
    const stopped = new DeliveryInterrupted([tally('crm', 0, ['destination "crm": HTTP 503']), tally('archive', 3), tally('audit', 0)], new Error('connection terminated'));
    const lines: string[] = [];
    printInterrupted(stopped, (s) => lines.push(s), (s) => lines.push(s));
    expect(lines).toEqual(['crm: 0 sent', 'error: destination "crm": HTTP 503', 'archive: 3 sent']);
    expect(stopped.message).toBe('delivery stopped: connection terminated\nwhat it had not finished stays pending in the outbox: `roster deliver` (or the next run) sends it');
  });
});

describe('run warnings', () => {
  it('are one line each: an event name with an escape sequence and a line break is shown escaped', async () => {
    const run = await runFixture(world, [{ kind: 'computed_trait', key: 'evil', entity: 'user', type: 'event_counter', event: 'Evil\u001b[31mRED\nwarning: forged' }], { asOf: AS_OF });
    try {
      const lines: string[] = [];
      printProblems(run.report, (s) => lines.push(s));
      expect(lines).toEqual([expect.stringMatching(/^warning: evil: event "Evil\\u001b\[31mRED\\u000awarning: forged": table \S+ does not exist; no such events yet$/)]);
    } finally {
      await run.close();
    }
  });
});

describe('errors from the engine or the data', () => {
  it('keep their lines, each further one indented, with control characters escaped: none passes for a message of its own', () => {
    const lines: string[] = [];
    const outcome = { key: 's', status: 'failed', warnings: [], error: "Conversion Error: 'x\u001b[2J\nerror: forged' to INT32\n\nLINE 1: SELECT\t1" };
    printProblems({ outcomes: [outcome] } as unknown as Parameters<typeof printProblems>[0], (s) => lines.push(s));
    // A tab is a space, as the caret under an engine's line of SQL counts it.
    expect(lines.join('\n').split('\n')).toEqual([
      "error: s: Conversion Error: 'x\\u001b[2J",
      "  error: forged' to INT32",
      '',
      '  LINE 1: SELECT 1',
    ]);
  });

  it('a problem of a definition file is one line whatever names it quotes', () => {
    expect(formatProblem({ file: 'definitions/a.yml', line: 3, column: 5, path: 'destinations[0]', message: 'unknown destination "crm\u001b[2J\nerror: forged"' }))
      .toBe('definitions/a.yml:3:5 destinations[0]: unknown destination "crm\\u001b[2J\\u000aerror: forged"');
  });
});
