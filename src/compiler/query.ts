import { indent } from './names.js';

/** A query under construction: named CTEs (deduplicated by a canonical key) and a final SELECT. */
export class QueryParts {
  private readonly ctes: { name: string; sql: string }[] = [];
  private readonly byKey = new Map<string, string>();

  /** Adds a CTE once per `key`; returns its name (suffixed when the readable name is taken). */
  cte(key: string, name: string, sql: () => string): string {
    const known = this.byKey.get(key);
    if (known) return known;
    let unique = name;
    for (let i = 2; this.ctes.some((c) => c.name === unique); i++) unique = `${name}_${i}`;
    this.byKey.set(key, unique);
    const body = sql(); // may add CTEs it depends on first
    this.ctes.push({ name: unique, sql: body });
    return unique;
  }

  render(select: string): string {
    if (this.ctes.length === 0) return select;
    const ctes = this.ctes.map((c) => `${c.name} AS (\n${indent(c.sql)}\n)`).join(',\n');
    return `WITH\n${ctes}\n${select}`;
  }
}
