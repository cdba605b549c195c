import { describe, expect, it } from 'vitest';
import { outputColumns } from '../../src/definitions/sql-output-columns.js';
import { isAssociating } from '../../src/definitions/sql-trait-roles.js';

describe('the columns a SQL trait returns, read off its text', () => {
  it.each([
    ['SELECT g.group_id, count(DISTINCT g.user_id) AS x_users FROM {{source "groups"}} g GROUP BY 1', ['group_id', 'x_users']],
    ['WITH m AS (SELECT group_id, user_id FROM t)\nSELECT m.group_id, m.user_id, count(*) OVER (PARTITION BY m.group_id) AS n FROM m', ['group_id', 'user_id', 'n']],
    ["SELECT 'a9' AS group_id, 'u6' AS \"user_id\", 'x, y' AS tier -- , user_id\nUNION ALL SELECT 'a2', 'u1', 'z'", ['group_id', 'user_id', 'tier']],
    ['SELECT DISTINCT group_id, user_id AS member, CAST(x AS VARCHAR) AS n FROM t', ['group_id', 'member', 'n']],
    ['select group_id, upper(max(name)) as name_up from t group by 1', ['group_id', 'name_up']],
    ['select group_id, user_id::text, n :: varchar(10) from t', ['group_id', 'user_id', 'n']],
    // An alias after a cast names the column, with or without AS; type names of several words do not.
    ['SELECT DISTINCT group_id, NULL::VARCHAR AS user_id, 1 AS flag FROM g', ['group_id', 'user_id', 'flag']],
    ["SELECT group_id, 'u'::varchar user_id, (NULL)::text AS x, null::varchar[] AS y FROM g", ['group_id', 'user_id', 'x', 'y']],
    ['SELECT group_id, user_id :: character varying(64), n::double precision, t::timestamp(3) with time zone, s::pg_catalog.text AS z FROM g', ['group_id', 'user_id', 'n', 't', 'z']],
    ['SELECT group_id, lower(user_id)::VARCHAR AS user_id FROM g', ['group_id', 'user_id']],
  ])('%s', (sql, columns) => {
    expect(outputColumns(sql)).toEqual(columns);
  });

  it('does not tell for SELECT *, a query in parentheses, or user_id in an expression without an alias', () => {
    expect(outputColumns('SELECT * FROM t')).toBeUndefined();
    expect(outputColumns('SELECT t.* FROM t')).toBeUndefined();
    expect(outputColumns('(SELECT group_id, user_id FROM t)')).toBeUndefined();
    // Engines name an expression without an alias each their own way.
    expect(outputColumns('SELECT group_id, CAST(user_id AS VARCHAR) FROM t')).toBeUndefined();
  });

  it('an account SQL trait associates users when its SELECT list names user_id, or may when that does not tell (SELECT *)', () => {
    const account = (template: string) => ({ kind: 'sql_trait', entity: 'account' as const, template });
    expect(isAssociating(account('SELECT group_id, count(DISTINCT user_id) AS seats FROM g GROUP BY 1'))).toBe(false);
    expect(isAssociating(account('SELECT group_id, user_id, 1 AS x FROM g'))).toBe(true);
    expect(isAssociating(account('SELECT DISTINCT group_id, NULL::VARCHAR AS user_id, 1 AS x FROM g'))).toBe(true);
    expect(isAssociating(account('SELECT * FROM g WHERE user_id IS NOT NULL'))).toBe(true);
    // The text does not tell: it may return user_id, and runs before the users of accounts are used.
    expect(isAssociating(account('SELECT * FROM g'))).toBe(true);
    expect(isAssociating(account('FROM g'))).toBe(true);
    expect(isAssociating(account('SELECT g.* FROM g'))).toBe(true);
    expect(isAssociating(account('SELECT * EXCLUDE (n), n FROM g'))).toBe(true);
    expect(isAssociating(account('SELECT group_id, g.* EXCLUDE (group_id) FROM g'))).toBe(true);
    expect(isAssociating(account('SELECT COLUMNS(*) FROM g'))).toBe(true);
    expect(isAssociating(account('SELECT group_id, count(*) AS n FROM g GROUP BY 1'))).toBe(false);
    expect(isAssociating(account('SELECT DISTINCT * FROM g'))).toBe(true);
    expect(isAssociating(account('SELECT DISTINCT ON (group_id) * FROM g'))).toBe(true);
    // A * inside an expression names no columns: the list tells, and holds no user_id.
    expect(isAssociating(account('SELECT s.group_id, count(s.*) AS n FROM s GROUP BY 1'))).toBe(false);
    expect(isAssociating(account('SELECT group_id, 2.*n AS n, (SELECT count(*) FROM (SELECT z.* FROM z) q) AS m FROM s'))).toBe(false);
    expect(isAssociating({ ...account('SELECT group_id, user_id, 1 AS x FROM g'), entity: 'user' as const })).toBe(false);
  });
});
