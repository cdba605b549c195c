import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../dialects/index.js';
import { compileDefinition } from '../../src/compiler/compile.js';
import { loadProject } from '../../src/definitions/load-project.js';
import { tempProject } from '../definitions/temp-project.js';

describe('names with no ASCII letter or digit (go-snakecase gives them no table or column)', () => {
  it('compile to SQL without an empty identifier, on every dialect: their values are null', async () => {
    const dir = tempProject({
      'roster.yml': 'name: t\n',
      'definitions/b.yml': 'kind: computed_trait\nkey: b\nentity: user\ntype: event_counter\nevent: 注文完了\n',
      'definitions/a.yml': 'kind: computed_trait\nkey: a\nentity: user\ntype: first\nevent: Order Completed\nproperty: 価格\n',
    });
    const p = await loadProject(dir);
    for (const dialect of Object.values(DIALECTS)) {
      for (const def of p.definitions) {
        const sql = compileDefinition(def, { dialect: dialect!, config: p.config, definitions: p.definitions }).sql;
        expect(sql).not.toContain('""');
      }
    }
  });
});
