import { describe, expect, it } from 'vitest';
import { ENGINES, runFixture } from '../support/harness.js';
import { AS_OF, world } from './world.js';

/*
 * A unique_list is stored sorted by code point (SPEC 2); a list literal compared with it by eq
 * must be sorted the same way. JavaScript's < compares UTF-16 units, which put an astral
 * character (😀, U+1F600, a surrogate pair from 0xD83D) before ～ (U+FF5E).
 */
describe.each(ENGINES)('a list literal against a unique_list, on %s', (engine) => {
  it('eq holds, and neq does not, for the same values across the astral boundary, in any order', async () => {
    const features = 'kind: computed_trait\nkey: features\nentity: user\ntype: unique_list\nevent: Feature Used\nproperty: feature_name';
    const audience = (key: string, op: string, list: string) => `kind: audience\nkey: ${key}\nentity: user\nwhere: { trait: { key: features, op: ${op}, value: ${list} } }`;
    const r = await runFixture(world, [
      features, audience('same', 'eq', '["～", "😀"]'), audience('same_reversed', 'eq', '["😀", "～"]'), audience('differs', 'neq', '["～", "😀"]'),
    ], {
      asOf: AS_OF, engine,
      // u3's two Feature Used events (f09, f10) now name ～ and 😀.
      prepare: (schema) => [`UPDATE ${schema}.feature_used SET feature_name = CASE id WHEN 'f09' THEN '～' ELSE '😀' END WHERE id IN ('f09', 'f10')`],
    });
    try {
      expect(await r.values('features')).toMatchObject({ u3: ['～', '😀'] });
      expect(await r.ids('same')).toEqual(['u3']);
      expect(await r.ids('same_reversed')).toEqual(['u3']);
      // u1 and u2 have other features; u5 and u6 none, and the empty list [] differs too (SPEC 2).
      expect(await r.ids('differs')).toEqual(['u1', 'u2', 'u5', 'u6']);
    } finally {
      await r.close();
    }
  });
});
