import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../dialects/index.js';
import type { Dialect } from '../../src/compiler/dialect.js';

/*
 * Every primitive of the Dialect contract rendered by every registered dialect, side by side in
 * golden/primitives/<primitive>.sql: a new dialect that forgets one fails here, naming itself.
 */
const samples: Record<keyof Omit<Dialect, 'name'>, (d: Dialect) => string | string[]> = {
  param: (d) => d.param('as_of', 1),
  quoteIdent: (d) => [d.quoteIdent('user_id'), d.quoteIdent('Weird "Name"'), d.quoteIdent(`_members_${'k'.repeat(63)}`)],
  storedName: (d) => [d.storedName('_run_logins'), d.storedName(`_members_${'k'.repeat(63)}`)],
  // Names as a catalog lists them (a table Snowflake folded, one quoted in lower case, one in mixed case) and as roster asks for them.
  catalogKey: (d) => ['feature_used', 'FEATURE_USED', 'Feature_Used', 'my-table'].map((n) => `${n} -> ${String(d.catalogKey(n))}`),
  catalogLookup: (d) => ['feature_used', 'FEATURE_USED', 'Feature_Used', 'my-table'].map((n) => `${n} -> ${d.catalogLookup(n)}`),
  sourceName: (d) => [d.sourceName('order_completed'), d.sourceName(`this_is_a_very_long_event_name_that_goes_well_beyond_sixty_three_characters_total`), d.sourceName(`${'é'.repeat(40)}`)],
  qualify: (d) => d.qualify('main', 'tracks'),
  stringLiteral: (d) => [d.stringLiteral("O'Brien"), d.stringLiteral('back\\slash'), d.stringLiteral('line1\nline2')],
  numberLiteral: (d) => [d.numberLiteral(42), d.numberLiteral(2.5)],
  booleanLiteral: (d) => [d.booleanLiteral(true), d.booleanLiteral(false)],
  timestampLiteral: (d) => d.timestampLiteral(new Date('2024-01-02T03:04:05.678Z')),
  textListLiteral: (d) => [d.textListLiteral(['a', "b'c"]), d.textListLiteral([])],
  asOf: (d) => d.asOf(),
  timestampMinus: (d) => [d.timestampMinus('ts', { amount: 30, unit: 'day' }), d.timestampMinus('ts', { amount: 90, unit: 'minute' })],
  castText: (d) => d.castText('x'),
  tryCastDouble: (d) => d.tryCastDouble('x'),
  tryCastBoolean: (d) => d.tryCastBoolean('x'),
  tryCastInstant: (d) => d.tryCastInstant('x'),
  textContains: (d) => d.textContains('x', "'a'"),
  textStartsWith: (d) => d.textStartsWith('x', "'a'"),
  textEndsWith: (d) => d.textEndsWith('x', "'a'"),
  textSortKey: (d) => d.textSortKey('x'),
  filteredAggregate: (d) => d.filteredAggregate('sum', 'x', 'ok'),
  countIf: (d) => d.countIf('ok'),
  boolOr: (d) => d.boolOr('ok'),
  boolAnd: (d) => d.boolAnd('ok'),
  firstValue: (d) => d.firstValue('x', [{ expr: 'ts' }, { expr: 'id' }]),
  distinctSortedTextList: (d) => d.distinctSortedTextList('x'),
  sortedTextList: (d) => d.sortedTextList('x'),
  listContains: (d) => d.listContains('l', "'a'"),
  emptyTextList: (d) => d.emptyTextList(),
  round12: (d) => d.round12('x'),
  median: (d) => d.median('x'),
  jsonText: (d) => [d.jsonText('j', 'plan'), d.jsonText('j', "odd/~'key")],
  jsonValue: (d) => [d.jsonValue('j', 'total'), d.jsonValue('j', "odd/~'key"), d.jsonValue('j', '0')],
  jsonScalarText: (d) => d.jsonScalarText('v'),
  jsonRoundedNumber: (d) => d.jsonRoundedNumber('v'),
  jsonHasValue: (d) => d.jsonHasValue('v'),
  castDouble: (d) => d.castDouble('v'),
  jsonListText: (d) => d.jsonListText('v'),
  jsonSentText: (d) => d.jsonSentText('v'),
  sendableInstant: (d) => d.sendableInstant('t'),
  sendableNumber: (d) => [d.sendableNumber('x', 'DOUBLE'), d.sendableNumber('x', 'numeric(10,2)')],
  jsonIsString: (d) => d.jsonIsString('v'),
  jsonValueText: (d) => [d.jsonValueText('x', 'TIMESTAMP'), d.jsonValueText('x', 'DOUBLE'), d.jsonValueText('x', 'VARCHAR')],
  listValue: (d) => ['DOUBLE', 'double precision', 'FLOAT', 'real', 'TIMESTAMP', 'timestamp with time zone', 'DATE', 'VARCHAR', 'character(3)', 'BIGINT']
    .map((t) => `-- ${t}\n${d.listValue('x', t)}`),
  numberAsText: (d) => d.numberAsText('x'),
  idSortKey: (d) => d.idSortKey('e.id'),
  runtimeText: (d) => d.runtimeText('x'),
  overflowGuard: (d) => d.overflowGuard('x') ?? '(none)',
  deduplicate: (d) => d.deduplicate('t'),
  jsonColumnType: (d) => d.jsonColumnType(),
  jsonFromText: (d) => d.jsonFromText("'{\"plan\": \"pro\"}'"),
  rowRef: (d) => d.rowRef(),
  refsFromText: (d) => d.refsFromText(d.param('refs', 1)),
  lookupIndex: (d) => d.lookupIndex('_delivery_changes', 'ref').join(';\n') || '(none)',
  tempTable: (d) => d.tempTable('_run_x'),
  createTempTableAs: (d) => d.createTempTableAs('_run_x', 'SELECT 1'),
  replaceTableAs: (d) => d.replaceTableAs('s.t', 'SELECT 1'),
  replaceRows: (d) => d.replaceRows('s.t', 'SELECT 1'),
  readOnlyTempTableAs: (d) => { const t = d.readOnlyTempTableAs('_raw_x', 'SELECT 1'); return [...t.create, '-- then, read-only:', ...t.fill]; },
  createSchema: (d) => d.createSchema('roster'),
  isScalarType: (d) => ['VARCHAR', 'BIGINT', 'VARCHAR[]', 'JSON', 'STRUCT(a INT)', 'ARRAY', 'text[]'].map((t) => `${t}: ${d.isScalarType(t)}`),
  hasEngineText: (d) => ['BLOB', 'bytea', 'BINARY', 'INTERVAL', 'interval', 'money', 'UUID', 'TIME', 'VARCHAR', 'DOUBLE'].map((t) => `${t}: ${d.hasEngineText(t)}`),
  rowHash: (d) => [d.rowHash(['"user_id"', '"plan"']), d.rowHash(['"user_id"'])],
  refreshStatistics: (d) => d.refreshStatistics(['"roster"."_changes"', '"roster"."_account_users"']).join('\n') || '(none)',
  isFractionalType: (d) => ['DOUBLE', 'double precision', 'DECIMAL(18,3)', 'numeric', 'NUMBER(38,0)', 'NUMBER(38,2)', 'FLOAT', 'BIGINT', 'HUGEINT', 'INTEGER', 'VARCHAR']
    .map((t) => `${t}: ${d.isFractionalType(t)}`),
  isExactDecimalType: (d) => ['DECIMAL(18,3)', 'numeric', 'NUMBER(38,2)', 'DOUBLE', 'BIGINT', 'HUGEINT'].map((t) => `${t}: ${d.isExactDecimalType(t)}`),
  typeKind: (d) => ['VARCHAR', 'text', 'BIGINT', 'NUMBER(38,0)', 'DOUBLE', 'TIMESTAMP WITH TIME ZONE', 'DATE', 'BOOLEAN', 'BLOB'].map((t) => `${t}: ${d.typeKind(t)}`),
  millisecondTimestamp: (d) => d.millisecondTimestamp('ts'),
  isWideIntegerType: (d) => ['BIGINT', 'bigint', 'UBIGINT', 'INTEGER', 'integer', 'HUGEINT', 'NUMBER', 'NUMBER(38,0)', 'NUMBER(38,2)', 'DOUBLE'].map((t) => `${t}: ${d.isWideIntegerType(t)}`),
  isSinglePrecisionType: (d) => ['FLOAT', 'REAL', 'real', 'float4', 'DOUBLE', 'double precision', 'FLOAT8'].map((t) => `${t}: ${d.isSinglePrecisionType(t)}`),
  isTextType: (d) => ['VARCHAR', 'text', 'TEXT', 'character varying(255)', 'character(3)', 'STRING', 'BIGINT', 'JSON', 'TIMESTAMP']
    .map((t) => `${t}: ${d.isTextType(t)}`),
  insertJsonRows: (d) => d.insertJsonRows('main.tracks', d.param('rows', 1)) ?? '(none: rows go in as VALUES)',
  repeatedColumnOf: (d) => ['score_1', 'score_12', 'score', 'user_id'].map((c) => `${c}: ${d.repeatedColumnOf(c) ?? '(none)'}`),
  isJsonType: (d) => ['JSON', 'json', 'jsonb', 'JSONB', 'VARIANT', 'VARCHAR'].map((t) => `${t}: ${d.isJsonType(t)}`),
};

describe('dialect primitives', () => {
  it('samples cover the whole contract', () => {
    const proto = Object.getOwnPropertyNames(Object.getPrototypeOf(Object.getPrototypeOf(DIALECTS.duckdb)))
      .filter((n) => n !== 'constructor');
    expect(proto.filter((n) => !(n in samples))).toEqual([]);
  });
  for (const primitive of Object.keys(samples) as (keyof typeof samples)[]) {
    it(`${primitive} on every dialect`, async () => {
      const lines: string[] = [];
      for (const [name, d] of Object.entries(DIALECTS)) {
        const out = samples[primitive](d);
        for (const line of Array.isArray(out) ? out : [out]) lines.push(`-- ${name}\n${line}`);
      }
      await expect(lines.join('\n') + '\n').toMatchFileSnapshot(path.resolve(import.meta.dirname, `../../golden/primitives/${primitive}.sql`));
    });
  }
});
