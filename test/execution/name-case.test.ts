import { describe, expect, it } from 'vitest';
import { runFixture } from '../support/harness.js';
import { AS_OF, world } from './world.js';

/**
 * Source names in another case than Segment's lower case: the feature_used table renamed
 * "Feature_Used", the identifies column role renamed "Role". DuckDB matches names whatever their
 * case; Postgres matches a quoted name exactly, so roster reads them as missing there (SPEC 3: no
 * events, a null trait, with a warning saying why), not as a query that fails.
 */
describe('source names in another case', () => {
  const prepare = (schema: string) => [
    `ALTER TABLE ${schema}.feature_used RENAME TO "Feature_Used"`,
    `ALTER TABLE ${schema}.identifies RENAME COLUMN role TO "Role"`,
  ];
  const defs = [
    'kind: audience\nkey: admins\nentity: user\nwhere: { trait: { key: role, op: eq, value: admin } }',
    'kind: computed_trait\nkey: features\nentity: user\ntype: unique_list\nevent: Feature Used\nproperty: feature_name',
    // A SQL trait names the table as it is spelt: that reaches it on every engine.
    { kind: 'sql_trait', key: 'uses', entity: 'user', sql: 'SELECT user_id, count(*) AS uses FROM {{source "Feature_Used"}} WHERE "timestamp" <= {{as_of}} GROUP BY user_id' },
  ];
  // u1: reports x3, dashboards x3, alerts; u2: api; u3: "Zoë's 🚀" x2. Roles as of June 1: u1 admin (i1; i2's is null).
  const uses = { u1: 7, u2: 1, u3: 2 };

  it('DuckDB reads them under Segment\'s names', async () => {
    const r = await runFixture(world, defs, { asOf: AS_OF, engine: 'duckdb', prepare });
    try {
      expect(r.report.outcomes.map((o) => [o.key, o.status, o.warnings])).toEqual([['admins', 'ok', []], ['features', 'ok', []], ['uses', 'ok', []]]);
      expect(await r.ids('admins')).toEqual(['u1']);
      expect(await r.values('features')).toEqual({ u1: ['alerts', 'dashboards', 'reports'], u2: ['api'], u3: ["Zoë's 🚀"] });
      expect(await r.values('uses')).toEqual(uses);
    } finally {
      await r.close();
    }
  });

  it('Postgres reads them as missing, saying which name differs in case', async () => {
    const r = await runFixture(world, defs, { asOf: AS_OF, engine: 'postgres', prepare });
    try {
      const by = Object.fromEntries(r.report.outcomes.map((o) => [o.key, o]));
      expect([by.admins.status, by.features.status, by.uses.status]).toEqual(['ok', 'ok', 'ok']);
      expect(by.admins.warnings).toEqual([expect.stringMatching(/^trait "role": column \w+\.identifies\.role does not exist; the trait is null \(column "Role" differs from it in case only, and names match exactly on postgres: Segment writes them in lower case\)$/)]);
      expect(by.features.warnings).toEqual([expect.stringMatching(/^event "Feature Used": table (\w+)\.feature_used does not exist; no such events yet \(\1\."Feature_Used" differs from it in case only, and names match exactly on postgres: Segment writes them in lower case\)$/)]);
      expect(await r.ids('admins')).toEqual([]);
      expect(await r.values('features')).toEqual({});
      expect(await r.values('uses')).toEqual(uses);
    } finally {
      await r.close();
    }
  });
});
