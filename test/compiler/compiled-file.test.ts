import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../dialects/index.js';
import { compileDefinition, compiledFile } from '../../src/compiler/compile.js';
import { ProjectConfig } from '../../src/definitions/project-config.js';
import { definitions } from '../support/harness.js';

/*
 * A compiled file is reviewed and may be run by hand: its header says what to bind and what it
 * reads. An audience over a trait's result names no as_of, and DuckDB refuses a value for a
 * parameter a statement does not name, so "bind as_of" must not be said of it.
 */
describe('a compiled file\'s header', () => {
  const defs = definitions([
    { kind: 'computed_trait', key: 'logins', entity: 'user', type: 'event_counter', event: 'Logged In' },
    'kind: audience\nkey: heavy\nentity: user\nwhere:\n  trait: { key: logins, op: gte, value: 2 }',
    { kind: 'computed_trait', key: 'last_page', entity: 'user', type: 'last', event: 'Page Viewed', property: 'path' },
    'kind: audience\nkey: odd_page\nentity: user\nwhere:\n  trait: { key: last_page, op: eq, value: "$1 $as_of :1" }',
  ]);
  const config = ProjectConfig.parse({ name: 'p' });
  const file = (key: string, dialect: keyof typeof DIALECTS) => {
    const def = defs.find((x) => x.key === key)!;
    const q = compileDefinition(def, { dialect: DIALECTS[dialect], config, definitions: defs });
    return { q, text: compiledFile(def, q, DIALECTS[dialect]) };
  };

  it.each(Object.keys(DIALECTS) as (keyof typeof DIALECTS)[])('names the as_of parameter only where the query uses it, and what it reads (%s)', (dialect) => {
    const logins = file('logins', dialect);
    expect(logins.q.params).toEqual(['as_of']);
    expect(logins.text).toContain('\n-- parameter as_of: the instant to compute at, as ISO-8601 UTC text');
    const heavy = file('heavy', dialect);
    expect(heavy.q.params).toEqual([]);
    expect(heavy.text).toContain('\n-- no parameter\n-- reads the results of: logins (in a run, that run\'s; run alone, the last committed ones in the state schema)\n');
    // A placeholder's text in a literal is no parameter.
    expect(file('odd_page', dialect).q.params).toEqual([]);
    // Postgres: what a session running it by hand must set, as roster's does.
    expect(logins.text.includes('\n-- run it with SET jit = off, as roster does')).toBe(dialect === 'postgres');
  });

  it('reads a Snowflake literal\'s backslash escape as Snowflake does: as_of after \'it\\\'s\' is still named', () => {
    const [trait] = definitions([{
      kind: 'sql_trait', key: 'quoted', entity: 'user', traits: ['x'],
      sql: "SELECT user_id, 'it\\'s' AS x FROM {{source \"identifies\"}} WHERE \"timestamp\" <= {{as_of}} AND user_id <> 'y'",
    }]);
    expect(compileDefinition(trait, { dialect: DIALECTS.snowflake, config, definitions: [trait] }).params).toEqual(['as_of']);
  });

  it('runs on DuckDB with exactly the parameters it names', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      await conn.run('CREATE SCHEMA roster; CREATE TABLE roster.logins (user_id VARCHAR, logins BIGINT); INSERT INTO roster.logins VALUES (\'u1\', 3), (\'u2\', 1)');
      await conn.run('CREATE TABLE main.logged_in (id VARCHAR, user_id VARCHAR, event_text VARCHAR, "timestamp" TIMESTAMP); INSERT INTO main.logged_in VALUES (\'l1\', \'u1\', \'Logged In\', TIMESTAMP \'2024-05-01\'), (\'l2\', \'u1\', \'Logged In\', TIMESTAMP \'2024-07-01\')');
      const run = async (key: string, params: Record<string, string>) => {
        const prepared = await conn.prepare(file(key, 'duckdb').text);
        prepared.bind(params);
        return (await prepared.runAndReadAll()).getRowObjectsJS();
      };
      expect(await run('heavy', {})).toEqual([{ user_id: 'u1' }]);
      expect(await run('logins', { as_of: '2024-06-01T00:00:00Z' })).toEqual([{ user_id: 'u1', logins: 1n }]);
    } finally {
      conn.closeSync();
    }
  });
});
