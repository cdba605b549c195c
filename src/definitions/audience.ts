import { z } from 'zod';
import { definitionBase } from './common.js';
import { Condition } from './condition.js';

/** An audience (SPEC 2): the entities for which `where` holds. */
export const Audience = z.strictObject({
  kind: z.literal('audience'),
  ...definitionBase,
  where: Condition,
});
export type Audience = z.infer<typeof Audience>;
