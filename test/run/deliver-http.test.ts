import { afterEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../support/fixture.js';
import { acceptedIds, scriptedServer, type Received, type Reply } from '../destinations/fixtures.js';
import { Scenario } from './support.js';

const T1 = '2024-06-01T00:00:00Z';
const world: Fixture = {
  events: [
    { id: 'l1', user_id: 'u1', event: 'Logged In', timestamp: '2024-05-30T12:00:00Z' },
    { id: 'l2', user_id: 'u2', event: 'Logged In', timestamp: '2024-05-31T12:00:00Z' },
  ],
  groups: [
    { id: 'g1', user_id: 'u1', group_id: 'a1', timestamp: '2024-05-01T00:00:00Z' },
    { id: 'g2', user_id: 'u2', group_id: 'a1', timestamp: '2024-05-02T00:00:00Z' },
    { id: 'g3', user_id: 'u2', group_id: 'a2', timestamp: '2024-05-03T00:00:00Z' },
    { id: 'g4', user_id: 'u3', group_id: 'a2', timestamp: '2024-05-04T00:00:00Z' },
  ],
};
// 2 group + 4 identify + 4 track messages on the first run.
const LOGINS = 'kind: computed_trait\nkey: logins\nentity: account\ntype: event_counter\nevent: Logged In';
const FAST = { http: { backoff: { baseMs: 5, capMs: 20 } } };

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(replies: Reply[], over: Record<string, unknown> = {}, fixture: Fixture = world) {
  const server = await scriptedServer(replies);
  cleanup.push(server.close);
  const scenario = await Scenario.create(fixture, [{ name: 'segment', type: 'http', url: server.url, write_key: 'wk', timeout_ms: 300, max_retries: 1, ...over }]);
  cleanup.push(() => scenario.close());
  return { server, scenario };
}

/** Messages of the outbox still to deliver and behind the cursor (sent or failed). */
const outbox = (s: Scenario) => s.query('SELECT CAST(sum(messages - done) AS INTEGER) AS pending, CAST(sum(done) AS INTEGER) AS done FROM roster._deliveries');

describe('delivery over http', () => {
  it('a failing endpoint leaves the messages pending; deliver then sends each exactly once, with the same messageIds', async () => {
    const { server, scenario } = await setup([{ status: 500 }, { status: 503 }, { status: 200 }]);
    const run = await scenario.run([LOGINS], T1, { open: FAST });
    expect(run.delivery).toMatchObject({ ok: false, pending: 10, failed: 0 });
    expect(run.delivery!.destinations[0].errors[0]).toMatch(/gave up after 2 attempt\(s\): HTTP 503/);
    expect(await outbox(scenario)).toEqual([{ pending: 10, done: 0 }]);
    expect(acceptedIds(server.received)).toEqual([]);

    const attempted = server.received[0].body.batch.map((m) => m.messageId);
    const delivered = await scenario.deliver([LOGINS], { open: FAST });
    expect(delivered).toMatchObject({ ok: true, pending: 0, failed: 0 });
    expect(delivered.destinations[0]).toMatchObject({ sent: 10, pending: 0 });
    expect(acceptedIds(server.received)).toEqual(attempted);
    expect(new Set(attempted).size).toBe(10);
    expect(server.received.at(-1)!.headers.authorization).toBe(`Basic ${Buffer.from('wk:').toString('base64')}`);
    expect(server.received.at(-1)!.body.batch.map((m) => m.type)).toEqual(['group', 'group', ...Array(4).fill('identify'), ...Array(4).fill('track')]);

    // Nothing is pending any more: deliver sends nothing.
    const requests = server.received.length;
    expect((await scenario.deliver([LOGINS], { open: FAST })).destinations[0]).toMatchObject({ sent: 0, pending: 0 });
    expect(server.received).toHaveLength(requests);
    expect(await outbox(scenario)).toEqual([{ pending: 0, done: 10 }]);
  });

  it('429 with Retry-After and a hanging request are retried; a 400 finds the refused message by halves and fails it alone', async () => {
    // Refuses any batch holding u3's identify call.
    const refuseU3 = (r: Received): Reply => (r.body.batch.some((m) => m.type === 'identify' && m.userId === 'u3') ? { status: 400, body: 'bad message' } : { status: 200 });
    const { server, scenario } = await setup([{ status: 429, headers: { 'Retry-After': '0' } }, 'hang', refuseU3], { max_retries: 3 });
    const run = await scenario.run([LOGINS], T1, { open: FAST, batchSize: 4 });
    expect(run.delivery).toMatchObject({ ok: false, pending: 0, failed: 1 });
    // Steps of 4: [group a1, group a2, identify u1, identify u2] after a 429 and a hang; then
    // [identify u2, identify u3, track u1, track u2] refused, in halves until identify u3 alone; then the last two tracks.
    expect(server.received.map((r) => [r.body.batch.length, r.status])).toEqual([[4, 429], [4, undefined], [4, 200], [4, 400], [2, 400], [1, 200], [1, 400], [2, 200], [2, 200]]);
    const batches = server.received.map((r) => r.body.batch.map((m) => m.messageId));
    expect(batches[1]).toEqual(batches[0]);
    const refused = server.received[6].body.batch[0];
    expect([refused.type, refused.userId]).toEqual(['identify', 'u3']);
    // The other nine go, in order: the first step, then the second's but u3's identify, then the last.
    expect(acceptedIds(server.received)).toEqual([...batches[2], ...batches[3].filter((id) => id !== refused.messageId), ...batches[8]]);
    expect(await scenario.query(`SELECT count(*) AS n, min(message_id) AS id, min(error) AS error FROM roster._failed_messages`))
      .toEqual([{ n: 1, id: refused.messageId, error: expect.stringMatching(/HTTP 400: bad message/) }]);
    // Failed messages are not re-sent as they are.
    expect((await scenario.deliver([LOGINS], { open: FAST })).destinations[0]).toMatchObject({ sent: 0, pending: 0 });
    expect(server.received).toHaveLength(9);
  });

  it('a 401 (a wrong write key) leaves every message pending; once fixed, deliver sends them all, each once', async () => {
    const { server, scenario } = await setup([{ status: 401, body: 'bad write key' }, { status: 200 }]);
    const run = await scenario.run([LOGINS], T1, { open: FAST });
    expect(run.delivery).toMatchObject({ ok: false, pending: 10, failed: 0 });
    expect(run.delivery!.destinations[0].errors[0]).toMatch(/HTTP 401: bad write key \(check the destination's url and write_key in roster.yml; the messages stay pending\)/);
    expect(await outbox(scenario)).toEqual([{ pending: 10, done: 0 }]);
    expect(await scenario.deliver([LOGINS], { open: FAST })).toMatchObject({ ok: true, pending: 0, failed: 0 });
    expect(acceptedIds(server.received)).toEqual(server.received[0].body.batch.map((m) => m.messageId));
    expect(new Set(acceptedIds(server.received)).size).toBe(10);
  });

  it('messages left pending reach the users each account had in their own run, not those it has when they are finally sent', async () => {
    // After T1: u3 logs in (a2's count changes) and u4 joins a1 (whose count does not).
    const later: Fixture = {
      events: [...world.events!, { id: 'l3', user_id: 'u3', event: 'Logged In', timestamp: '2024-06-02T12:00:00Z' }],
      groups: [...world.groups!, { id: 'g5', user_id: 'u4', group_id: 'a1', timestamp: '2024-06-02T00:00:00Z' }],
    };
    const { server, scenario } = await setup([{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 200 }], {}, later);
    expect((await scenario.run([LOGINS], T1, { open: FAST })).delivery).toMatchObject({ ok: false, pending: 10 });
    expect((await scenario.run([LOGINS], '2024-06-03T00:00:00Z', { open: FAST })).delivery).toMatchObject({ ok: false, pending: 17 });
    expect(await scenario.deliver([LOGINS], { open: FAST })).toMatchObject({ ok: true, pending: 0 });
    // One request per run's delivery, both answered 200.
    const accepted = server.received.filter((r) => r.status === 200).flatMap((r) => r.body.batch);
    const sent = accepted.map((m) => [m.type, m.type === 'group' ? m.groupId : m.userId, m.type === 'track' ? m.properties.logins : m.traits.logins]);
    expect(sent).toEqual([
      // T1: a1 {u1, u2} has 2 logins, a2 {u2, u3} has 1; identify and track by user, then account.
      ['group', 'a1', 2], ['group', 'a2', 1],
      ['identify', 'u1', 2], ['identify', 'u2', 2], ['identify', 'u2', 1], ['identify', 'u3', 1],
      ['track', 'u1', 2], ['track', 'u2', 2], ['track', 'u2', 1], ['track', 'u3', 1],
      // T2: a2 changed (u3's login) and reaches its users; u4, new in a1, gets a1's unchanged value.
      ['group', 'a2', 2],
      ['identify', 'u2', 2], ['identify', 'u3', 2], ['identify', 'u4', 2],
      ['track', 'u2', 2], ['track', 'u3', 2], ['track', 'u4', 2],
    ]);
    expect(new Set(accepted.map((m) => m.messageId)).size).toBe(17);
  });

  it('a membership that ended stays readable while messages of the run that had it are pending', async () => {
    // An associating SQL trait: users with an event in the last day belong to account a9.
    const RECENT = {
      kind: 'sql_trait', key: 'recent', entity: 'account', traits: ['recent'],
      sql: `SELECT 'a9' AS group_id, user_id, CAST(count(*) AS INTEGER) AS recent FROM {{source "tracks"}} WHERE "timestamp" > {{as_of}} - INTERVAL '1 day' AND "timestamp" <= {{as_of}} GROUP BY user_id`,
    };
    const { server, scenario } = await setup([{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 200 }]);
    // T1: u2's login (2024-05-31 12:00) is within the day: u2 belongs to a9, whose value is 1.
    expect((await scenario.run([RECENT], T1, { open: FAST })).delivery).toMatchObject({ ok: false, pending: 3 });
    // T2: nobody logged in the day before: a9's value became empty and u2 left a9.
    expect((await scenario.run([RECENT], '2024-06-03T00:00:00Z', { open: FAST })).delivery).toMatchObject({ ok: false, pending: 4 });
    expect(await scenario.deliver([RECENT], { open: FAST })).toMatchObject({ ok: true, pending: 0 });
    const accepted = server.received.filter((r) => r.status === 200).flatMap((r) => r.body.batch);
    expect(accepted.map((m) => [m.type, m.type === 'group' ? m.groupId : m.userId, m.type === 'group' ? m.userId ?? m.anonymousId : null, m.type === 'track' ? m.properties.recent : m.traits.recent])).toEqual([
      ['group', 'a9', 'u2', 1], ['identify', 'u2', null, 1], ['track', 'u2', null, 1],
      // T2: a9 has no users any more (hence the anonymousId), so the change reaches nobody else.
      ['group', 'a9', 'group:a9', null],
    ]);
  });
});

/*
 * A message refused alone is rejected only once the endpoint takes one sent after it (it may be
 * refusing everything). When it ended a delivery, the one after it must be tried for that verdict:
 * a review saw an audience's last three messages refused, and the delivery stop there at every
 * run and deliver, never sending the 73 messages after them.
 */
describe('a message refused alone at the end of a delivery', () => {
  const users: Fixture = {
    events: world.events,
    groups: [{ id: 'g1', user_id: 'u1', group_id: 'a1', timestamp: '2024-05-01T00:00:00Z' }, { id: 'g3', user_id: 'u2', group_id: 'a2', timestamp: '2024-05-03T00:00:00Z' }],
  };
  // Delivered in key order: active's 4 messages (identify u1, u2; track u1, u2), then logins' 4.
  const ACTIVE = 'kind: audience\nkey: active\nentity: user\nwhere:\n  event: { name: Logged In }';
  const USER_LOGINS = 'kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In';
  const isLastOfActive = (m: Received['body']['batch'][number]) => m.type === 'track' && m.userId === 'u2' && m.event === 'Audience Entered';

  it('is rejected once the first message of the next delivery is taken; the rest all go, in order, and a deliver after sends nothing', async () => {
    const { server, scenario } = await setup([(r) => (r.body.batch.some(isLastOfActive) ? { status: 400, body: 'invalid event' } : { status: 200 })], {}, users);
    const run = await scenario.run([ACTIVE, USER_LOGINS], T1, { open: FAST });
    expect(run.delivery).toMatchObject({ pending: 0, failed: 1 });
    expect(run.delivery!.destinations[0]).toMatchObject({ sent: 7, failed: 1, pending: 0 });
    const all = server.received.flatMap((r) => r.body.batch);
    const refused = all.find(isLastOfActive)!;
    const accepted = acceptedIds(server.received);
    expect(accepted).toHaveLength(7);
    expect(accepted).not.toContain(refused.messageId);
    // In outbox order: active's first three, then logins' four.
    expect(server.received.filter((r) => r.status === 200).flatMap((r) => r.body.batch.map((m) => `${m.type} ${m.userId} ${m.context?.personas?.computation_key}`)))
      .toEqual(['identify u1 active', 'identify u2 active', 'track u1 active', 'identify u1 logins', 'identify u2 logins', 'track u1 logins', 'track u2 logins']);
    // Its own reason only, not the whole delivery's error text.
    expect(await scenario.query(`SELECT definition_key AS key, message_id AS id, error FROM roster._failed_messages`))
      .toEqual([{ key: 'active', id: refused.messageId, error: 'HTTP 400: invalid event' }]);
    expect(run.delivery!.destinations[0].errors).toEqual([`destination "segment": message ${refused.messageId} refused: HTTP 400: invalid event`]);
    expect(await outbox(scenario)).toEqual([{ pending: 0, done: 8 }]);
    const requests = server.received.length;
    expect((await scenario.deliver([ACTIVE, USER_LOGINS], { open: FAST })).destinations[0]).toMatchObject({ sent: 0, pending: 0, failed: 0 });
    expect(server.received).toHaveLength(requests);
  });

  it('with nothing taken after it, it stays pending, and the delivery says why', async () => {
    const { server, scenario } = await setup([(r) => (r.body.batch.some(isLastOfActive) ? { status: 400, body: 'invalid event' } : { status: 200 })], {}, users);
    const run = await scenario.run([ACTIVE], T1, { open: FAST });
    expect(run.delivery!.destinations[0]).toMatchObject({ sent: 3, failed: 0, pending: 1 });
    expect(run.delivery!.destinations[0].errors).toEqual([expect.stringMatching(/refused a message sent alone and took none after .*HTTP 400: invalid event\): pending until it takes a message after it$/)]);
    expect(await scenario.query(`SELECT count(*) AS n FROM roster._failed_messages`)).toEqual([{ n: 0 }]);
    expect(acceptedIds(server.received)).toHaveLength(3);
  });

  it('an endpoint refusing everything: refusals held across steps stop the delivery at five in a row, and none is failed', async () => {
    const { server, scenario } = await setup([{ status: 400, body: 'bad write key' }], {}, users);
    const run = await scenario.run([ACTIVE, USER_LOGINS], T1, { open: FAST, batchSize: 2 });
    expect(run.delivery).toMatchObject({ ok: false, pending: 8, failed: 0 });
    expect(run.delivery!.destinations[0].errors).toEqual([expect.stringMatching(/^destination "segment": the endpoint refused 5 messages in a row, each sent alone \(4 refused just before; here the first roster-\w+: HTTP 400: bad write key\): it may refuse every message/)]);
    // Steps of two: each sent whole, then each message alone; the fifth refused alone stops it.
    expect(server.received.map((r) => r.body.batch.length)).toEqual([2, 1, 1, 2, 1, 1, 2, 1]);
    expect(await outbox(scenario)).toEqual([{ pending: 8, done: 0 }]);
  });

  it('five in a row across two deliveries stop it too, though the endpoint takes the message after them', async () => {
    // active's two tracks (its last messages), then logins' first three; logins' last is taken.
    const refused = (m: Received['body']['batch'][number]) => (m.context?.personas?.computation_key === 'active' ? m.type === 'track' : !(m.type === 'track' && m.userId === 'u2'));
    const { server, scenario } = await setup([(r) => (r.body.batch.some(refused) ? { status: 400, body: 'invalid' } : { status: 200 })], {}, users);
    const run = await scenario.run([ACTIVE, USER_LOGINS], T1, { open: FAST });
    expect(run.delivery).toMatchObject({ ok: false, pending: 6, failed: 0 });
    expect(run.delivery!.destinations[0]).toMatchObject({ sent: 2 });
    expect(run.delivery!.destinations[0].errors).toEqual([expect.stringMatching(/the endpoint refused 5 messages in a row, each sent alone \(2 refused just before; here the first .*\): it may refuse every message/)]);
    expect(acceptedIds(server.received)).toHaveLength(2);
    expect(await scenario.query(`SELECT count(*) AS n FROM roster._failed_messages`)).toEqual([{ n: 0 }]);
  });
});
