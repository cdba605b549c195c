import { LAYOUT_TABLES, type SourceLayout } from '../definitions/project-config.js';
import { choose, millis, pick, quoteIdent, rand, sqlString } from './sql.js';
import {
  COMPANY_SUFFIXES, COMPANY_WORDS, CURRENCIES, DEMO_EVENTS, FEATURE_WEIGHTS, FEATURES, FIRST_NAMES, GROUPS_COLUMNS,
  IDENTIFIES_COLUMNS, INDUSTRIES, LAST_NAMES, PATHS, PLANS, PROFILES, REFERRERS, ROLES, SPECIAL_NAMES, TITLES, TRACKS_COLUMNS,
} from './world.js';

export interface DemoOptions { users: number; accounts: number; days: number; seed: number; schema: string }

export const DEMO_DEFAULTS: DemoOptions = { users: 2000, accounts: 300, days: 90, seed: 42, schema: 'main' };

/** Events end here (exclusive): a run at 2024-06-01 sees most of them, one at 2024-06-02 sees new ones. */
export const DEMO_END = new Date('2024-06-03T00:00:00Z');

/** Events per user per day, on average. */
const EVENTS_PER_USER_DAY = 0.6;
const DAY_US = 86_400_000_000;

// Scratch tables live in the connection's temp catalog and are dropped at the end.
const ACCOUNTS = 'temp.roster_demo_accounts';
const USERS = 'temp.roster_demo_users';
const EVENTS = 'temp.roster_demo_events';
const IDENTIFIES_SCRATCH = 'temp.roster_demo_identifies';
const GROUPS_SCRATCH = 'temp.roster_demo_groups';

/**
 * DuckDB SQL statements that (re)create the source tables of a layout in `schema` and fill them
 * (segment: `tracks`, one table per event, `identifies` and `groups`; events_json: `events`,
 * `identifies` and `groups`). Run them in order on one connection (they share temp tables). The
 * same options always give the same rows, in either layout.
 *
 * @example
 * for (const sql of demoStatements({ ...DEMO_DEFAULTS, users: 500 })) await connection.run(sql);
 */
export function demoStatements(opts: DemoOptions, layout: SourceLayout = 'segment'): string[] {
  const o = validateDemoOptions(opts);
  const s = quoteIdent(o.schema);
  const table = (name: string) => `${s}.${quoteIdent(name)}`;
  const ctx: Ctx = { ...o, endUs: DEMO_END.getTime() * 1000, startUs: DEMO_END.getTime() * 1000 - o.days * DAY_US };
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    ...demoTables(layout).map((t) => `DROP TABLE IF EXISTS ${table(t)}`),
    accountsSql(ctx),
    usersSql(ctx),
    eventsSql(ctx),
    ...(layout === 'segment' ? segmentTablesSql(ctx, table) : eventsJsonTablesSql(ctx, table)),
    ...[EVENTS, USERS, ACCOUNTS].map((t) => `DROP TABLE IF EXISTS ${t}`),
  ];
}

/** The tables the demo writes for a layout (SPEC 3), so a caller can copy them elsewhere. */
export function demoTables(layout: SourceLayout): string[] {
  return [...LAYOUT_TABLES[layout], ...(layout === 'segment' ? DEMO_EVENTS.map((e) => e.slug) : [])];
}

/** `tracks`, one table per event with its property columns, and identifies and groups with a column per trait. */
function segmentTablesSql(c: Ctx, table: (name: string) => string): string[] {
  const tracksCols = TRACKS_COLUMNS.map(quoteIdent).join(', ');
  return [
    ...DEMO_EVENTS.map((e) =>
      `CREATE TABLE ${table(e.slug)} AS SELECT ${tracksCols}${e.properties.map((p) => `, ${quoteIdent(p.column)}`).join('')} ` +
      `FROM ${EVENTS} WHERE event = ${sqlString(e.slug)}`),
    // tracks is built from the event tables, so it holds exactly their rows.
    `CREATE TABLE ${table('tracks')} AS ${DEMO_EVENTS.map((e) => `SELECT ${tracksCols} FROM ${table(e.slug)}`).join(' UNION ALL ')}`,
    identifiesSql(c, `CREATE TABLE ${table('identifies')}`),
    groupsSql(c, `CREATE TABLE ${table('groups')}`),
  ];
}

/**
 * The same rows in the events_json layout: `events` names each event as definitions do
 * (`Order Completed`) and holds its properties in one JSON object, identifies and groups their
 * traits; numbers stay JSON numbers. An unset property or trait is a JSON null.
 */
function eventsJsonTablesSql(c: Ctx, table: (name: string) => string): string[] {
  const object = (columns: readonly string[]) =>
    `json_object(${columns.map((col) => `${sqlString(col)}, ${quoteIdent(col)}`).join(', ')})`;
  const properties = `CASE event ${DEMO_EVENTS.map((e) => `WHEN ${sqlString(e.slug)} THEN ${object(e.properties.map((p) => p.column))}`).join(' ')} END`;
  const traits = (columns: readonly string[], scratch: string) => `${object(columns.filter((col) => !TRAIT_TABLE_KEYS.has(col)))} AS traits FROM ${scratch} ORDER BY id`;
  return [
    `CREATE TABLE ${table('events')} AS SELECT id, user_id, event_text AS event, timestamp, context_group_id, ${properties} AS properties FROM ${EVENTS} ORDER BY id`,
    identifiesSql(c, 'CREATE OR REPLACE TEMP TABLE roster_demo_identifies'),
    `CREATE TABLE ${table('identifies')} AS SELECT id, user_id, timestamp, ${traits(IDENTIFIES_COLUMNS, IDENTIFIES_SCRATCH)}`,
    groupsSql(c, 'CREATE OR REPLACE TEMP TABLE roster_demo_groups'),
    `CREATE TABLE ${table('groups')} AS SELECT id, user_id, group_id, timestamp, ${traits(GROUPS_COLUMNS, GROUPS_SCRATCH)}`,
    ...[IDENTIFIES_SCRATCH, GROUPS_SCRATCH].map((t) => `DROP TABLE ${t}`),
  ];
}

/** Columns of identifies and groups that are not traits (SPEC 3's list, as far as the demo writes them). */
const TRAIT_TABLE_KEYS = new Set(['id', 'user_id', 'anonymous_id', 'group_id', 'timestamp', 'received_at']);

interface Ctx extends DemoOptions { endUs: number; startUs: number }

/** A demo option out of its range: `option` names it, `problem` says what is wrong. */
export class DemoOptionError extends RangeError {
  constructor(readonly option: keyof DemoOptions, readonly problem: string) {
    super(`demo: ${option} ${problem}`);
    this.name = 'DemoOptionError';
  }
}

/** Throws a DemoOptionError for the first option out of range; the CLI checks before opening anything. */
export function validateDemoOptions(o: DemoOptions): DemoOptions {
  const positive = (name: keyof DemoOptions, max: number) => {
    const v = o[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) throw new DemoOptionError(name, `must be an integer from 1 to ${max}, got ${String(v)}`);
  };
  positive('users', 10_000_000);
  positive('accounts', 1_000_000);
  positive('days', 3650);
  if (!Number.isSafeInteger(o.seed)) throw new DemoOptionError('seed', `must be an integer, got ${String(o.seed)}`);
  if (typeof o.schema !== 'string' || o.schema === '') throw new DemoOptionError('schema', 'must be a non-empty name');
  return o;
}

/** Account index `a`: traits, activity profile, whether it has users, and a later plan change. */
function accountsSql(c: Ctx): string {
  const r = (salt: string) => rand(c.seed, `account.${salt}`, 'a');
  const span = c.endUs - c.startUs;
  return `CREATE OR REPLACE TEMP TABLE roster_demo_accounts AS
WITH r AS (
  SELECT a, ${r('name1')} AS r_name1, ${r('name2')} AS r_name2, ${r('industry')} AS r_industry, ${r('plan')} AS r_plan,
    ${r('employees')} AS r_employees, ${r('profile')} AS r_profile, ${r('empty')} AS r_empty, ${r('created')} AS r_created,
    ${r('change')} AS r_change, ${r('change_late')} AS r_change_late, ${r('change_at')} AS r_change_at
  FROM range(1, ${c.accounts + 1}) t(a)
), p AS (
  SELECT *, ${choose('r_plan', PLANS)} AS plan, ${choose('r_profile', PROFILES)} AS profile FROM r
)
SELECT a, printf('acct_%04d', a) AS group_id,
  ${pick('r_name1', COMPANY_WORDS)} || ' ' || ${pick('r_name2', COMPANY_SUFFIXES)} AS name,
  ${choose('r_industry', INDUSTRIES)} AS industry,
  plan,
  CAST(CASE plan WHEN 'free' THEN 1 + floor(r_employees * 20) WHEN 'trial' THEN 5 + floor(r_employees * 95)
    WHEN 'pro' THEN 20 + floor(r_employees * r_employees * 480) ELSE 200 + floor(r_employees * r_employees * 9800) END AS INTEGER) AS employees,
  profile,
  -- ~5% of accounts have no users; the last one always, so small data sets have one too.
  ${c.accounts} > 1 AND (r_empty < 0.05 OR a = ${c.accounts}) AS empty,
  ${millis(`${c.startUs} - ${DAY_US} - r_created * ${300 * DAY_US}`)} AS created_us,
  CASE WHEN plan = 'trial' AND r_change < 0.35 THEN 'pro' WHEN plan = 'pro' AND r_change < 0.1 THEN 'enterprise'
    WHEN plan = 'pro' AND r_change > 0.95 THEN 'free' END AS new_plan,
  -- A fifth of the plan changes land in the last two days, after a run at 2024-06-01.
  ${millis(`CASE WHEN r_change_late < 0.2 THEN ${c.endUs - 2 * DAY_US} + r_change_at * ${2 * DAY_US} ELSE ${c.startUs} + r_change_at * ${span} * 0.97 END`)} AS change_us
FROM p`;
}

/** User index `u`: traits, up to two accounts (by rank among accounts with users), signup and activity. */
function usersSql(c: Ctx): string {
  const r = (salt: string) => rand(c.seed, `user.${salt}`, 'u');
  const span = c.endUs - c.startUs;
  const specials = SPECIAL_NAMES.map(([u, name]) => `WHEN ${u} THEN ${sqlString(name)}`).join(' ');
  return `CREATE OR REPLACE TEMP TABLE roster_demo_users AS
WITH r AS (
  SELECT u, ${r('acct')} AS r_acct, ${r('solo')} AS r_solo, ${r('two')} AS r_two, ${r('acct2')} AS r_acct2,
    ${r('join2')} AS r_join2, ${r('signup')} AS r_signup, ${r('new')} AS r_new, ${r('weight')} AS r_weight,
    ${r('first')} AS r_first, ${r('last')} AS r_last, ${r('role')} AS r_role, ${r('title')} AS r_title, ${r('fav')} AS r_fav
  FROM range(1, ${c.users + 1}) t(u)
), ne AS (
  SELECT group_id, profile, row_number() OVER (ORDER BY a) AS k FROM roster_demo_accounts WHERE NOT empty
), n AS (SELECT count(*) AS n FROM ne),
pick1 AS (
  -- ~5% of users never get a group call; pow() skews users towards low ranks: a few big accounts.
  SELECT r.*, n.n, CASE WHEN n.n > 0 AND r_solo >= 0.05 THEN 1 + CAST(floor(pow(r_acct, 1.6) * n.n) AS BIGINT) END AS k1 FROM r, n
), pick2 AS (
  -- ~3% belong to a second, different account.
  SELECT *, CASE WHEN k1 IS NOT NULL AND n > 1 AND r_two < 0.03 THEN 1 + (k1 + CAST(floor(r_acct2 * (n - 1)) AS BIGINT)) % n END AS k2 FROM pick1
), j AS (
  SELECT p.*, a1.group_id AS group1, a2.group_id AS group2, coalesce(a1.profile, 'steady') AS profile,
    ${pick('r_first', FIRST_NAMES)} AS first_name, ${pick('r_last', LAST_NAMES)} AS last_name
  FROM pick2 p LEFT JOIN ne a1 ON a1.k = p.k1 LEFT JOIN ne a2 ON a2.k = p.k2
), s AS (
  -- Most users signed up before the event span; dormant accounts' users always did.
  SELECT *, ${millis(`CASE WHEN profile = 'dormant' OR r_new >= 0.15 THEN ${c.startUs - DAY_US} - r_signup * ${180 * DAY_US}
      ELSE ${c.startUs} + r_signup * ${span} * 0.8 END`)} AS signup_us,
    CASE u ${specials} ELSE first_name || ' ' || last_name END AS name,
    CASE profile WHEN 'busy' THEN 3.0 WHEN 'declining' THEN 1.2 WHEN 'dormant' THEN 0.6 ELSE 1.0 END * -ln(1 - r_weight) AS weight
  FROM j
)
SELECT u, printf('user_%05d', u) AS user_id, printf('anon_%016x', hash(${c.seed}, u, 'anonymous_id')) AS anonymous_id,
  group1, group2, profile, signup_us,
  ${millis(`greatest(signup_us, ${c.startUs}) + r_join2 * (${c.endUs} - greatest(signup_us, ${c.startUs}))`)} AS join2_us,
  CAST(round(${c.users * c.days * EVENTS_PER_USER_DAY} * weight / sum(weight) OVER ()) AS BIGINT) AS n_events,
  name,
  -- 'Siobhán O'Brien' -> siobhan.o.brien2@example.com
  trim(regexp_replace(lower(strip_accents(name)), '[^a-z]+', '.', 'g'), '.') || u || '@example.com' AS email,
  ${choose('r_role', ROLES)} AS role,
  ${choose('r_title', TITLES)} AS title,
  ${pick('r_fav', FEATURES)} AS favorite_feature
FROM s`;
}

/** One row per event, `n_events` per user, spread over the span by the account's profile. */
function eventsSql(c: Ctx): string {
  const r = (salt: string) => rand(c.seed, `event.${salt}`, 'u', 'k');
  const is = (text: string) => `event_text = ${sqlString(text)}`;
  const slugs = DEMO_EVENTS.map((e) => `WHEN ${sqlString(e.text)} THEN ${sqlString(e.slug)}`).join(' ');
  return `CREATE OR REPLACE TEMP TABLE roster_demo_events AS
WITH e AS (
  SELECT u, user_id, anonymous_id, group1, group2, profile, favorite_feature, join2_us,
    greatest(signup_us, ${c.startUs}) AS from_us, unnest(range(n_events)) AS k
  FROM roster_demo_users
), r AS (
  SELECT *, ${r('time')} AS r_time, ${r('event')} AS r_event, ${r('anon')} AS r_anon, ${r('ctx')} AS r_ctx,
    ${r('ctx2')} AS r_ctx2, ${r('p1')} AS r_p1, ${r('p2')} AS r_p2, ${r('p3')} AS r_p3, ${r('lag')} AS r_lag
  FROM e
), t AS (
  SELECT *, ${choose('r_event', DEMO_EVENTS.map((ev) => [ev.text, ev.share] as const))} AS event_text,
    -- Where in the user's active period the event falls: busy grows, declining fades, dormant stops early.
    ${millis(`from_us + CASE profile WHEN 'busy' THEN sqrt(r_time) WHEN 'declining' THEN 1 - sqrt(1 - r_time)
      WHEN 'dormant' THEN 0.25 * r_time ELSE r_time END * (${c.endUs} - from_us)`)} AS ts_us
  FROM r
), a AS (
  -- ~2% of all events are anonymous page views (before login).
  SELECT *, ${is('Page Viewed')} AND r_anon < 0.045 AS anonymous FROM t
)
SELECT printf('evt_%06d_%05d', u, k) AS id,
  CASE WHEN anonymous THEN NULL ELSE user_id END AS user_id, anonymous_id,
  CASE event_text ${slugs} END AS event, event_text,
  make_timestamp(ts_us) AS timestamp,
  CASE WHEN anonymous OR group1 IS NULL OR r_ctx < 0.08 THEN NULL
    WHEN group2 IS NOT NULL AND ts_us >= join2_us AND r_ctx2 < 0.4 THEN group2 ELSE group1 END AS context_group_id,
  make_timestamp(ts_us + ${millis(`500000 + r_lag * 4000000`)}) AS received_at,
  make_timestamp(ts_us + ${millis('r_lag * 300000')}) AS sent_at,
  make_timestamp(ts_us) AS original_timestamp,
  make_timestamp(ts_us + ${millis(`3600000000 + r_lag * 1800000000`)}) AS uuid_ts,
  CASE WHEN ${is('Page Viewed')} AND r_p1 >= 0.01 THEN ${choose('r_p2', PATHS)} END AS path,
  CASE WHEN ${is('Page Viewed')} THEN ${choose('r_p3', REFERRERS)} END AS referrer,
  -- Users lean to a favourite feature, so most_frequent has a clear winner.
  CASE WHEN NOT ${is('Feature Used')} OR r_p1 < 0.01 THEN NULL WHEN r_p1 < 0.45 THEN favorite_feature
    ELSE ${choose('r_p2', FEATURE_WEIGHTS)} END AS feature_name,
  CASE WHEN ${is('Order Completed')} THEN CAST(round(9.99 + r_p1 * r_p1 * 990, 2) AS DOUBLE) END AS total,
  CASE WHEN ${is('Order Completed')} THEN ${choose('r_p2', CURRENCIES)} END AS currency,
  -- Unhappy accounts score low, the others mostly 8-10.
  CASE WHEN ${is('NPS Survey Submitted')} THEN CAST(least(10, floor(11 * CASE WHEN profile IN ('declining', 'dormant')
    THEN r_p1 ELSE 1 - r_p1 * r_p1 END)) AS INTEGER) END AS score
FROM a`;
}

/** A full identify at signup, later partial ones (role, title) that leave other traits null, and a few anonymous ones. */
function identifiesSql(c: Ctx, create: string): string {
  const r = (salt: string) => rand(c.seed, `identify.${salt}`, 'u');
  const lag = (ts: string) => `make_timestamp(${ts} + ${millis(`200000 + r_lag * 2000000`)})`;
  const changeUs = millis(`greatest(signup_us, ${c.startUs}) + r_role_at * (${c.endUs} - greatest(signup_us, ${c.startUs}))`);
  const lateUs = millis(`${c.endUs - 2 * DAY_US} + r_late_at * ${2 * DAY_US}`);
  const anonUs = millis(`signup_us - ${DAY_US} - r_anon_at * ${7 * DAY_US}`);
  return `${create} AS
WITH b AS (
  SELECT *, ${r('role')} AS r_role, ${r('role_at')} AS r_role_at, ${r('late')} AS r_late, ${r('late_at')} AS r_late_at,
    ${r('title')} AS r_title, ${r('anon')} AS r_anon, ${r('anon_at')} AS r_anon_at, ${r('lag')} AS r_lag
  FROM ${USERS}
)
SELECT printf('idf_%06d_signup', u) AS id, user_id, anonymous_id, make_timestamp(signup_us) AS timestamp, ${lag('signup_us')} AS received_at,
  email, name, role, title FROM b
UNION ALL
SELECT printf('idf_%06d_role', u), user_id, anonymous_id, make_timestamp(${changeUs}), ${lag(changeUs)},
  NULL, NULL, CASE WHEN role = 'admin' THEN 'member' ELSE 'admin' END, NULL FROM b WHERE r_role < 0.1
UNION ALL
SELECT printf('idf_%06d_title', u), user_id, anonymous_id, make_timestamp(${lateUs}), ${lag(lateUs)},
  NULL, NULL, NULL, ${choose('r_title', TITLES.filter(([t]) => t !== null))} FROM b WHERE r_late < 0.03
UNION ALL
-- Identifies without a user_id (a newsletter sign-up before the account existed): roster must ignore them.
SELECT printf('idf_%06d_anon', u), NULL, anonymous_id, make_timestamp(${anonUs}), ${lag(anonUs)},
  email, NULL, NULL, NULL FROM b WHERE r_anon < 0.02
ORDER BY id`;
}

/**
 * One group call per membership (carrying the account's traits at that time), one with a null
 * user_id for each account nobody joined, and a partial one (only plan) per plan change.
 */
function groupsSql(c: Ctx, create: string): string {
  const lag = (ts: string) => `make_timestamp(${ts} + ${millis(`${rand(c.seed, 'group.lag', 'id')} * 3000000`)})`;
  const planAt = (ts: string) => `CASE WHEN new_plan IS NOT NULL AND ${ts} >= change_us THEN new_plan ELSE plan END`;
  return `${create} AS
WITH m AS (
  SELECT printf('grp_%06d_1', u) AS id, user_id, group1 AS group_id, signup_us + 60000000 AS ts_us FROM ${USERS} WHERE group1 IS NOT NULL
  UNION ALL
  SELECT printf('grp_%06d_2', u), user_id, group2, join2_us FROM ${USERS} WHERE group2 IS NOT NULL
), g AS (
  SELECT m.id, m.user_id, group_id, m.ts_us, acc.name, acc.industry, ${planAt('m.ts_us')} AS plan, acc.employees
  FROM m JOIN ${ACCOUNTS} acc USING (group_id)
  UNION ALL
  SELECT printf('grp_acct_%04d', a), NULL, group_id, created_us, name, industry, plan, employees
  FROM ${ACCOUNTS} acc WHERE NOT EXISTS (SELECT 1 FROM m WHERE m.group_id = acc.group_id)
  UNION ALL
  SELECT printf('grp_acct_%04d_plan', a), (SELECT min(m.user_id) FROM m WHERE m.group_id = acc.group_id), group_id, change_us,
    NULL, NULL, new_plan, NULL
  FROM ${ACCOUNTS} acc WHERE new_plan IS NOT NULL
)
SELECT id, user_id, group_id, make_timestamp(ts_us) AS timestamp, ${lag('ts_us')} AS received_at, name, industry, plan, employees
FROM g ORDER BY id`;
}
