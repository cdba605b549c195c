import { describe, expect, it } from 'vitest';
import { ENGINES, runFixture } from '../support/harness.js';

/*
 * SPEC 3 sends numbers as JSON, which holds no NaN or ±Infinity. A double property holding one is
 * a value no message can carry: first / last / most_frequent read it as no value (last takes the
 * latest one it can send), and exists is false on it, as for a timestamp beyond ISO-8601. It was
 * stored as NaN, sent as null on a first run, and made its user a member of `exists`.
 */
describe.each(ENGINES)('a number property no message can carry (NaN, ±Infinity), on %s', (engine) => {
  it('is no value: first and last take the next one, most_frequent does not count it, exists is false', async () => {
    const paid = (id: string, user: string, day: number, total: number) => ({ id, user_id: user, event: 'Paid', timestamp: `2024-03-0${day}T00:00:00Z`, props: { total } });
    const fixture = {
      events: [
        paid('p1', 'u1', 1, 2.5), paid('p2', 'u1', 2, Number.NaN), paid('p3', 'u1', 3, Number.POSITIVE_INFINITY),
        paid('p4', 'u2', 1, Number.NEGATIVE_INFINITY), paid('p5', 'u2', 2, Number.NaN), paid('p6', 'u2', 3, Number.NaN),
        paid('p7', 'u3', 1, Number.NaN),
      ],
    };
    const trait = (key: string, type: string, extra = '') => `kind: computed_trait\nkey: ${key}\nentity: user\ntype: ${type}\nevent: Paid\nproperty: total${extra}`;
    const run = await runFixture(fixture, [
      trait('first_total', 'first'), trait('last_total', 'last'), trait('usual_total', 'most_frequent', '\nmin_frequency: 1'),
      'kind: audience\nkey: has_last\nentity: user\nwhere:\n  trait: { key: last_total, op: exists }',
      'kind: audience\nkey: paid_nan\nentity: user\nwhere:\n  event: { name: Paid, where: [{ property: total, op: exists }], count: { gte: 2 } }',
    ], { asOf: '2024-06-01T00:00:00Z', engine });
    try {
      expect(run.report.outcomes.filter((o) => o.status !== 'ok')).toEqual([]);
      expect(await run.values('first_total')).toEqual({ u1: 2.5 });
      expect(await run.values('last_total')).toEqual({ u1: 2.5 });
      expect(await run.values('usual_total')).toEqual({ u1: 2.5 });
      expect(Object.keys(await run.values('has_last'))).toEqual(['u1']);
      expect(await run.values('paid_nan')).toEqual({});
    } finally {
      await run.close();
    }
  });
});
