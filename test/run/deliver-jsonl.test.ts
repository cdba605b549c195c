import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Project } from '../../src/definitions/project.js';
import { MAX_DELIVERY_STEP } from '../../src/destinations/index.js';
import { deliverOutbox } from '../../src/run/deliver-outbox.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../support/fixture.js';
import { Scenario } from './support.js';

const T1 = '2024-06-01T00:00:00Z';
const T2 = '2024-06-03T00:00:00Z';
const world: Fixture = {
  events: [
    { id: 'l1', user_id: 'u1', event: 'Logged In', timestamp: '2024-05-30T12:00:00Z' },
    { id: 'l2', user_id: 'u2', event: 'Logged In', timestamp: '2024-05-31T12:00:00Z' },
    { id: 'l3', user_id: 'u3', event: 'Logged In', timestamp: '2024-06-02T12:00:00Z' },
  ],
  groups: [
    { id: 'g1', user_id: 'u1', group_id: 'a1', timestamp: '2024-05-01T00:00:00Z' },
    { id: 'g2', user_id: 'u2', group_id: 'a1', timestamp: '2024-05-02T00:00:00Z' },
    { id: 'g3', user_id: 'u2', group_id: 'a2', timestamp: '2024-05-03T00:00:00Z' },
    { id: 'g4', user_id: 'u3', group_id: 'a2', timestamp: '2024-05-04T00:00:00Z' },
  ],
};
const LOGINS = 'kind: computed_trait\nkey: logins\nentity: account\ntype: event_counter\nevent: Logged In';

let scenario: Scenario;
afterEach(async () => scenario?.close());

describe('delivery to jsonl', () => {
  it('reconciles pending rows with the file batch by batch until one is not there, then sends the rest once, in order', async () => {
    scenario = await Scenario.create(world);
    await scenario.run([LOGINS], T1, { batchSize: 3 });
    const afterT1 = scenario.messages('crm').map((m) => m.messageId);
    expect(afterT1).toHaveLength(10);
    // As if a crash hit after 7 of them reached the file but before the cursor moved.
    const file = scenario.file('crm');
    writeFileSync(file, readFileSync(file, 'utf8').split('\n').slice(0, 7).map((l) => `${l}\n`).join(''));
    await scenario.wh.exec('UPDATE roster._deliveries SET done = 0');
    const t2 = await scenario.run([LOGINS], T2, { batchSize: 3 });
    expect(t2.delivery!.destinations[0]).toMatchObject({ alreadyDelivered: 7, sent: 8, pending: 0 });
    const all = scenario.messages('crm').map((m) => m.messageId);
    expect(all.slice(0, 10)).toEqual(afterT1);
    expect(all).toHaveLength(15);
    expect(new Set(all).size).toBe(15);
    // Every message is behind the cursors.
    expect(await scenario.query('SELECT count(*) AS n FROM roster._deliveries WHERE done < messages')).toEqual([{ n: 0 }]);
  });

  it('refuses a delivery step larger than a destination looks back for after a crash, and sends nothing', async () => {
    scenario = await Scenario.create(world);
    // The run commits; its delivery is refused before anything is sent.
    await expect(scenario.run([LOGINS], T1, { batchSize: MAX_DELIVERY_STEP + 1 })).rejects.toThrow(`batchSize must be 1 to ${MAX_DELIVERY_STEP}`);
    await expect(scenario.deliver([LOGINS], { batchSize: 0 })).rejects.toThrow(RangeError);
    expect(existsSync(scenario.file('crm'))).toBe(false);
    expect((await scenario.deliver([LOGINS])).destinations[0]).toMatchObject({ sent: 10, pending: 0 });
  });

  it('messages of a destination no longer in roster.yml stay pending and are reported, without failing the delivery', async () => {
    scenario = await Scenario.create(world, [{ name: 'old', type: 'jsonl', path: 'out/old.jsonl' }]);
    await scenario.run([LOGINS], T1, { dryRun: false });
    await scenario.wh.exec('UPDATE roster._deliveries SET done = 0');
    scenario.destinations = [{ name: 'crm', type: 'jsonl', path: 'out/crm.jsonl' }];
    // Removing a destination is no failure: every later run would exit 2, with no way to clear it.
    const report = await scenario.deliver([LOGINS]);
    expect(report).toMatchObject({ ok: true, pending: 10, orphaned: { old: 10 } });
    // Listed again, it gets them.
    scenario.destinations = [{ name: 'old', type: 'jsonl', path: 'out/old.jsonl' }];
    expect(await scenario.deliver([LOGINS])).toMatchObject({ ok: true, pending: 0, orphaned: {} });
    expect(readFileSync(scenario.file('old'), 'utf8').trim().split('\n')).toHaveLength(10);
  });
});

describe('a destination with a broken event-name template', () => {
  // roster.yml refuses such templates (test/fixtures/invalid); a caller of the library can still
  // hand deliverOutbox a config it did not validate: delivery must not lose the messages then.
  const withTemplate = (template: string): Project => {
    const p = scenario.project([LOGINS]);
    const destinations = p.config.destinations.map((d) => (d.name === 'crm' ? { ...d, events: { ...d.events, trait_computed: template } } : d));
    return { ...p, config: { ...p.config, destinations } };
  };

  it.each(['{{#if}}', '{{nope "x"}} computed'])('%s keeps its messages pending (a configuration error), delivered once it is fixed', async (template) => {
    scenario = await Scenario.create(world, [{ name: 'crm', type: 'jsonl', path: 'out/crm.jsonl', events: { trait_computed: '{{key}} computed' } }]);
    await scenario.run([LOGINS], T1, { deliver: false });
    const broken = await deliverOutbox(withTemplate(template), scenario.wh);
    expect(broken).toMatchObject({ ok: false, pending: 10, failed: 0 });
    expect(broken.destinations[0].errors[0]).toMatch(/^destination "crm": events.trait_computed is not a valid template: /);
    expect(await scenario.deliver([LOGINS])).toMatchObject({ ok: true, pending: 0 });
    expect(scenario.messages('crm').filter((m) => m.type === 'track').map((m) => (m as { event: string }).event)).toEqual(Array(4).fill('logins computed'));
  });

  it('a template that renders an empty name keeps its messages pending too: none is recorded as failed', async () => {
    // LOGINS has no description: the run commits without event names, delivery renders them and fails.
    scenario = await Scenario.create(world, [{ name: 'crm', type: 'jsonl', path: 'out/crm.jsonl', events: { trait_computed: '{{description}}' } }]);
    await scenario.run([LOGINS], T1, { deliver: false });
    const blank = await scenario.deliver([LOGINS]);
    expect(blank).toMatchObject({ ok: false, pending: 10, failed: 0 });
    expect(blank.destinations[0].errors).toEqual(['destination "crm": events.trait_computed renders an empty event name for "logins": its messages stay pending until roster.yml is fixed']);
    expect(existsSync(scenario.file('crm'))).toBe(false);
    expect(await deliverOutbox(withTemplate('{{key}} computed'), scenario.wh)).toMatchObject({ ok: true, pending: 0, failed: 0 });
    expect(scenario.messages('crm').filter((m) => m.type === 'track').map((m) => (m as { event: string }).event)).toEqual(Array(4).fill('logins computed'));
  });

  it('a state schema an earlier roster made (no event_names column) is upgraded: its pending messages are rendered at delivery', async () => {
    scenario = await Scenario.create(world);
    await scenario.run([LOGINS], T1, { deliver: false });
    await scenario.wh.exec(`ALTER TABLE ${scenario.wh.dialect.qualify(scenario.state, '_deliveries')} DROP COLUMN event_names`);
    expect(await scenario.deliver([LOGINS])).toMatchObject({ ok: true, pending: 0 });
    expect(scenario.messages('crm').filter((m) => m.type === 'track').map((m) => (m as { event: string }).event)).toEqual(Array(4).fill('Trait Computed'));
    expect((await scenario.run([LOGINS], T2)).delivery).toMatchObject({ ok: true, pending: 0 });
  });

  it('a pending message is delivered as its run committed it: a later template or description edit does not change it under its messageId', async () => {
    const loggers = (description: string) => `kind: audience\nkey: loggers\nentity: user\ndescription: ${description}\nwhere: { event: { name: Logged In } }`;
    scenario = await Scenario.create(world, [{ name: 'crm', type: 'jsonl', path: 'out/crm.jsonl', events: { audience_entered: 'Entered {{key}} ({{description}})' } }]);
    await scenario.run([loggers('v1')], T1, { deliver: false });
    // Before delivery: a new description and a new template.
    scenario.destinations = [{ name: 'crm', type: 'jsonl', path: 'out/crm.jsonl', events: { audience_entered: 'Joined {{key}} ({{description}})' } }];
    expect(await scenario.deliver([loggers('v2')])).toMatchObject({ ok: true, pending: 0 });
    const tracks = () => scenario.messages('crm').filter((m) => m.type === 'track').map((m) => `${m.userId} ${(m as { event: string }).event}`);
    expect(tracks()).toEqual(['u1 Entered loggers (v1)', 'u2 Entered loggers (v1)']);
    // The next run's messages follow the edit: u3 logs in after T1.
    await scenario.run([loggers('v2')], T2);
    expect(tracks().slice(2)).toEqual(['u3 Joined loggers (v2)']);
  });

  it('keeps only its own messages pending: each destination and the total report their own count', async () => {
    scenario = await Scenario.create(world, [
      { name: 'crm', type: 'jsonl', path: 'out/crm.jsonl' },
      { name: 'ads', type: 'jsonl', path: 'out/ads.jsonl', calls: ['group'] },
    ]);
    await scenario.run([LOGINS], T1, { deliver: false });
    const delivery = await deliverOutbox(withTemplate('{{#if}}'), scenario.wh);
    // crm: 2 group + 4 identify + 4 track, all kept; ads: the 2 group calls, sent.
    expect(delivery).toMatchObject({ ok: false, pending: 10, failed: 0, orphaned: {} });
    expect(delivery.destinations.map((x) => [x.destination, x.sent, x.pending])).toEqual([['crm', 0, 10], ['ads', 2, 0]]);
  });
});

describe('a jsonl destination whose file cannot be opened', () => {
  it('keeps its messages pending with an error naming it and the path, and the next destination still gets its own', async () => {
    scenario = await Scenario.create(world, [
      { name: 'crm', type: 'jsonl', path: 'blocker/crm.jsonl' },
      { name: 'ads', type: 'jsonl', path: 'out/ads.jsonl', calls: ['group'] },
    ]);
    writeFileSync(path.join(scenario.dir, 'blocker'), 'a file where crm needs a folder');
    const run = await scenario.run([LOGINS], T1);
    expect(run.delivery).toMatchObject({ ok: false, pending: 10, failed: 0 });
    const [crm, ads] = run.delivery!.destinations;
    expect(crm).toMatchObject({ destination: 'crm', sent: 0, pending: 10 });
    expect(crm.errors[0]).toContain(`destination "crm": cannot open or read ${path.join(scenario.dir, 'blocker/crm.jsonl')}: `);
    expect(ads).toMatchObject({ destination: 'ads', sent: 2, pending: 0 });
    // Once the path is fixed, the same ten messages go out.
    scenario.destinations[0] = { name: 'crm', type: 'jsonl', path: 'out/crm.jsonl' };
    expect(await scenario.deliver([LOGINS])).toMatchObject({ ok: true, pending: 0 });
    expect(scenario.messages('crm')).toHaveLength(10);
  });
});

describe('delivery progress', () => {
  it('reports, after each step, the messages behind the cursor out of those pending at the start', async () => {
    scenario = await Scenario.create(world, [
      { name: 'crm', type: 'jsonl', path: 'out/crm.jsonl' },
      { name: 'ads', type: 'jsonl', path: 'out/ads.jsonl', calls: ['group'] },
    ]);
    await scenario.run([LOGINS], T1, { deliver: false });
    const events: string[] = [];
    await scenario.deliver([LOGINS], { batchSize: 4, onProgress: (e) => events.push(`${e.destination} ${e.done}/${e.total}`) });
    expect(events).toEqual(['crm 0/10', 'crm 4/10', 'crm 8/10', 'crm 10/10', 'ads 0/2', 'ads 2/2']);
    // Nothing pending: no progress at all.
    events.length = 0;
    await scenario.deliver([LOGINS], { onProgress: (e) => events.push(`${e.destination} ${e.done}/${e.total}`) });
    expect(events).toEqual([]);
  });
});

describe('a stdout destination whose reader went away', () => {
  it('keeps the messages it could not write pending, and writes the same ones on the next delivery', async () => {
    scenario = await Scenario.create(world, [{ name: 'console', type: 'stdout' }]);
    const closed = { write: (_chunk: string, cb: (err?: Error | null) => void) => { cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })); return false; } };
    const run = await scenario.run([LOGINS], T1, { open: { stdout: closed } });
    expect(run.delivery).toMatchObject({ ok: false, pending: 10, failed: 0 });
    expect(run.delivery!.destinations[0].errors[0]).toBe('destination "console": cannot write to stdout: write EPIPE');
    const lines: string[] = [];
    const open = { write: (chunk: string, cb: (err?: Error | null) => void) => { lines.push(...chunk.split('\n').filter(Boolean)); cb(); return true; } };
    expect(await scenario.deliver([LOGINS], { open: { stdout: open } })).toMatchObject({ ok: true, pending: 0, failed: 0 });
    expect(lines).toHaveLength(10);
    expect(new Set(lines.map((l) => JSON.parse(l).messageId)).size).toBe(10);
  });
});

describe('a state schema with messages pending in the outbox of an earlier roster', () => {
  it('refuses to run or deliver, naming the table, until they are sent or discarded', async () => {
    scenario = await Scenario.create(world);
    await scenario.wh.exec('CREATE SCHEMA roster');
    await scenario.wh.exec(`CREATE TABLE roster._outbox (seq BIGINT, status VARCHAR)`);
    await scenario.wh.exec(`INSERT INTO roster._outbox VALUES (1, 'sent'), (2, 'pending'), (3, 'pending')`);
    const refused = /the state schema roster holds 2 messages not yet marked delivered in the outbox of an earlier roster \(table _outbox\)/;
    await expect(scenario.run([LOGINS], T1)).rejects.toThrow(refused);
    // A dry run (how one tries a new version first) goes on, and says the real run would stop.
    const warnings: string[] = [];
    await scenario.run([LOGINS], T1, { dryRun: true, onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([expect.stringMatching(/^a run \(not this dry run\) would stop here: the state schema roster holds 2 messages/)]);
    await expect(scenario.deliver([LOGINS])).rejects.toThrow(refused);
    expect(scenario.messages('crm')).toEqual([]);
    // Once nothing is pending there (sent by the old version, or discarded), runs go on.
    await scenario.wh.exec(`UPDATE roster._outbox SET status = 'sent'`);
    expect((await scenario.run([LOGINS], T1)).arrived.crm).toHaveLength(10);
  });
});
