import { describe, expect, it } from 'vitest';
import { segmentSlug } from '../../src/compiler/names.js';

describe('segmentSlug: table and column names as Segment\'s warehouse connector writes them (go-snakecase)', () => {
  it.each([
    ['Order Completed', 'order_completed'],
    ['orderTotal', 'order_total'],
    ['order_total', 'order_total'],
    ['sample___text', 'sample_text'],
    ['   $#$sample   2    Text   ', 'sample_2_text'],
    ['SAMPLE 2 TEXT', 'sample_2_text'],
    ['___$$Base64Encode', 'base64_encode'],
    ['FOO:BAR$BAZ', 'foo_bar_baz'],
    ['something.com', 'something_com'],
    // A run of capitals is one word with the lower-case letters after it; a digit before a capital joins it.
    ['3D Model Viewed', '3d_model_viewed'],
    ['APIKeyCreated', 'apikey_created'],
    ['HTMLParser', 'htmlparser'],
    ['iOSVersion', 'i_osversion'],
    ['Step 2 Completed', 'step_2_completed'],
    // Letters beyond ASCII only separate words, as bytes the library does not know.
    ['Commande Passée', 'commande_pass_e'],
    ['注文完了', ''],
  ])('%j -> %j', (name, slug) => {
    expect(segmentSlug(name)).toBe(slug);
  });
});
