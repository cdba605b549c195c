import path from 'node:path';
import pkg from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import { withoutWithinGroup } from '../support/snowflake-sql.js';
import { DIALECTS } from '../../dialects/index.js';
import { compilePlan, planFile, type RunPlan } from '../../src/compiler/plan/plan.js';
import { buildGraph } from '../../src/definitions/graph.js';
import { loadProject } from '../../src/definitions/load-project.js';
import { EXAMPLE_SCANS, eventTableScans } from './scans.js';
import { definitions } from '../support/harness.js';

/*
 * The fused run plan is a compiled artifact of its own: golden/<dialect>/run/<project>.sql,
 * byte for byte (`npx vitest run test/plan -u` rewrites them; read a change in review like code).
 */
const root = path.resolve(import.meta.dirname, '../..');
const PROJECTS = { 'b2b-saas': 'examples/b2b-saas', corpus: 'test/golden/corpus', 'corpus-json': 'test/golden/corpus-json' };

async function planOf(dir: string, dialect: keyof typeof DIALECTS): Promise<{ plan: RunPlan; file: string }> {
  const project = await loadProject(path.join(root, dir));
  const graph = buildGraph(project.definitions);
  const d = DIALECTS[dialect];
  const plan = compilePlan({ dialect: d, config: project.config, definitions: project.definitions, order: graph.order });
  return { plan, file: planFile(plan, d, path.basename(dir)) };
}

for (const name of Object.keys(DIALECTS) as (keyof typeof DIALECTS)[]) {
  describe(`golden run plan for ${name}`, () => {
    for (const [title, dir] of Object.entries(PROJECTS)) {
      it(title, async () => {
        const { file } = await planOf(dir, name);
        await expect(file).toMatchFileSnapshot(path.join(root, 'golden', name, 'run', `${title}.sql`));
      });
    }
  });
}

describe('the run plan shares work', () => {
  it('the example project reads each event table in one user-level pass (most_frequent and distinct lists: one pass by user and value) and at most one account-level pass', async () => {
    const { plan } = await planOf(PROJECTS['b2b-saas'], 'duckdb');
    expect(eventTableScans(plan)).toEqual(EXAMPLE_SCANS);
    // Accounts, memberships and custom traits once each. Every user audience of the example can
    // only hold for users with events or traits it reads, so none needs every user.
    for (const table of ['_plan_all_accounts', '_plan_account_users', '_plan_user_traits', '_plan_account_traits']) {
      expect(plan.steps.filter((s) => s.name === table)).toHaveLength(1);
    }
    expect(plan.steps.filter((s) => s.name === '_plan_all_users')).toEqual([]);
    expect(plan.steps.filter((s) => /FROM "main"\."(groups|identifies)"/.test(s.sql) && s.kind === 'definition')).toEqual([]);
  });

  it('every step comes after the steps and definitions it reads', async () => {
    for (const dir of Object.values(PROJECTS)) {
      const { plan } = await planOf(dir, 'duckdb');
      const seen = new Set<string>();
      for (const step of plan.steps) {
        for (const n of step.needs) expect(seen.has(n), `${step.name} needs ${n}`).toBe(true);
        seen.add(step.name);
        if (step.key) seen.add(step.key);
      }
    }
  });
});

describe('the run plan as a file teams review', () => {
  it('a new definition adds lines for its own aggregates and leaves the names of the others alone (they are not numbered across the table)', async () => {
    const project = await loadProject(path.join(root, PROJECTS['b2b-saas']));
    const d = DIALECTS.duckdb;
    const fileOf = (definitions: typeof project.definitions) =>
      planFile(compilePlan({ dialect: d, config: project.config, definitions, order: buildGraph(definitions).order }), d, 'b2b-saas');
    const before = fileOf(project.definitions);
    // Sorts first, and asks the page_viewed pass for a count of its own and for one it shares.
    const added = definitions(['kind: audience\nkey: aa_pricing_fans\nentity: user\nwhere:\n  event: { name: Page Viewed, where: [{ property: path, op: eq, value: /pricing }], count: { gte: 5 } }']);
    const after = fileOf([...added, ...project.definitions]);
    const lines = new Set(after.split('\n'));
    const lost = before.split('\n').filter((line) => !lines.has(line));
    // Only the lines a new column sits next to: the pass's first column and its comma.
    expect(lost.filter((line) => !/^(-- roster run plan|SELECT|  e\.user_id,)/.test(line))).toEqual([]);
    expect(after).toMatch(/ AS n_aa_pricing_fans, -- aa_pricing_fans/);
  });
});

describe('the Snowflake run plans parse as Snowflake (a rough syntax guard, see test/golden/snowflake-syntax)', () => {
  const parser = new pkg.Parser();
  for (const [title, dir] of Object.entries(PROJECTS)) {
    it(title, async () => {
      const { plan } = await planOf(dir, 'snowflake');
      for (const step of plan.steps) {
        const sql = withoutWithinGroup(step.sql.replace(/:1\b/g, "'2024-06-01 00:00:00'"));
        expect(() => parser.astify(sql, { database: 'snowflake' }), step.name).not.toThrow();
        expect(sql).not.toMatch(/\bFILTER\s*\(\s*WHERE/i);
      }
    });
  }
});
