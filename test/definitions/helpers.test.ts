import { describe, expect, it } from 'vitest';
import { checkSqlTemplate, templateStateKeys } from '../../src/definitions/sql-template.js';
import { closest, editDistance } from '../../src/definitions/suggest.js';
import { formatPath, YamlSource } from '../../src/definitions/yaml-source.js';

describe('did you mean', () => {
  it('measures edits', () => {
    expect(editDistance('wher', 'where')).toBe(1);
    expect(editDistance('audiance', 'audience')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests close names and shortened ones, and nothing far', () => {
    expect(closest('evnt', ['all', 'any', 'event'])).toBe('event');
    expect(closest('operator', ['property', 'op', 'value'])).toBe('op');
    expect(closest('group', ['all_events', 'group_context'])).toBe('group_context');
    expect(closest('banana', ['user', 'account'])).toBeUndefined();
  });
});

describe('YAML positions', () => {
  const src = new YamlSource('x.yml', 'kind: audience\nwhere:\n  all:\n    - event: { name: A }\n    - trait:\nempty:\n');

  it('renders paths with dots and brackets', () => {
    expect(formatPath(['where', 'all', 1, 'users'])).toBe('where.all[1].users');
    expect(formatPath([0, 'a'])).toBe('[0].a');
  });

  it('locates nodes, and the nearest existing parent of a missing one', () => {
    expect(src.locate(['where', 'all', 0, 'event', 'name'])).toEqual({ line: 4, column: 22, path: ['where', 'all', 0, 'event', 'name'] });
    expect(src.locate(['where', 'all', 0, 'event', 'count'])).toEqual({ line: 4, column: 14, path: ['where', 'all', 0, 'event'] });
    expect(src.locate(['where', 'all', 7])).toEqual({ line: 4, column: 5, path: ['where', 'all'] });
  });

  it('points at the key of an empty value, and at the key itself for unknown fields', () => {
    expect(src.locate(['empty'])).toEqual({ line: 6, column: 1, path: ['empty'] });
    expect(src.locate(['where', 'all', 1, 'trait'])).toMatchObject({ line: 5, column: 7 });
    expect(src.locateKey(['where', 'all', 0], 'event')).toMatchObject({ line: 4, column: 7 });
  });

  it('reads a file ending in an empty second document (a trailing ---) as one document; a second with content is a problem', () => {
    expect(new YamlSource('a.yml', 'key: a\n---\n').syntaxProblems).toEqual([]);
    expect(new YamlSource('a.yml', 'key: a\n---  # end\n\n# more\n').syntaxProblems).toEqual([]);
    expect(new YamlSource('a.yml', 'key: a\n---\n...\n---\n').syntaxProblems).toEqual([]);
    expect(new YamlSource('a.yml', 'key: a\n---\nkey: b\n').syntaxProblems).toEqual([
      { file: 'a.yml', line: 2, column: 1, message: 'YAML syntax error: a file holds one YAML document, but this one has a second after ---' },
    ]);
  });
});

describe('SQL templates', () => {
  it('read a /* inside a dollar quote of any tag as text, and an unclosed nested comment as unclosed', () => {
    for (const tag of ['', 'q', 'é', '€', '😀']) expect(checkSqlTemplate(`SELECT user_id, $${tag}$ /* $${tag}$ AS x FROM t`).problems).toEqual([]);
    expect(checkSqlTemplate('SELECT user_id FROM t /* note /* old */').problems.map((p) => p.message)).toEqual(['a /* comment is never closed: the rest of the SQL is inside it']);
  });

  it('read the first word after leading comments, block comments nesting as on Postgres and DuckDB', () => {
    expect(checkSqlTemplate('/* outer /* inner */ still a comment */\n-- note\nSELECT user_id FROM t').problems).toEqual([]);
    expect(checkSqlTemplate('/* a /* b */ c */ /* d */ DELETE FROM t').problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '1:27 a SQL trait is one query (SELECT, WITH, VALUES or FROM ...), not DELETE: it runs read-only and cannot change any table',
    ]);
    expect(checkSqlTemplate('/* a /* b */ c */').problems.map((p) => p.message)).toEqual(['the SQL is empty (or only comments): a SQL trait is one query (SELECT, WITH, VALUES or FROM ...)']);
  });

  it('collects {{state}} keys and accepts source, state, as_of and comments', () => {
    const t = '{{!-- members --}}\nSELECT * FROM {{state "b"}} JOIN {{state "a"}} USING (user_id)\nJOIN {{source "order_completed"}} o ON o.timestamp <= {{as_of}}\nJOIN {{state "a"}} x';
    expect(checkSqlTemplate(t).problems).toEqual([]);
    expect(templateStateKeys(t)).toEqual(['a', 'b']);
  });

  it('rejects blocks, partials, wrong arguments and unknown helpers with their places', () => {
    const t = 'SELECT {{#if x}}1{{/if}}\n{{> p}} {{as_of "now"}} {{state key="a"}}\n{{source}} {{stat "a"}}\n{{#> q}}x{{/q}}';
    expect(checkSqlTemplate(t).problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '1:8 block helpers ({{#if}}) are not supported in SQL templates: use source, state and as_of',
      '2:1 partials ({{> name}}) are not supported in SQL templates: use source, state and as_of',
      '2:9 as_of takes no arguments: write {{as_of}}',
      '2:25 state takes no name=value arguments',
      '3:1 source takes one quoted argument: {{source "tracks"}}',
      '3:12 unknown helper "stat"; did you mean "state"?',
      '4:1 partial blocks ({{#> name}}) are not supported in SQL templates: use source, state and as_of',
    ]);
  });
});
