import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryInterrupted } from '../../src/run/deliver-outbox.js';
import type { Fixture } from '../support/fixture.js';
import { PG_KIND } from '../support/harness.js';
import { Scenario } from './support.js';

const T1 = '2024-06-01T00:00:00Z';
const world: Fixture = {
  events: [
    { id: 'l1', user_id: 'u1', event: 'Logged In', timestamp: '2024-05-30T12:00:00Z' },
    { id: 'l2', user_id: 'u2', event: 'Logged In', timestamp: '2024-05-31T12:00:00Z' },
  ],
};
const LOGINS = 'kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In';
const DESTINATIONS = [
  { name: 'crm', type: 'jsonl', path: 'out/crm.jsonl' },
  { name: 'archive', type: 'jsonl', path: 'out/archive.jsonl' },
] as const;

let scenario: Scenario;
afterEach(async () => scenario?.close());

/** A committed run whose delivery the server refuses to mark for `destination`; `release` lifts that. */
async function refusingToMark(destination: string): Promise<{ stopped: DeliveryInterrupted; release: () => Promise<void> }> {
  scenario = await Scenario.create(world, [...DESTINATIONS], 'postgres');
  await scenario.run([LOGINS], T1, { deliver: false });
  const deliveries = `"${scenario.state}"._deliveries`;
  await scenario.wh.exec(`ALTER TABLE ${deliveries} ADD CONSTRAINT hold_${destination} CHECK (destination <> '${destination}' OR done = 0)`);
  const failure = await scenario.deliver([LOGINS]).then(() => undefined, (e: unknown) => e);
  expect(failure).toBeInstanceOf(DeliveryInterrupted);
  return { stopped: failure as DeliveryInterrupted, release: () => scenario.wh.exec(`ALTER TABLE ${deliveries} DROP CONSTRAINT hold_${destination}`) };
}

/*
 * A failure of the warehouse partway through a delivery (here a real one from the engine: a CHECK
 * constraint refuses to move archive's cursor, as a lost connection or a full disk would) must
 * still tell what each destination got, and lose nothing nor send anything twice afterwards.
 * Postgres (PGlite or the server), because only there can a constraint be added to a table.
 */
describe(`a delivery the warehouse fails partway (postgres, ${PG_KIND})`, () => {
  it('reports what each destination got before the failure; the next delivery finds those messages at the destination', async () => {
    const { stopped: interrupted, release } = await refusingToMark('archive');
    // Each user: identify + track; crm got all 4 and moved its cursor; archive got them in its file, unmarked.
    expect(interrupted.destinations).toEqual([
      { destination: 'crm', sent: 4, alreadyDelivered: 0, failed: 0, errors: [] },
      { destination: 'archive', sent: 4, alreadyDelivered: 0, failed: 0, errors: [] },
    ]);
    expect(interrupted.message).toMatch(/^delivery stopped: .*hold_archive/);
    expect(interrupted.message).toContain('stays pending in the outbox: `roster deliver` (or the next run) sends it');
    expect(scenario.messages('archive')).toHaveLength(4);

    await release();
    const again = await scenario.deliver([LOGINS]);
    expect(again).toMatchObject({ ok: true, pending: 0, failed: 0 });
    expect(again.destinations).toEqual([
      { destination: 'crm', sent: 0, alreadyDelivered: 0, failed: 0, pending: 0, errors: [] },
      { destination: 'archive', sent: 0, alreadyDelivered: 4, failed: 0, pending: 0, errors: [] },
    ]);
    for (const name of ['crm', 'archive']) {
      const ids = scenario.messages(name).map((m) => m.messageId);
      expect(ids).toHaveLength(4);
      expect(new Set(ids).size).toBe(4);
    }
    expect(scenario.messages('archive')).toEqual(scenario.messages('crm'));
  });

  it('stopped at the first destination: the next is listed with nothing, and gets everything on the next delivery', async () => {
    const { stopped, release } = await refusingToMark('crm');
    expect(stopped.destinations).toEqual([
      { destination: 'crm', sent: 4, alreadyDelivered: 0, failed: 0, errors: [] },
      { destination: 'archive', sent: 0, alreadyDelivered: 0, failed: 0, errors: [] },
    ]);
    expect(scenario.messages('archive')).toEqual([]);

    await release();
    expect((await scenario.deliver([LOGINS])).destinations).toEqual([
      { destination: 'crm', sent: 0, alreadyDelivered: 4, failed: 0, pending: 0, errors: [] },
      { destination: 'archive', sent: 4, alreadyDelivered: 0, failed: 0, pending: 0, errors: [] },
    ]);
    expect(scenario.messages('archive')).toEqual(scenario.messages('crm'));
    expect(new Set(scenario.messages('crm').map((m) => m.messageId)).size).toBe(4);
  });
});
