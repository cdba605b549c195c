import { describe, expect, it } from 'vitest';
import { postgres } from '../../dialects/postgres.js';
import { snowflake } from '../../dialects/snowflake.js';
import { positionalValues, withoutQuoted } from '../../src/warehouse/warehouse.js';

// Parameters are bound where the engine sees them: not in literals, quoted names or comments.
describe('withoutQuoted', () => {
  it.each([
    ["SELECT '$1', \"$1\" -- $1\n/* $1 */ $2", 2],
    ['SELECT $$ -- $$ AS x, $1', 1],
    ["SELECT $tag$ it's $1 $tag$ AS x, $1", 1],
    ["SELECT E'\\'--' AS x, $1", 1],
    ["SELECT e'\\\\' AS x, $1 -- $2", 1],
    ['SELECT 1 /* outer /* inner */ $2 */ + $1', 1],
    ["SELECT 'it''s -- not a comment', $1", 1],
    ['SELECT plan$1, $2', 2], // plan$1 is one name on Postgres and DuckDB, not a parameter
    ['SELECT $é$ -- $é$ AS x, $1', 1], // a dollar quote's tag may hold any letter
    ["SELECT $€$ it's $2 $€$ AS x, $😀$ -- $😀$ AS y, $1", 1], // or any character past ASCII
  ])('%s names parameters up to $%d', (sql, highest) => {
    expect(positionalValues(sql, postgres, /\$(\d+)/g, { a: 'A', b: 'B' }, ['a', 'b'])).toEqual(['A', 'B'].slice(0, highest));
    if (!sql.includes('plan$1')) return;
    expect(positionalValues('SELECT plan$1', postgres, /\$(\d+)/g, { a: 'A' }, ['a'])).toEqual([]);
  });

  it('reads a backslash in any literal as an escape where the dialect does (Snowflake), and only in E\'...\' elsewhere', () => {
    // Snowflake: 'it\'s' is one literal, and :1 after it is a parameter.
    expect(positionalValues("SELECT 'it\\'s', x FROM t WHERE ts <= :1 AND y <> 'y'", snowflake, /:(\d+)/g, { a: 'A' }, ['a'])).toEqual(['A']);
    // Postgres: 'a\' is a whole literal (standard strings), and $1 after it is a parameter.
    expect(positionalValues("SELECT 'a\\', $1", postgres, /\$(\d+)/g, { a: 'A' }, ['a'])).toEqual(['A']);
  });

  it('keeps line breaks, so positions by line stay where they were', () => {
    expect(withoutQuoted("a '\n' -- x\nb")).toBe('a  \n      \nb');
  });
});
