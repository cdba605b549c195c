import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../dialects/index.js';
import { compileDefinition } from '../../src/compiler/compile.js';
import { compilePlan } from '../../src/compiler/plan/plan.js';
import { readsUniverse } from '../../src/definitions/audience-candidates.js';
import type { Audience } from '../../src/definitions/definition.js';
import { buildGraph } from '../../src/definitions/graph.js';
import { loadProject } from '../../src/definitions/load-project.js';
import { tempProject, yml } from '../definitions/temp-project.js';

/*
 * The graph orders an audience after the SQL traits that add users only when readsUniverse says
 * it reads every user; the compiler must then read every user exactly there. Each condition is
 * compiled standalone and in the run plan, on every dialect.
 */
const project = async (where: string) => loadProject(tempProject({
  'roster.yml': '',
  'definitions/logins.yml': yml('kind: computed_trait', 'key: logins', 'entity: user', 'type: event_counter', 'event: Logged In'),
  'definitions/features.yml': yml('kind: computed_trait', 'key: features', 'entity: user', 'type: unique_list', 'event: Feature Used', 'property: name'),
  'definitions/scores.yml': yml('kind: sql_trait', 'key: scores', 'entity: user', 'traits: [score]', 'sql: SELECT user_id, 1 AS score FROM {{source "identifies"}}'),
  'definitions/visitors.yml': yml('kind: sql_trait', 'key: visitors', 'entity: user', 'sql: SELECT user_id, true AS visitors FROM {{source "identifies"}}'),
  // reads an audience's state: its ids count as users only for what runs after it, like aud when it
  // reads the trait, so its rows can be aud's candidates
  'definitions/referred.yml': yml('kind: sql_trait', 'key: referred', 'entity: user', 'sql: SELECT user_id, 1 AS referred FROM {{state "payers"}}'),
  'definitions/payers.yml': yml('kind: audience', 'key: payers', 'entity: user', 'where: { event: { name: Order Completed } }'),
  'definitions/members.yml': yml('kind: sql_trait', 'key: members', 'entity: account', 'traits: [seats]', 'sql: SELECT group_id, user_id, 1 AS seats FROM {{source "groups"}}'),
  'definitions/paying.yml': yml('kind: audience', 'key: paying', 'entity: account', 'where: { trait: { key: plan, op: eq, value: pro } }'),
  'definitions/aud.yml': yml('kind: audience', 'key: aud', 'entity: user', 'where:', ...where.split('\n').map((l) => `  ${l}`)),
}));

describe('an audience reads every user exactly where readsUniverse says so', () => {
  it.each([
    ['event: { name: Logged In }', false],
    ['event: { name: Logged In, count: { lt: 3 } }', true],
    ['event: { name: Logged In, count: { eq: 0 } }', true],
    ['trait: { key: logins, op: gte, value: 2 }', false],
    ['trait: { key: logins, op: lte, value: 2 }', true],
    ['trait: { key: features, op: contains, value: api }', false],
    ['trait: { key: features, op: not_contains, value: api }', true],
    ['trait: { key: plan, op: eq, value: pro }', false], // a custom trait
    ['trait: { key: plan, op: not_exists }', true],
    ['trait: { key: score, op: eq, value: 1 }', false], // the SQL trait's rows: its ids are users
    ['trait: { key: score, op: not_exists }', true],
    ['trait: { key: referred, op: eq, value: 1 }', false],
    ['audience: { key: paying }', true], // passthrough: any user of a member account
    ['not: { event: { name: Logged In } }', true],
    ['all: [{ event: { name: Logged In } }, { not: { trait: { key: plan, op: exists } } }]', false],
    ['any: [{ event: { name: Logged In } }, { trait: { key: plan, op: eq, value: pro } }]', false], // their union
    ['any: [{ event: { name: Logged In } }, { not: { trait: { key: plan, op: exists } } }]', true],
  ])('%s: reads every user = %s', async (where, expected) => {
    const p = await project(where);
    const aud = p.definitions.find((d) => d.key === 'aud') as Audience & { file: string };
    expect(readsUniverse(aud, p.definitions)).toBe(expected);
    const graph = buildGraph(p.definitions);
    // visitors only adds users: an edge to it says the audience waits for it
    expect(graph.deps('aud').includes('visitors')).toBe(expected);
    for (const dialect of Object.values(DIALECTS)) {
      const options = { dialect: dialect!, config: p.config, definitions: p.definitions };
      expect(compileDefinition(aud, options).sql.includes('all_users AS (')).toBe(expected);
      const plan = compilePlan({ ...options, order: graph.order });
      const step = plan.steps.find((s) => s.key === 'aud')!;
      expect(step.error).toBeUndefined();
      expect(step.needs.some((n) => n.includes('all_users'))).toBe(expected);
    }
  });
});
