import { afterEach, describe, expect, it } from 'vitest';
import { postgres } from '../../dialects/postgres.js';
import type { Fixture } from '../support/fixture.js';
import { ENGINES } from '../support/harness.js';
import { Scenario } from '../run/support.js';

/**
 * Keys may have 63 characters (SPEC 2), and roster names tables after them with a prefix
 * (`_run_`, `_members_`, ...). Postgres cuts names to 63 bytes without an error: two keys sharing
 * their first 58 characters would share their scratch tables, and a members table would never be
 * found again (every run a first run).
 */
const P = 'k'.repeat(60);
const world: Fixture = {
  events: [
    { id: 'l1', user_id: 'u1', event: 'Logged In', timestamp: '2024-05-30T12:00:00Z' },
    { id: 'l2', user_id: 'u1', event: 'Logged In', timestamp: '2024-05-31T12:00:00Z' },
    { id: 'l3', user_id: 'u3', event: 'Logged In', timestamp: '2024-05-31T18:00:00Z' },
  ],
  groups: [
    { id: 'g1', user_id: 'u1', group_id: 'a1', timestamp: '2024-05-01T00:00:00Z' },
    { id: 'g2', user_id: 'u3', group_id: 'a2', timestamp: '2024-05-02T00:00:00Z' },
  ],
};
const T1 = '2024-06-01T00:00:00Z';
const defs = [
  `kind: computed_trait\nkey: ${P}all\nentity: user\ntype: event_counter\nevent: Logged In`,
  `kind: computed_trait\nkey: ${P}day\nentity: user\ntype: event_counter\nevent: Logged In\nwindow: { last: 1 days }`,
  `kind: audience\nkey: ${P}one\nentity: account\nwhere: { event: { name: Logged In, count: { gte: 1 } } }`,
  `kind: audience\nkey: ${P}two\nentity: account\nwhere: { event: { name: Logged In, count: { gte: 2 } } }`,
];

let scenarios: Scenario[] = [];
afterEach(async () => {
  for (const s of scenarios) await s.close();
  scenarios = [];
});

describe.each(ENGINES)('63-character keys sharing 60 characters, on %s', (engine) => {
  it('each keeps its own tables: right values, and a second run at the same as_of sends nothing', async () => {
    const s = await Scenario.create(world, undefined, engine);
    scenarios.push(s);
    const first = await s.run(defs, T1);
    expect(first.report.ok).toBe(true);
    const values = async (key: string, id: string) =>
      Object.fromEntries((await s.query(`SELECT ${id} AS id, ${s.wh.dialect.quoteIdent(key)} AS v FROM ${s.wh.dialect.qualify(s.state, key)}`)).map((r) => [r.id, Number(r.v)]));
    const ids = async (key: string) => (await s.query(`SELECT group_id AS id FROM ${s.wh.dialect.qualify(s.state, key)} ORDER BY 1`)).map((r) => r.id);
    expect(await values(`${P}all`, 'user_id')).toEqual({ u1: 2, u3: 1 });
    expect(await values(`${P}day`, 'user_id')).toEqual({ u1: 1, u3: 1 }); // as_of - 1 day < timestamp: l2 and l3
    expect(await ids(`${P}one`)).toEqual(['a1', 'a2']);
    expect(await ids(`${P}two`)).toEqual(['a1']);
    const again = await s.run(defs, T1);
    expect(again.report.outcomes.map((o) => o.emission?.firstRun)).toEqual([false, false, false, false]);
    expect(again.arrived.crm).toEqual([]);
  });
});

describe('Postgres names', () => {
  it('keeps names up to 63 bytes, and makes longer ones 63 bytes: a prefix and a hash of the whole', () => {
    const d = postgres;
    expect(d.storedName(`_run_${'k'.repeat(58)}`)).toBe(`_run_${'k'.repeat(58)}`);
    const a = d.storedName(`_run_${P}all`);
    const b = d.storedName(`_run_${P}day`);
    expect([Buffer.byteLength(a), Buffer.byteLength(b)]).toEqual([63, 63]);
    expect(a).not.toBe(b);
    expect(a.startsWith('_run_kkk')).toBe(true);
    expect(d.quoteIdent(`_run_${P}all`)).toBe(`"${a}"`);
    expect(Buffer.byteLength(d.storedName(`_members_${'é'.repeat(40)}`))).toBeLessThanOrEqual(63);
  });
});
