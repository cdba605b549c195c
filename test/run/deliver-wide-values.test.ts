import { afterEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../support/fixture.js';
import { ENGINES } from '../support/harness.js';
import { Scenario } from './support.js';

/*
 * An account trait's value goes to the account and to every user of it: a delivery of wide values
 * repeats each one many times. A scale review saw a first delivery of 13 GB of such messages fail
 * at any memory_limit, and stop every later run and deliver, because their numbering sorted the
 * messages with their values. The numbering now sorts ids alone; each batch takes its values by
 * the change row they come from.
 */
const ACCOUNTS = Array.from({ length: 20 }, (_, i) => `a${String(i).padStart(2, '0')}`);
const USERS_PER_ACCOUNT = 100;
const world: Fixture = {
  groups: [
    ...ACCOUNTS.flatMap((a) => Array.from({ length: USERS_PER_ACCOUNT }, (_, k) => ({ id: `g_${a}_${k}`, user_id: `u_${a}_${k}`, group_id: a, timestamp: '2024-05-01T00:00:00Z' }))),
    // A user of two accounts gets each account's value.
    { id: 'g_both', user_id: 'u_a00_0', group_id: 'a01', timestamp: '2024-05-02T00:00:00Z' },
  ],
};
const REPEAT = 3_000;
// About 9 KB per account, sent to 100 users each: 4,022 messages, 36 MB of values, against a DuckDB
// memory_limit of 16 MB. (Before, the numbering carried the values, and failed.)
const BLOB = {
  kind: 'sql_trait', key: 'blob', entity: 'account', traits: ['blob'],
  sql: `SELECT group_id, repeat(group_id, ${REPEAT}) AS blob FROM {{source "groups"}} GROUP BY group_id`,
};
const blobOf = (account: string) => account.repeat(REPEAT);

let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.close();
  scenario = undefined;
});

// Values read once for the whole delivery (a small one), or looked up batch by batch (a large one).
const READS = { whole: undefined, 'batch by batch': { rows: 0, chars: 0 } };

describe.each(ENGINES)('a delivery whose values are larger than the warehouse memory, on %s', (engine) => {
  it.each(Object.entries(READS))('is numbered without its values and sends every message with its own account\'s value, in order (values read %s)', async (_, readWhole) => {
    scenario = await Scenario.create(world, undefined, engine);
    await scenario.run([BLOB], '2024-06-01T00:00:00Z', { deliver: false });
    if (engine === 'duckdb') await scenario.wh.exec(`SET memory_limit = '16MB'`);
    // Stopped partway and resumed: the second delivery numbers from its cursor.
    expect(await scenario.deliver([BLOB], { batchSize: 100, readWhole, maxMessages: 1500 })).toMatchObject({ ok: false, pending: 4022 - 1500 });
    const delivery = await scenario.deliver([BLOB], { batchSize: 100, readWhole });
    expect(delivery).toMatchObject({ ok: true, pending: 0, failed: 0 });

    const userRows = ACCOUNTS.flatMap((a) => Array.from({ length: USERS_PER_ACCOUNT }, (_, k) => [`u_${a}_${k}`, a]));
    userRows.push(['u_a00_0', 'a01']);
    // By user id, then account id: u_a00_0 gets a00's value, then a01's.
    userRows.sort(([u1, a1], [u2, a2]) => (u1 < u2 ? -1 : u1 > u2 ? 1 : a1 < a2 ? -1 : 1));
    const expected = [
      ...ACCOUNTS.map((a) => `group ${a} ${a}`),
      ...userRows.map(([u, a]) => `identify ${u} ${a}`),
      ...userRows.map(([u, a]) => `track ${u} ${a}`),
    ];
    const sent = scenario.messages('crm').map((m) => {
      const value = String(m.type === 'track' ? m.properties?.blob : m.traits?.blob);
      const account = value.slice(0, 3);
      expect(value).toBe(blobOf(account));
      return `${m.type} ${m.type === 'group' ? m.groupId : m.userId} ${account}`;
    });
    expect(sent).toEqual(expected);
    expect(sent).toHaveLength(20 + 2 * 2001);
  });
});
