import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PostgresWarehouse } from '../../src/warehouse/postgres-runner.js';
import { roster } from '../cli/roster-cli.js';
import { tempProject, yml } from '../definitions/temp-project.js';

// A LATIN1 database cannot hold ✓ or 😀. roster keeps the track event names of a commit in its
// state (so a pending message keeps its content): they must be stored in a form it can hold.
describe.skipIf(!process.env.ROSTER_TEST_PG_URL)('Postgres server: a LATIN1 database', () => {
  it('runs a definition whose description and event-name template hold characters outside Latin-1', async () => {
    const url = process.env.ROSTER_TEST_PG_URL!;
    const db = `latin1_${process.pid}`;
    const admin = await PostgresWarehouse.connect(url);
    try {
      await admin.exec(`CREATE DATABASE ${db} ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`);
      const dbUrl = url.replace(/\/[^/?]*(\?|$)/, `/${db}$1`);
      const wh = await PostgresWarehouse.connect(dbUrl);
      try {
        await wh.exec('CREATE SCHEMA src');
        await wh.exec('CREATE TABLE src.tracks (id text, user_id text, anonymous_id text, event text, event_text text, timestamp timestamptz)');
        await wh.exec('CREATE TABLE src.logged_in (id text, user_id text, anonymous_id text, event text, event_text text, timestamp timestamptz)');
        for (const table of ['tracks', 'logged_in']) await wh.exec(`INSERT INTO src.${table} VALUES ('e1', 'u1', NULL, 'logged_in', 'Logged In', '2024-05-01T00:00:00Z')`);
      } finally {
        await wh.close();
      }
      const dir = tempProject({
        'roster.yml': yml('warehouse: { dialect: postgres, url: "' + dbUrl + '" }', 'source: { schema: src }',
          'destinations:', '  - { name: crm, type: jsonl, path: out/crm.jsonl, events: { audience_entered: "Entered: {{description}} ✓" } }'),
        'definitions/loggers.yml': yml('kind: audience', 'key: loggers', 'entity: user', 'description: logged in 😀 ✓', 'where: { event: { name: Logged In } }'),
      });
      const run = roster(['--project', dir, 'run', '--as-of', '2024-06-01']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const events = readFileSync(join(dir, 'out/crm.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; event?: string });
      expect(events.map((m) => m.event ?? m.type)).toEqual(['identify', 'Entered: logged in 😀 ✓ ✓']);
    } finally {
      await admin.exec(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.close();
    }
  });
});
