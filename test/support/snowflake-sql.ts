/**
 * node-sql-parser wrongly rejects Snowflake's `WITHIN GROUP (...)`: the Snowflake syntax guards
 * take it out, with its balanced parentheses, before parsing.
 */
export function withoutWithinGroup(sql: string): string {
  let out = sql;
  for (let at = out.indexOf(' WITHIN GROUP ('); at >= 0; at = out.indexOf(' WITHIN GROUP (')) {
    let depth = 0;
    let end = at + ' WITHIN GROUP '.length;
    for (; end < out.length; end++) {
      if (out[end] === '(') depth++;
      if (out[end] === ')' && --depth === 0) break;
    }
    out = out.slice(0, at) + out.slice(end + 1);
  }
  return out;
}
