import { describe, expect, it } from 'vitest';
import { ENGINES, runFixture } from '../support/harness.js';

/*
 * SPEC 2: the literal's type decides, so `lte: "5"` on a number compares text, and 10 <= "5".
 * That is kept (it is the contract), but a run says so where the warehouse holds numbers.
 */
describe.each(ENGINES)('a string literal ordering numbers, on %s', (engine) => {
  const T = '2024-05-01T00:00:00Z';
  const world = {
    events: [
      { id: 'n1', user_id: 'u1', event: 'NPS Survey Submitted', timestamp: T, props: { score: 10 } },
      { id: 'n2', user_id: 'u2', event: 'NPS Survey Submitted', timestamp: T, props: { score: 4 } },
    ],
    groups: [{ id: 'g1', user_id: 'u1', group_id: 'a1', timestamp: T, traits: { employees: 90 } }],
  };
  const defs = [
    'kind: audience\nkey: detractors\nentity: user\nwhere: { event: { name: NPS Survey Submitted, where: [{ property: score, op: lte, value: "5" }] } }',
    'kind: audience\nkey: big\nentity: account\nwhere: { trait: { key: employees, op: gt, value: "100" } }',
    'kind: computed_trait\nkey: last_score\nentity: user\ntype: last\nevent: NPS Survey Submitted\nproperty: score',
    'kind: audience\nkey: low_last\nentity: user\nwhere: { trait: { key: last_score, op: lt, value: "5" } }',
    'kind: audience\nkey: fine\nentity: user\nwhere: { event: { name: NPS Survey Submitted, where: [{ property: score, op: lte, value: 5 }] } }',
    // eq compares text too, but "10" equals 10's text: no ordering, no surprise, no warning.
    'kind: audience\nkey: tens\nentity: user\nwhere: { event: { name: NPS Survey Submitted, where: [{ property: score, op: eq, value: "10" }] } }',
  ];

  it('compares as text, as SPEC says, and warns with the fix', async () => {
    const run = await runFixture(world, defs, { asOf: '2024-06-01T00:00:00Z', engine });
    try {
      // As text: "10" <= "5" and "4" <= "5"; "90" > "100"; "10" < "5" and "4" < "5" (last scores). As numbers only u2, u2, none, u2.
      expect(await run.ids('detractors')).toEqual(['u1', 'u2']);
      expect(await run.ids('big')).toEqual(['a1']);
      expect(await run.ids('low_last')).toEqual(['u1', 'u2']);
      expect(await run.ids('fine')).toEqual(['u2']);
      const warnings = Object.fromEntries(run.report.outcomes.map((o) => [o.key, o.warnings]));
      expect(warnings.detractors).toEqual([expect.stringMatching(/^property "score" of "NPS Survey Submitted": lte "5" compares text \("10" is before "9"\), but column \S+\.nps_survey_submitted\.score holds numbers \(\w+\); write 5 without quotes to compare numbers$/)]);
      expect(warnings.big).toEqual([expect.stringMatching(/^trait "employees": gt "100" compares text \("10" is before "9"\), but column \S+\.groups\.employees holds numbers \(\w+\); write 100 without quotes to compare numbers$/)]);
      expect(warnings.low_last).toEqual([expect.stringMatching(/^trait "last_score": lt "5" compares text \("10" is before "9"\), but property "score" of "NPS Survey Submitted" holds numbers \(\w+\); write 5 without quotes to compare numbers$/)]);
      expect(warnings.fine).toEqual([]);
      expect(await run.ids('tens')).toEqual(['u1']);
      expect(warnings.tens).toEqual([]);
    } finally {
      await run.close();
    }
  });
});
