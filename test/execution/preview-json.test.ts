import { describe, expect, it } from 'vitest';
import { previewQueries } from '../../src/compiler/preview.js';
import { ProjectConfig } from '../../src/definitions/project-config.js';
import { definitions, ENGINES, fixtureWarehouse } from '../support/harness.js';

// preview's sample of an events_json first / last: DuckDB hands a JSON column back as its text,
// Postgres parses jsonb ("5" and 5 both came out as 5). The sample reads JSON columns as text on
// every engine, which preview then writes as a message does.
describe.each(ENGINES)('preview of a JSON-valued result, on %s', (engine) => {
  it('reads each JSON value as its text, so "5" and 5 stay apart', async () => {
    const fx = await fixtureWarehouse({}, 'events_json', engine);
    try {
      const d = fx.wh.dialect;
      const table = d.qualify(fx.schema, 'result');
      await fx.wh.exec(`CREATE TABLE ${table} (user_id VARCHAR, v ${d.jsonColumnType()})`);
      const values = ['"5"', '5', '10.0', '"pro"', '1e300'];
      for (const [i, v] of values.entries()) await fx.wh.exec(`INSERT INTO ${table} VALUES ('u${i}', ${d.jsonFromText(d.stringLiteral(v))})`);
      const [def] = definitions(['kind: computed_trait\nkey: v\nentity: user\ntype: last\nevent: Buy\nproperty: v']);
      const config = ProjectConfig.parse({ name: 'p', source: { schema: fx.schema, layout: 'events_json' } });
      const q = previewQueries(def, table, 10, { dialect: d, config, definitions: [def] }, ['user_id', 'v'], ['v']);
      const rows = await fx.wh.query(q.sample);
      expect(rows.map((r) => typeof r.v)).toEqual(values.map(() => 'string'));
      expect(rows.map((r) => JSON.stringify(JSON.parse(String(r.v))))).toEqual(['"5"', '5', '10', '"pro"', '1e+300']);
    } finally {
      await fx.dispose();
    }
  });
});
