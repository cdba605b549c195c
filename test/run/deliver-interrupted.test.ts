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

/*
 * A failure of the warehouse partway through a delivery (here a real one from the engine: a CHECK
 * constraint refuses to move archive's cursor, as a lost connection or a full disk would) must
 * still tell what each destination got, and lose nothing nor send anything twice afterwards.
 * Postgres (PGlite or the server), because only there can a constraint be added to a table.
 */
describe(`a delivery the warehouse fails partway (postgres, ${PG_KIND})`, () => {
  it('reports what each destination got before the failure; the next delivery finds those messages at the destination', async () => {
    scenario = await Scenario.create(world, [...DESTINATIONS], 'postgres');
    await scenario.run([LOGINS], T1, { deliver: false });
    const deliveries = `"${scenario.state}"._deliveries`;
    await scenario.wh.exec(`ALTER TABLE ${deliveries} ADD CONSTRAINT hold_archive CHECK (destination <> 'archive' OR done = 0)`);

    const failure = await scenario.deliver([LOGINS]).then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(DeliveryInterrupted);
    const interrupted = failure as DeliveryInterrupted;
    // Each user: identify + track; crm got all 4 and moved its cursor; archive got them in its file, unmarked.
    expect(interrupted.destinations).toEqual([
      { destination: 'crm', sent: 4, alreadyDelivered: 0, failed: 0, errors: [] },
      { destination: 'archive', sent: 4, alreadyDelivered: 0, failed: 0, errors: [] },
    ]);
    expect(interrupted.message).toMatch(/^delivery stopped: .*hold_archive/);
    expect(interrupted.message).toContain('stays pending: `roster deliver` (or the next run) sends it');
    expect(scenario.messages('archive')).toHaveLength(4);

    await scenario.wh.exec(`ALTER TABLE ${deliveries} DROP CONSTRAINT hold_archive`);
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
});
