import { describe, expect, it } from 'vitest';
import { ENGINES, runFixture } from '../support/harness.js';

// SPEC 3 ignores calls with no user_id; an empty one is none either (a Segment library treats ''
// as unset, and Segment refuses a call whose only id is ''). So '' is no user and no account.
describe.each(ENGINES.flatMap((engine) => (['segment', 'events_json'] as const).map((layout) => [engine, layout] as const)))('an empty user_id or group_id is no id, on %s, %s layout', (engine, layout) => {
  const T = '2024-05-01T00:00:00Z';
  const fixture = {
    groups: [
      { id: 'a1', user_id: '', group_id: 'g1', timestamp: T, traits: { plan: 'pro' } },
      { id: 'a2', user_id: 'u2', group_id: '', timestamp: T, traits: { plan: 'pro' } },
    ],
    identifies: [{ id: 'i1', user_id: '', timestamp: T, traits: { role: 'admin' } }, { id: 'i2', user_id: 'u3', timestamp: T, traits: { role: 'viewer' } }],
    events: [
      { id: 'e1', user_id: '', event: 'Logged In', timestamp: T },
      { id: 'e2', user_id: 'u2', event: 'Logged In', timestamp: T },
    ],
  };
  const defs = [
    'kind: audience\nkey: pro\nentity: account\nwhere: { trait: { key: plan, op: eq, value: pro } }',
    'kind: audience\nkey: active_accounts\nentity: account\nwhere: { users: any, where: { event: { name: Logged In } } }',
    'kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In',
    // reads every user: u2 (events, group call) and u3 (identify), not ''
    'kind: audience\nkey: not_admins\nentity: user\nwhere: { not: { trait: { key: role, op: eq, value: admin } } }',
    'kind: audience\nkey: admins\nentity: user\nwhere: { trait: { key: role, op: eq, value: admin } }',
  ];

  it('counts no event, identify or group call towards it', async () => {
    const run = await runFixture(fixture, defs, { asOf: '2024-06-01T00:00:00Z', layout, engine });
    try {
      expect(run.report.outcomes.map((o) => [o.key, o.status, o.error])).toEqual(run.report.outcomes.map((o) => [o.key, 'ok', undefined]));
      // g1 exists (its group call has no user, like a null one); the '' account does not.
      expect(await run.ids('pro')).toEqual(['g1']);
      // g1 has no users: '' did not join it.
      expect(await run.ids('active_accounts')).toEqual([]);
      expect(await run.values('logins')).toEqual({ u2: 1 });
      expect(await run.ids('not_admins')).toEqual(['u2', 'u3']);
      expect(await run.ids('admins')).toEqual([]);
    } finally {
      await run.close();
    }
  });
});
