import { z } from 'zod';
import { Key, strictObject } from './common.js';
import { eventNameTemplateError } from './event-name-template.js';
import { sslMode } from '../warehouse/postgres-url.js';

/** The sslmode values libpq takes. */
const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** Call types, in the order SPEC 4 sends them within a definition. */
export const CALLS = ['group', 'identify', 'track'] as const;
export type CallType = (typeof CALLS)[number];

/** A track event name template (SPEC 1), checked when roster.yml is read, not at the first delivery. */
const eventName = (fallback: string) => z.string().min(1).superRefine((source, ctx) => {
  const error = eventNameTemplateError(source);
  if (error) ctx.addIssue({ code: 'custom', message: `not a valid template: ${error}` });
}).default(fallback);

const DestinationBase = {
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, { message: 'a destination name uses letters, digits, _ . -' }),
  calls: z.array(z.enum(CALLS)).min(1).default([...CALLS]),
  events: strictObject({
    audience_entered: eventName('Audience Entered'),
    audience_exited: eventName('Audience Exited'),
    trait_computed: eventName('Trait Computed'),
  }).default({ audience_entered: 'Audience Entered', audience_exited: 'Audience Exited', trait_computed: 'Trait Computed' }),
};

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export const Destination = z.discriminatedUnion('type', [
  strictObject({ ...DestinationBase, type: z.literal('jsonl'), path: z.string({ error: 'a jsonl destination needs a path' }).min(1) }),
  strictObject({
    ...DestinationBase,
    type: z.literal('http'),
    url: z.string({ error: 'an http destination needs a url' }).url({ protocol: /^https?$/, message: 'url must be an absolute http(s) URL' })
      // fetch refuses such a url (and its error would print the password): the key goes in write_key.
      .refine((u) => !/^[a-z]+:\/\/[^/?#]*@/i.test(u), { message: 'url must not hold a user name or password: give the write key as write_key' }),
    write_key: z.string().optional(),
    // A timer longer than 2^31 - 1 ms fires at once in Node: every request would time out.
    timeout_ms: z.number().int().positive().max(MAX_TIMEOUT_MS, { message: `timeout_ms is at most ${MAX_TIMEOUT_MS} (about 24 days)` }).default(10_000),
    max_retries: z.number().int().min(0).default(5),
  }),
  strictObject({ ...DestinationBase, type: z.literal('stdout') }),
], { error: (issue) => (issue.code === 'invalid_union' ? 'destination type must be one of jsonl, http, stdout' : undefined) });
export type Destination = z.infer<typeof Destination>;

export const DIALECTS = ['duckdb', 'postgres', 'snowflake'] as const;
export type DialectName = (typeof DIALECTS)[number];

/** roster.yml (SPEC 1). Every field has a default but a destination's path or url. */
/**
 * A size DuckDB's memory_limit takes: a number and a unit in any case (1GB, 1.5 gb, 512MiB,
 * 2 gigabytes). Spelt case by case, not with the i flag, which the editors' JSON Schema would lose.
 */
const MEMORY_SIZE = new RegExp(`^\\s*\\d+(\\.\\d+)?\\s*(${['b', 'bytes?', 'k', 'm', 'g', 't', 'kb', 'kib', 'kilobytes?', 'mb', 'mib', 'megabytes?', 'gb', 'gib', 'gigabytes?', 'tb', 'tib', 'terabytes?']
  .map((unit) => unit.replace(/[a-z]/g, (ch) => `[${ch}${ch.toUpperCase()}]`)).join('|')})\\s*$`);

const SNOWFLAKE_ONLY = ['account', 'username', 'password', 'database', 'warehouse', 'role'] as const;

export const ProjectConfig = strictObject({
  name: z.string().min(1).default('roster'),
  warehouse: strictObject({
    dialect: z.enum(DIALECTS, { error: `dialect must be one of ${DIALECTS.join(', ')}` }).default('duckdb'),
    path: z.string().min(1).default('./warehouse.duckdb'),
    url: z.string().optional(),
    account: z.string().optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    database: z.string().optional(),
    warehouse: z.string().optional(),
    role: z.string().optional(),
    // DuckDB's own message for a size it cannot read is only "Failed to set config".
    memory_limit: z.string().regex(MEMORY_SIZE, { error: (issue) => `must be a size such as 1GB, 512MB or 2GiB, got ${JSON.stringify(issue.input)}` }).optional(),
    // Node's timers and Postgres's statement_timeout stop at 2^31 - 1 ms.
    statement_timeout_ms: z.number().int().positive().max(MAX_TIMEOUT_MS, { message: `statement_timeout_ms is at most ${MAX_TIMEOUT_MS} (about 24 days)` }).optional(),
  }).superRefine((w, ctx) => {
    // What each dialect needs to connect, checked by validate rather than at the first run.
    if (w.dialect === 'postgres' && !w.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'a postgres warehouse needs a url, e.g. url: ${DATABASE_URL}' });
    // libpq (psql) refuses any other; node-postgres would try a connection and fail on the server's answer.
    const ssl = w.dialect === 'postgres' && w.url ? sslMode(w.url) : undefined;
    if (ssl !== undefined && !SSL_MODES.includes(ssl)) ctx.addIssue({ code: 'custom', path: ['url'], message: `the url's sslmode must be one of ${SSL_MODES.join(', ')}, as libpq reads it, got ${JSON.stringify(ssl)}` });
    if (w.dialect === 'snowflake') {
      for (const k of ['account', 'username'] as const) if (!w[k]) ctx.addIssue({ code: 'custom', path: [k], message: `a snowflake warehouse needs ${k}` });
    }
    if (w.dialect === 'duckdb' && w.url !== undefined) ctx.addIssue({ code: 'custom', path: ['url'], message: 'url is for a postgres warehouse, and this one is duckdb (the default): set dialect: postgres, or use path' });
    // A setting another dialect reads is a slip (a forgotten dialect:, a pasted block): say so rather than ignore it.
    for (const k of SNOWFLAKE_ONLY) {
      if (w.dialect !== 'snowflake' && w[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], message: `${k} is for a snowflake warehouse, and this one is ${w.dialect}` });
    }
    if (w.dialect !== 'duckdb' && w.memory_limit !== undefined) ctx.addIssue({ code: 'custom', path: ['memory_limit'], message: `memory_limit is for a duckdb warehouse, and this one is ${w.dialect}` });
    if (w.dialect === 'snowflake' && w.url !== undefined) ctx.addIssue({ code: 'custom', path: ['url'], message: 'url is for a postgres warehouse, and this one is snowflake: use account, username, ...' });
  }).default({ dialect: 'duckdb', path: './warehouse.duckdb' }),
  source: strictObject({
    schema: z.string().min(1).default('main'),
    layout: z.enum(['segment', 'events_json'], { error: 'layout must be segment or events_json' }).default('segment'),
    deduplicate: z.boolean().default(false),
  }).default({ schema: 'main', layout: 'segment', deduplicate: false }),
  state: strictObject({ schema: Key.default('roster') }).default({ schema: 'roster' }),
  destinations: z.array(Destination).default([]),
});
export type ProjectConfig = z.infer<typeof ProjectConfig>;
export type SourceLayout = ProjectConfig['source']['layout'];

/** The table of every event of a layout (SPEC 3): Segment's tracks, or events_json's events. */
export const EVENTS_TABLE: Record<SourceLayout, string> = { segment: 'tracks', events_json: 'events' };

/** The tables of a layout besides Segment's per-event tables (SPEC 3): events_json has only these. */
export const LAYOUT_TABLES: Record<SourceLayout, readonly string[]> = {
  segment: [EVENTS_TABLE.segment, 'identifies', 'groups'],
  events_json: [EVENTS_TABLE.events_json, 'identifies', 'groups'],
};
