/** The vocabulary of the demo's B2B SaaS world: who the users and accounts are, and what they do. */

/** A property column of an event table, as Segment's warehouse connector would type it. */
export interface DemoProperty { readonly column: string; readonly type: 'VARCHAR' | 'DOUBLE' | 'INTEGER' }

export interface DemoEvent {
  /** The name definitions use (`event_text`). */
  readonly text: string;
  /** The table name and `event` column value: the snake_case slug. */
  readonly slug: string;
  /** Share of all events. */
  readonly share: number;
  readonly properties: readonly DemoProperty[];
}

export const DEMO_EVENTS: readonly DemoEvent[] = [
  { text: 'Page Viewed', slug: 'page_viewed', share: 0.42, properties: [{ column: 'path', type: 'VARCHAR' }, { column: 'referrer', type: 'VARCHAR' }] },
  { text: 'Feature Used', slug: 'feature_used', share: 0.3, properties: [{ column: 'feature_name', type: 'VARCHAR' }] },
  { text: 'Logged In', slug: 'logged_in', share: 0.21, properties: [] },
  { text: 'Order Completed', slug: 'order_completed', share: 0.055, properties: [{ column: 'total', type: 'DOUBLE' }, { column: 'currency', type: 'VARCHAR' }] },
  { text: 'NPS Survey Submitted', slug: 'nps_survey_submitted', share: 0.015, properties: [{ column: 'score', type: 'INTEGER' }] },
];

/** The columns every event table shares with `tracks`, in order. */
export const TRACKS_COLUMNS = [
  'id', 'user_id', 'anonymous_id', 'event', 'event_text', 'timestamp', 'context_group_id',
  'received_at', 'sent_at', 'original_timestamp', 'uuid_ts',
] as const;

export const IDENTIFIES_COLUMNS = ['id', 'user_id', 'anonymous_id', 'timestamp', 'received_at', 'email', 'name', 'role', 'title'] as const;
export const GROUPS_COLUMNS = ['id', 'user_id', 'group_id', 'timestamp', 'received_at', 'name', 'industry', 'plan', 'employees'] as const;

type Weighted = readonly (readonly [string | null, number])[];

// Account traits.
export const INDUSTRIES: Weighted = [['Software', 35], ['Finance', 15], ['Healthcare', 14], ['Retail', 14], ['Education', 14], [null, 8]];
export const PLANS: Weighted = [['free', 30], ['trial', 15], ['pro', 35], ['enterprise', 20]];
export const COMPANY_WORDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Wonka', 'Tyrell', 'Cyberdyne', 'Vandelay', 'Aperture', "O'Reilly", 'Zoë', 'Nakatomi', 'Oscorp'];
export const COMPANY_SUFFIXES = ['Inc', 'Labs', 'Corp', 'Systems', 'Group', 'GmbH', '& Co', 'Analytics'];

/**
 * How an account's users behave over the event span: `busy` grows and is 3x as active,
 * `declining` fades out, `dormant` stopped early (no events in the last three quarters).
 */
export const PROFILES: Weighted = [['busy', 15], ['steady', 50], ['declining', 18], ['dormant', 17]];

// User traits. Zoë and O'Brien are ordinary names, so odd strings also turn up at random.
export const FIRST_NAMES = ['Ada', 'Grace', 'Linus', 'Zoë', 'Mateo', 'Priya', 'Kenji', 'Amara', 'Lars', 'Fatima', 'Noah', 'Chloé', 'Ivan', 'Mei', 'Omar', 'Sofia'];
export const LAST_NAMES = ["O'Brien", 'Smith', 'García', 'Nguyen', 'Müller', 'Kowalski', 'Okafor', 'Tanaka', 'Rossi', 'Johansson', 'Patel', 'Dubois', 'Kim', 'Silva'];
/** Fixed names for the first users, so every generated data set holds the strings that break naive quoting. */
export const SPECIAL_NAMES: readonly (readonly [number, string])[] = [
  [2, "Siobhán O'Brien"],
  [3, 'Zoë Ångström'],
  [5, '🚀 Rocket Raccoon'],
  [7, 'CORP\\jdoe'],
  [11, 'Robert "Bobby" Tables'],
];
export const ROLES: Weighted = [['admin', 15], ['member', 60], ['viewer', 17], [null, 8]];
export const TITLES: Weighted = [['Engineer', 30], ['Product Manager', 15], ['Data Analyst', 15], ['VP Sales', 5], ['CTO', 5], ['Designer', 10], [null, 20]];

// Event properties.
export const FEATURES = ['dashboards', 'reports', 'alerts', 'api', 'exports', 'sso'];
export const FEATURE_WEIGHTS: Weighted = [['dashboards', 35], ['reports', 25], ['alerts', 15], ['api', 12], ['exports', 8], ['sso', 5]];
export const PATHS: Weighted = [
  ['/home', 20], ['/dashboard', 20], ['/docs', 15], ['/pricing', 10], ['/docs/api', 10], ['/settings', 7],
  ['/blog/launch-week', 8], ['/blog/warehouse-native', 6], ["/blog/it's-here", 4],
];
export const REFERRERS: Weighted = [
  [null, 50], ['https://www.google.com/', 25], ['https://www.linkedin.com/', 10], ['https://news.ycombinator.com/', 8], ['https://x.com/', 7],
];
export const CURRENCIES: Weighted = [['USD', 70], ['EUR', 20], ['GBP', 10]];
