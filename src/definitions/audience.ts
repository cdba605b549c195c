import { z } from 'zod';
import { definitionBase, strictObject } from './common.js';
import { Condition } from './condition.js';

/** An audience (SPEC 2): the entities for which `where` holds. */
export const Audience = strictObject({
  kind: z.literal('audience'),
  ...definitionBase,
  where: Condition,
});
export type Audience = z.infer<typeof Audience>;
