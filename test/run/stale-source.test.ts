import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/definitions/graph.js';
import { runProject } from '../../src/run/run-project.js';
import { world } from '../execution/world.js';
import { definitions, ENGINES, fixtureWarehouse, project } from '../support/harness.js';

/*
 * A first run left at its default as_of (now) over events that end long before (the demo's 2024
 * data) computes empty windows and holds every later run to now: it says so before committing.
 */
describe.each(ENGINES.flatMap((engine) => (['segment', 'events_json'] as const).map((layout) => [engine, layout] as const)))('a first run at now over old events (%s, %s layout)', (engine, layout) => {
  const defs = definitions(['kind: computed_trait\nkey: logins\nentity: user\ntype: event_counter\nevent: Logged In']);
  /** Runs at `asOf` as if no --as-of was given; returns the run-level warnings. */
  const runAtNow = async (fx: Awaited<ReturnType<typeof fixtureWarehouse>>, asOf: string, dryRun = false) => {
    const warnings: string[] = [];
    const report = await runProject(project(defs, layout, { schema: fx.schema }, fx.state), buildGraph(defs), fx.wh, { asOf: new Date(asOf), asOfIsNow: true, dryRun, onWarning: (m) => warnings.push(m) });
    expect(report.ok).toBe(true);
    return warnings;
  };

  it('warns on a first run a week or more after the newest event, naming it, and on a run a week past the last; not nearer, nor on runs at now a day apart', async () => {
    // The world's newest event is p14, 2024-06-05T10:00:00Z (after the tests' usual as_of).
    const near = await fixtureWarehouse(world, layout, engine);
    try {
      expect(await runAtNow(near, '2024-06-12T09:59:59Z')).toEqual([]);
      // A later run left at now, more than a week after the last one (a schedule passing --as-of
      // and one run without it), would hold every later run to now too: it says so.
      expect(await runAtNow(near, '2024-06-19T10:00:01Z')).toEqual([expect.stringMatching(
        /^the newest event in .* is at 2024-06-05T10:00:00\.000Z, more than a week before as_of 2024-06-19T10:00:01\.000Z \(now, as --as-of was not given\): .*; the last run was as of 2024-06-12T09:59:59\.000Z; once this run is committed, no later run may go back before it$/,
      )]);
      expect(await runAtNow(near, '2024-06-20T10:00:01Z')).toEqual([]); // a day after the last: a schedule at now
    } finally {
      await near.dispose();
    }
    const far = await fixtureWarehouse(world, layout, engine);
    try {
      const table = layout === 'segment' ? 'tracks' : 'events';
      expect(await runAtNow(far, '2026-11-30T00:00:00Z')).toEqual([expect.stringMatching(new RegExp(
        `^the newest event in ${far.schema}\\.${table} is at 2024-06-05T10:00:00\\.000Z, more than a week before as_of 2026-11-30T00:00:00\\.000Z \\(now, as --as-of was not given\\): `
        + 'windows such as "last 30 days" hold nothing then; pass --as-of to compute at another instant; once this run is committed, no later run may go back before it$',
      ))]);
      expect(await runAtNow(far, '2026-12-01T00:00:00Z')).toEqual([]); // no longer a first run
      // A dry run warns as preview does (it is how a first run is tried), without the commit's clause.
      expect(await runAtNow(far, '2026-12-02T00:00:00Z', true)).toEqual([expect.stringMatching(/more than a week before as_of 2026-12-02T00:00:00\.000Z .*pass --as-of to compute at another instant$/)]);
    } finally {
      await far.dispose();
    }
  });
});
