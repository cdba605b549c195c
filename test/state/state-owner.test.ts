import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/definitions/graph.js';
import type { Project } from '../../src/definitions/project.js';
import { runProject } from '../../src/run/run-project.js';
import { AS_OF, world } from '../execution/world.js';
import { definitions, ENGINES, fixtureWarehouse, project } from '../support/harness.js';

/*
 * Two projects that keep one state schema (both keep init's `roster`) would each diff against the
 * other's results and send that difference as changes: the run log keeps which project read which
 * source, and a run that is not the last one's says so.
 */
describe.each(ENGINES)('a state schema last committed by another project or source, on %s', (engine) => {
  const defs = definitions(['kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In']);

  it('is warned of, naming both; the same project again, or a run log an earlier roster wrote, is not', async () => {
    const fx = await fixtureWarehouse(world, 'segment', engine);
    try {
      const named = (name: string, layout: 'segment' | 'events_json' = 'segment'): Project => {
        const p = project(defs, layout, { schema: fx.schema }, fx.state);
        return { ...p, config: { ...p.config, name } };
      };
      const run = async (p: Project, day: string, dryRun = false) => {
        const warnings: string[] = [];
        const report = await runProject(p, buildGraph(defs), fx.wh, { asOf: new Date(day), dryRun, onWarning: (w) => warnings.push(w) });
        expect(report.ok).toBe(true);
        return warnings.filter((w) => w.includes('was last committed by'));
      };
      expect(await run(named('acme'), AS_OF)).toEqual([]);
      expect(await run(named('acme'), '2024-06-02T00:00:00Z')).toEqual([]);
      expect(await run(named('globex'), '2024-06-03T00:00:00Z')).toEqual([
        `the state schema ${fx.state} was last committed by project "acme" reading ${fx.schema} (segment), and this is project "globex" reading ${fx.schema} (segment):`
        + ' results are diffed against what that run kept, and destinations are sent the difference as changes; give each project its own state.schema in roster.yml',
      ]);
      expect(await run(named('globex'), '2024-06-04T00:00:00Z')).toEqual([]);
      // A dry run diffs against the same state: warned alike.
      expect(await run(named('acme'), '2024-06-04T00:00:00Z', true)).toHaveLength(1);
      // A run log an earlier roster wrote has no source column: it is added, with nothing to compare with.
      await fx.wh.exec(`ALTER TABLE ${fx.wh.dialect.qualify(fx.state, '_runs')} DROP COLUMN source`);
      expect(await run(named('initech'), '2024-06-05T00:00:00Z')).toEqual([]);
      expect(await run(named('acme'), '2024-06-06T00:00:00Z')).toHaveLength(1);
    } finally {
      await fx.dispose();
    }
  });
});
