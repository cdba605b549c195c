import { z } from 'zod';
import { DIALECTS } from '../../dialects/index.js';
import { describe, unknownFieldsMessage } from './suggest.js';

/**
 * `z.strictObject` whose unknown-key error names the closest allowed field
 * (`unknown field "wher"; did you mean "where"?`); `expected` says what the value should be
 * when it is not a mapping at all.
 */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T, expected?: string) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return unknownFieldsMessage(issue.keys, allowed);
      if (issue.code === 'invalid_type' && expected !== undefined && issue.input !== undefined) return `${expected}, got ${describe(issue.input)}`;
      return undefined;
    },
  });
}

/** A definition key: also a table and column name, so it is restricted to safe identifiers. */
export const Key = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, {
  message: 'must match ^[a-z][a-z0-9_]{0,62}$ (lower case letters, digits, _; starts with a letter)',
});

export const Entity = z.enum(['user', 'account']);
export type Entity = z.infer<typeof Entity>;

export const DURATION_UNITS = ['minute', 'hour', 'day', 'week'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];
export interface Duration { readonly amount: number; readonly unit: DurationUnit }

const MAX_DURATION: Record<DurationUnit, number> = { minute: 525_600_000, hour: 8_760_000, day: 365_000, week: 52_142 };

const durationPattern = /^\s*(\d+)\s+(minute|hour|day|week)s?\s*$/;

/**
 * "30 days" -> {amount: 30, unit: 'day'}; a string saying why for one longer than 1000 years (engines
 * refuse intervals past their integer or timestamp range: 2^31 minutes, year 1); undefined for
 * text that is not a duration.
 */
export function parseDuration(text: string): Duration | string | undefined {
  const m = durationPattern.exec(text);
  if (!m || Number(m[1]) <= 0) return undefined;
  const unit = m[2] as DurationUnit;
  if (Number(m[1]) > MAX_DURATION[unit]) return `"${text}" is longer than 1000 years (at most ${MAX_DURATION[unit]} ${unit}s)`;
  return { amount: Number(m[1]), unit };
}

/** A window's `last:` (see parseDuration). */
export const DurationText = z.string().transform((text, ctx): Duration => {
  const d = parseDuration(text);
  if (typeof d === 'object') return d;
  const message = d === undefined ? `"${text}" is not a duration: write "N minutes|hours|days|weeks" with N > 0` : `${d}; for all time, leave the window out`;
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
});

const isoPattern = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}(:?\d{2})?)?)?$/;

/**
 * Parses an ISO-8601 date or date-time; a date alone is 00:00:00Z, no offset means UTC. RFC 3339's
 * lower-case t and z, and an offset of hours alone (+02), are read too.
 */
export function parseInstant(text: string): Date | undefined {
  if (!isoPattern.test(text) || !hasValidFields(text)) return undefined;
  let t = text.toUpperCase().replace(' ', 'T');
  if (t.length === 10) t += 'T00:00:00Z';
  else if (/T[0-9:.]+[+-]\d{2}$/.test(t)) t += ':00'; // JavaScript's Date wants the minutes of an offset
  else if (!/(Z|[+-]\d{2}(:?\d{2})?)$/.test(t)) t += 'Z';
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Whether a date(-time) text names a real day and time: JavaScript's Date rolls 2024-02-31 over to March 2. */
function hasValidFields(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return false;
  const time = /^.{10}[Tt ](\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  return !time || (Number(time[1]) <= 23 && Number(time[2]) <= 59 && Number(time[3] ?? 0) <= 59);
}

/**
 * Why an instant parsed from `text` cannot be one roster compares alike on every engine, in
 * words after the quoted text; undefined when it can. Instants are held to the millisecond (a
 * finer literal would be cut, and an event at it miscounted), and Postgres has no year 0000.
 */
export function instantOutOfReach(text: string, d: Date): string | undefined {
  if (/\.[0-9]{3}[0-9]*[1-9]/.test(text)) return 'is finer than a millisecond: roster holds as_of, literals and values to the millisecond, as messages carry them';
  const year = d.getUTCFullYear();
  if (year < 1 || year > 9999) return 'is outside the years 0001 to 9999 (UTC), which every engine holds';
  return undefined;
}

/** An ISO-8601 instant, normalised to UTC. YAML may hand us a Date for unquoted timestamps. */
export const InstantText = z.union([z.string(), z.date()], { error: (issue) => `expected an ISO-8601 date or date-time (e.g. 2024-01-01), got ${typeof issue.input === 'number' ? issue.input : 'something else'}` }).transform((value, ctx): Date => {
  const d = value instanceof Date ? value : parseInstant(value);
  if (!d || Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: 'custom', message: `"${String(value)}" is not an ISO-8601 date or date-time (e.g. 2024-01-01 or 2024-01-01T12:00:00Z)` });
    return z.NEVER;
  }
  const reach = instantOutOfReach(value instanceof Date ? d.toISOString() : value, d);
  if (reach) {
    ctx.addIssue({ code: 'custom', message: `"${value instanceof Date ? d.toISOString() : value}" ${reach}` });
    return z.NEVER;
  }
  return d;
});

export type Window =
  | { readonly kind: 'last'; readonly duration: Duration }
  | { readonly kind: 'between'; readonly from: Date; readonly to: Date };

const windowHint = 'a window is { last: "N days" } or { from: DATE, to: DATE }';

export const Window = strictObject({ last: DurationText.optional(), from: InstantText.optional(), to: InstantText.optional() }, windowHint)
  .transform((w, ctx): Window => {
    if (w.last !== undefined) {
      if (w.from !== undefined || w.to !== undefined) {
        ctx.addIssue({ code: 'custom', message: `${windowHint}, not both` });
        return z.NEVER;
      }
      return { kind: 'last', duration: w.last };
    }
    if (w.from === undefined || w.to === undefined) {
      const missing = w.from === undefined && w.to === undefined ? windowHint : `missing required field "${w.from === undefined ? 'from' : 'to'}"`;
      ctx.addIssue({ code: 'custom', message: missing });
      return z.NEVER;
    }
    if (w.from.getTime() >= w.to.getTime()) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must be before to' });
      return z.NEVER;
    }
    return { kind: 'between', from: w.from, to: w.to };
  });

export const Scope = z.enum(['all_events', 'group_context']);
export type Scope = z.infer<typeof Scope>;

export const Scalar = z.union([z.string(), z.number(), z.boolean()]);
export type Scalar = z.infer<typeof Scalar>;

/**
 * Names a definition's key or a SQL trait's column cannot take: the id columns of every result,
 * and the fields roster sends beside a value (`id` is also Segment's reserved trait for the
 * entity's own id; a track call's properties hold trait_key or audience_key, then the values).
 */
export const RESERVED_NAMES: Readonly<Record<string, string>> = {
  user_id: 'the id column of user results (and the Segment userId)',
  group_id: 'the id column of account results (and the Segment groupId)',
  id: "the id column roster compares results by, and Segment's reserved trait for the entity's own id",
  trait_key: "the property a Trait Computed track call names the trait by",
  audience_key: 'the property an Audience Entered / Exited track call names the audience by',
};

/** Columns Segment writes for every identify and group call (SPEC 3): never traits, nor is context_*. */
const SEGMENT_CALL_COLUMNS = new Set(['id', 'user_id', 'anonymous_id', 'group_id', 'timestamp', 'received_at', 'sent_at', 'original_timestamp', 'uuid', 'uuid_ts', 'loaded_at']);

/** Whether a column of identifies / groups in the segment layout is one Segment writes for every call, not a trait. */
export function isSegmentCallColumn(column: string): boolean {
  return SEGMENT_CALL_COLUMNS.has(column) || column.startsWith('context_');
}

/** Why a name is reserved, as a problem's message, or undefined. */
export function reservedName(name: string, what: string): string | undefined {
  // Own names only: `constructor` is no reserved name, whatever a plain object inherits.
  const why = Object.hasOwn(RESERVED_NAMES, name) ? RESERVED_NAMES[name] : systemColumnOf(name);
  return why === undefined ? undefined : `${name} is ${why}: ${what} needs another name`;
}

/**
 * A key or SQL-trait column is a column of roster's state tables, and compiled SQL is written for
 * every dialect: a name that is a system column of one engine's tables could never run there.
 */
function systemColumnOf(name: string): string | undefined {
  const engine = Object.values(DIALECTS).find((d) => d.systemColumns.includes(name));
  return engine && `a system column of every ${engine.name} table, and roster stores each value in a column named after it`;
}

/** A definition's key: also the trait it sends ({<key>: value}) and its result's column. */
const DefinitionKey = Key.superRefine((k, ctx) => {
  const problem = reservedName(k, 'a definition');
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Fields every definition kind shares. */
export const definitionBase = {
  key: DefinitionKey,
  entity: Entity,
  description: z.string().optional(),
  destinations: z.array(z.string().min(1)).optional(),
};
