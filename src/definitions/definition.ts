import { z } from 'zod';
import { Audience } from './audience.js';
import { ComputedTrait } from './computed-trait.js';
import { SqlTraitFile, type SqlTrait } from './sql-trait.js';

export const DEFINITION_KINDS = ['computed_trait', 'sql_trait', 'audience'] as const;
export type DefinitionKind = (typeof DEFINITION_KINDS)[number];

/** Schema of one definition file, chosen by its `kind`. */
export const DefinitionFile = z.discriminatedUnion('kind', [ComputedTrait, SqlTraitFile, Audience], {
  error: (issue) => (issue.code === 'invalid_union' ? `kind must be one of ${DEFINITION_KINDS.join(', ')}` : undefined),
});

/** A loaded definition, with where it came from. */
export type Definition = (ComputedTrait | SqlTrait | Audience) & { readonly file: string };
export type { Audience, ComputedTrait, SqlTrait };
