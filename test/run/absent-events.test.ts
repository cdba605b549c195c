import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/definitions/graph.js';
import { absentEventWarnings } from '../../src/run/absent-events.js';
import { runProject } from '../../src/run/run-project.js';
import { AS_OF, world } from '../execution/world.js';
import { definitions, ENGINES, fixtureWarehouse, project } from '../support/harness.js';

/*
 * Event names match exactly (SPEC 2). A name in another case, or the table's snake_case written
 * for the name, finds the table but none of its events: the run says so instead of computing
 * nothing in silence.
 */
describe.each(ENGINES.flatMap((engine) => (['segment', 'events_json'] as const).map((layout) => [engine, layout] as const)))('an event name the warehouse holds no event of (%s, %s layout)', (engine, layout) => {
  it('is warned about once per name, with the name the events have; a right name and a missing table are not', async () => {
    const fx = await fixtureWarehouse(world, layout, engine);
    try {
      const defs = definitions([
        'kind: computed_trait\nkey: wrong_case\nentity: user\ntype: event_counter\nevent: Logged in',
        'kind: audience\nkey: slug\nentity: user\nwhere: { any: [{ event: { name: logged_in } }, { event: { name: Logged in } }] }',
        'kind: computed_trait\nkey: right\nentity: user\ntype: event_counter\nevent: Logged In',
        'kind: computed_trait\nkey: missing\nentity: user\ntype: event_counter\nevent: Never Happened',
      ]);
      const warnings: string[] = [];
      // The first name a table lacks reads its names once; the table's other names are looked up
      // in them (a probe of an absent name reads the whole table).
      const queries: string[] = [];
      const counted = Object.assign(Object.create(fx.wh) as typeof fx.wh, { query: (sql: string) => (queries.push(sql), fx.wh.query(sql)) });
      await absentEventWarnings(counted, project(defs, layout, { schema: fx.schema }, fx.state).config, await fx.wh.sourceCatalog(fx.schema), defs);
      expect(queries.filter((q) => /DISTINCT/.test(q))).toHaveLength(1);
      expect(queries).toHaveLength(3);
      const report = await runProject(project(defs, layout, { schema: fx.schema }, fx.state), buildGraph(defs), fx.wh, { asOf: new Date(AS_OF), onWarning: (m) => warnings.push(m) });
      expect(report.ok).toBe(true);
      // Sorted by name. Segment: the missing table is warned about by the definition itself.
      expect(warnings).toEqual(layout === 'segment' ? [
        `event "Logged in" (read by slug, wrong_case): ${fx.schema}.logged_in holds no event of that name, so it matches none (its events are named "Logged In"); event names match exactly, case included`,
        `event "logged_in" (read by slug): ${fx.schema}.logged_in holds no event of that name, so it matches none (its events are named "Logged In"); event names match exactly, case included`,
      ] : [
        `event "Logged in" (read by slug, wrong_case): ${fx.schema}.events holds no event of that name, so it matches none (did you mean "Logged In"? event names match exactly, case included)`,
        `event "Never Happened" (read by missing): ${fx.schema}.events holds no event of that name; no such events yet`,
        `event "logged_in" (read by slug): ${fx.schema}.events holds no event of that name, so it matches none (did you mean "Logged In"? event names match exactly, case included)`,
      ]);
    } finally {
      await fx.dispose();
    }
  });
});
