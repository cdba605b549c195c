import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../dialects/index.js';

// A literal's line breaks are written as a mark replaced by chr(): one expression however many
// breaks (engines parse a chain of || only so deep), and marks every database encoding holds.
describe.each(Object.keys(DIALECTS) as (keyof typeof DIALECTS)[])('string literals with line breaks (%s)', (name) => {
  const d = DIALECTS[name];

  it('are one replace() per kind of break, however many breaks', () => {
    const sql = d.stringLiteral(`${'a\n'.repeat(5000)}b\r\n`);
    expect(sql.match(/replace\(/g)).toHaveLength(2);
    expect(sql).not.toMatch(/[\r\n]/);
  });

  it('take marks a LATIN1 database holds, even when the text holds the first ones', () => {
    const sql = d.stringLiteral('¶¤\n§\r');
    expect([...sql].every((c) => c.charCodeAt(0) <= 0xff)).toBe(true);
    expect(sql).toBe("replace(replace('¶¤¦§¬', '¦', chr(10)), '¬', chr(13))");
  });
});
