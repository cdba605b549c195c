import { z } from 'zod';
import { definitionBase, Key, reservedName, strictObject } from './common.js';

/** A SQL trait (SPEC 2): a Handlebars SQL template returning an id column plus trait columns. */
export const SqlTraitFile = strictObject({
    kind: z.literal('sql_trait'),
    ...definitionBase,
    traits: z.array(Key).min(1).optional(),
    sql_file: z.string().min(1).optional(),
    sql: z.string().min(1).optional(),
  })
  .superRefine((t, ctx) => {
    if (t.sql !== undefined && t.sql_file !== undefined) ctx.addIssue({ code: 'custom', path: ['sql'], message: 'a sql_trait has sql or sql_file, not both' });
    if (t.sql === undefined && t.sql_file === undefined) ctx.addIssue({ code: 'custom', path: [], message: 'a sql_trait needs sql (inline SQL) or sql_file (a .sql file next to it)' });
    const seen = new Set<string>();
    for (const [i, name] of (Array.isArray(t.traits) ? t.traits : []).entries()) {
      if (seen.has(name)) ctx.addIssue({ code: 'custom', path: ['traits', i], message: `trait column ${name} is listed twice` });
      const reserved = reservedName(name, 'a trait column');
      if (reserved) ctx.addIssue({ code: 'custom', path: ['traits', i], message: reserved });
      seen.add(name);
    }
  }, { when: (payload) => typeof payload.value === 'object' && payload.value !== null }); // also when other fields failed
export type SqlTraitFile = z.infer<typeof SqlTraitFile>;

/** After loading: the template text is resolved and the trait columns defaulted. */
export interface SqlTrait extends Omit<SqlTraitFile, 'traits'> {
  readonly traits: readonly string[];
  readonly template: string;
}
