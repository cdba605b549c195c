import { z } from 'zod';
import { DurationText, InstantText, Window } from './common.js';
import { Condition } from './condition.js';
import { DefinitionFile } from './definition.js';
import { OPS, PropertyFilter } from './predicate.js';
import { ProjectConfig } from './project-config.js';

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/$defs/${name}` });
const object = (properties: Json, required: string[] = [], description?: string): Json => ({
  type: 'object', ...(description ? { description } : {}), properties, ...(required.length ? { required } : {}), additionalProperties: false,
});
const scalar = { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] };
const key = { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' };

/**
 * Hand-written schemas for the parts zod cannot express as input (conditions and predicates are
 * parsed by transforms, windows and instants by refinements).
 */
const rosterDefs: Record<string, Json> = {
  roster_condition: {
    description: 'A condition: exactly one of all, any, not, event, trait, audience, users.',
    oneOf: [
      object({ all: { type: 'array', minItems: 1, items: ref('roster_condition') } }, ['all'], 'Every condition holds.'),
      object({ any: { type: 'array', minItems: 1, items: ref('roster_condition') } }, ['any'], 'At least one condition holds.'),
      object({ not: ref('roster_condition') }, ['not'], 'The condition does not hold.'),
      object({ event: ref('roster_event_condition') }, ['event'], 'Performed an event.'),
      object({ trait: ref('roster_trait_condition') }, ['trait'], 'A trait of the same entity compares with a value.'),
      object({ audience: object({ key, member: { type: 'boolean', default: true } }, ['key']) }, ['audience'], 'Membership of another audience.'),
      object({ users: { enum: ['any', 'all', 'none'] }, where: ref('roster_condition') }, ['users', 'where'], 'Account audiences only: the users of the account.'),
    ],
  },
  roster_event_condition: object({
    name: { type: 'string', minLength: 1 },
    where: { type: 'array', items: ref('roster_property_filter') },
    count: {
      type: 'object', minProperties: 1, maxProperties: 1, additionalProperties: false,
      properties: Object.fromEntries(['gte', 'gt', 'eq', 'lte', 'lt'].map((op) => [op, { type: 'integer', minimum: 0 }])),
    },
    window: ref('roster_window'),
    scope: { enum: ['all_events', 'group_context'] },
  }, ['name']),
  roster_trait_condition: object({ key: { type: 'string', minLength: 1, maxLength: 255 }, op: { enum: [...OPS] }, value: { anyOf: [scalar, { type: 'array', items: scalar }] } }, ['key', 'op']),
  roster_property_filter: object({ property: { type: 'string', minLength: 1 }, op: { enum: [...OPS] }, value: { anyOf: [scalar, { type: 'array', items: scalar }] } }, ['property', 'op']),
  roster_duration: { type: 'string', pattern: '^\\s*\\d+\\s+(minute|hour|day|week)s?\\s*$', examples: ['30 days'] },
  roster_instant: { type: 'string', description: 'ISO-8601 date or date-time; a date alone is 00:00:00Z', examples: ['2024-01-01'] },
  roster_window: {
    oneOf: [
      object({ last: ref('roster_duration') }, ['last'], 'The last N minutes, hours, days or weeks before as_of.'),
      object({ from: ref('roster_instant'), to: ref('roster_instant') }, ['from', 'to'], 'from <= timestamp < to.'),
    ],
  },
};

const replacements = new Map<unknown, string>([
  [Condition, 'roster_condition'], [PropertyFilter, 'roster_property_filter'], [Window, 'roster_window'],
  [DurationText, 'roster_duration'], [InstantText, 'roster_instant'],
]);

/** A value that is a whole ${NAME}: roster.yml reads it as the number or boolean wanted there. */
const ENV_REFERENCE: Json = { type: 'string', pattern: '^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$', description: 'an environment variable, read as the value wanted here' };

function withRosterDefs(schema: z.ZodType, title: string, defs: Record<string, Json>, envValues = false): object {
  const out = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      const json = ctx.jsonSchema as Json;
      const name = replacements.get(ctx.zodSchema);
      const replaced = name ? ref(name)
        : envValues && ['integer', 'number', 'boolean'].includes(json.type as string) ? { anyOf: [{ ...json }, ENV_REFERENCE] } : undefined;
      if (!replaced) return;
      for (const k of Object.keys(json)) delete json[k];
      Object.assign(json, replaced);
    },
  }) as Json;
  return { ...out, title, $defs: { ...((out.$defs as Json | undefined) ?? {}), ...defs } };
}

/**
 * JSON Schema (2020-12) of a definition file, for editors: e.g. with the YAML language server,
 * `# yaml-language-server: $schema=../roster-definition.schema.json` at the top of a file.
 */
export function definitionJsonSchema(): object {
  return withRosterDefs(DefinitionFile, 'roster definition', rosterDefs);
}

/** JSON Schema (2020-12) of roster.yml. */
export function projectConfigJsonSchema(): object {
  const schema = withRosterDefs(ProjectConfig, 'roster.yml', {}, true) as { properties: { destinations: { items: { oneOf: Json[] } } } };
  // A destination's name and type have defaults, filled in before parsing (load-config.ts): the
  // type follows from its path or url, and a stdout destination, which has neither, names it.
  for (const variant of schema.properties.destinations.items.oneOf) {
    const type = (variant.properties as { type: { const: string } }).type.const;
    variant.required = (variant.required as string[]).filter((field) => field !== 'name' && (field !== 'type' || type === 'stdout'));
  }
  return schema;
}
