-- roster run plan b2b-saas, snowflake: the whole run, sharing work between definitions.
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC, bound to each statement that names it
-- Each definition ends in its scratch table _run_<key>, with the rows its own file gives in a run.

-- sql_trait active_users_30d (account): user SQL, shape-checked by the run
CREATE OR REPLACE TEMPORARY TABLE "_RUN_ACTIVE_USERS_30D" AS
-- One row per (account, member): every row associates its user with the account, so only
-- users who joined through a group call are returned. The count repeats on each row of an
-- account (one value per group_id). An empty id is no id, as roster reads group calls: a row
-- with one would fail this trait's shape check.
WITH members AS (
  SELECT DISTINCT group_id, user_id
  FROM "MAIN"."GROUPS"
  WHERE user_id <> '' AND group_id <> '' AND timestamp <= CAST(:1 AS TIMESTAMP_NTZ)
),
active AS (
  SELECT DISTINCT user_id
  FROM "MAIN"."TRACKS"
  WHERE user_id <> ''
    AND timestamp > CAST(:1 AS TIMESTAMP_NTZ) - INTERVAL '30 days'
    AND timestamp <= CAST(:1 AS TIMESTAMP_NTZ)
)
SELECT
  m.group_id,
  m.user_id,
  count(a.user_id) OVER (PARTITION BY m.group_id) AS active_users_30d
FROM members m
LEFT JOIN active a ON a.user_id = m.user_id
;

-- user features: one pass over the events of main.page_viewed
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_PAGE_VIEWED_USERS" AS
SELECT
  e.user_id,
  COUNT_IF(e."TIMESTAMP" >= CAST('2024-04-01 00:00:00.000' AS TIMESTAMP_NTZ) AND e."TIMESTAMP" < CAST('2024-05-01 00:00:00.000' AS TIMESTAMP_NTZ) AND COALESCE(CAST(e."PATH" AS VARCHAR) = '/pricing', FALSE)) AS n_april_pricing_visitors, -- april_pricing_visitors
  ARRAY_AGG(e."PATH") WITHIN GROUP (ORDER BY e."TIMESTAMP" DESC NULLS FIRST, e.id DESC NULLS FIRST)[0] AS last_last_page_viewed, -- last_page_viewed
  ARRAY_AGG(e."PATH") WITHIN GROUP (ORDER BY e."TIMESTAMP", e.id)[0] AS first_first_landing_page, -- first_landing_page
  min(CASE WHEN e."PATH" IS NOT NULL THEN e."TIMESTAMP" END) AS first_ts_first_landing_page, -- first_landing_page
  ARRAY_AGG(CASE WHEN e."PATH" IS NOT NULL THEN ARRAY_CONSTRUCT(e.id) END) WITHIN GROUP (ORDER BY e."TIMESTAMP", e.id)[0][0] AS first_id_first_landing_page -- first_landing_page
FROM "MAIN"."PAGE_VIEWED" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  AND e.event_text = 'Page Viewed'
GROUP BY e.user_id;

-- audience april_pricing_visitors (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_APRIL_PRICING_VISITORS" AS
SELECT entity.user_id
FROM "_PLAN_PAGE_VIEWED_USERS" AS entity
WHERE (COALESCE(entity.n_april_pricing_visitors, 0) >= 2);

-- distinct values per user (the user features and most_frequent counts): one pass over the events of main.feature_used
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_FEATURE_USED_VALUES" AS
SELECT
  e.user_id,
  e."FEATURE_NAME" AS value,
  CAST(e."FEATURE_NAME" AS VARCHAR) AS value_text,
  count(*) AS n_feature_count, -- feature_count, features_used
  COUNT_IF(e."TIMESTAMP" > DATEADD(day, -14, CAST(:1 AS TIMESTAMP_NTZ))) AS n_fully_engaged_accounts, -- fully_engaged_accounts, trial_accounts_high_usage
  COUNT_IF(e."TIMESTAMP" > DATEADD(day, -90, CAST(:1 AS TIMESTAMP_NTZ))) AS n_favorite_feature -- favorite_feature
FROM "MAIN"."FEATURE_USED" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  AND e.event_text = 'Feature Used'
GROUP BY e.user_id, e."FEATURE_NAME", CAST(e."FEATURE_NAME" AS VARCHAR);

-- computed_trait favorite_feature (user): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_FAVORITE_FEATURE" AS
WITH
value_counts AS (
  SELECT user_id, value, sum(n_favorite_feature) AS n
  FROM "_PLAN_FEATURE_USED_VALUES"
  WHERE value IS NOT NULL
  GROUP BY user_id, value
),
ranked_values AS (
  SELECT user_id, value,
    row_number() OVER (PARTITION BY user_id ORDER BY n DESC, CAST(value AS VARCHAR)) AS rank
  FROM value_counts
  WHERE n >= 2
)
SELECT user_id, value AS "FAVORITE_FEATURE"
FROM ranked_values
WHERE rank = 1;

-- user features folded from the distinct values per user of the events of main.feature_used
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_FEATURE_USED_USERS" AS
SELECT
  g.user_id,
  count(g.value_text) AS n_distinct_feature_count, -- feature_count
  CASE WHEN COUNT(g.value_text) > 0 THEN ARRAY_AGG(g.value_text) WITHIN GROUP (ORDER BY g.value_text) END AS list_features_used, -- features_used
  CAST(sum(g.n_fully_engaged_accounts) AS BIGINT) AS n_fully_engaged_accounts -- fully_engaged_accounts, trial_accounts_high_usage
FROM "_PLAN_FEATURE_USED_VALUES" AS g
GROUP BY g.user_id;

-- computed_trait feature_count (user): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_FEATURE_COUNT" AS
SELECT user_id, n_distinct_feature_count AS "FEATURE_COUNT"
FROM "_PLAN_FEATURE_USED_USERS"
WHERE n_distinct_feature_count > 0;

-- computed_trait features_used (user): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_FEATURES_USED" AS
SELECT user_id, list_features_used AS "FEATURES_USED"
FROM "_PLAN_FEATURE_USED_USERS"
WHERE list_features_used IS NOT NULL;

-- computed_trait last_page_viewed (user): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_LAST_PAGE_VIEWED" AS
SELECT user_id, last_last_page_viewed AS "LAST_PAGE_VIEWED"
FROM "_PLAN_PAGE_VIEWED_USERS"
WHERE last_last_page_viewed IS NOT NULL;

-- the users of each account: group calls and associating SQL traits
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_ACCOUNT_USERS" AS
SELECT group_id, user_id FROM "MAIN"."GROUPS"
WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
UNION
SELECT group_id, user_id FROM "_RUN_ACTIVE_USERS_30D" WHERE CAST(user_id AS VARCHAR) <> '';

-- user features: one pass over the events of main.nps_survey_submitted
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_NPS_SURVEY_SUBMITTED_USERS" AS
SELECT
  e.user_id,
  sum(CASE WHEN LENGTH(CAST(e."SCORE" AS VARCHAR)) <= 1000 AND REGEXP_LIKE(CAST(e."SCORE" AS VARCHAR), '^[ \\t\\n\\r\\f\\v]*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \\t\\n\\r\\f\\v]*$') AND ABS(TRY_CAST(CAST(e."SCORE" AS VARCHAR) AS DOUBLE)) < CAST('inf' AS DOUBLE) THEN TRY_CAST(CAST(e."SCORE" AS VARCHAR) AS DOUBLE) END) AS sum_avg_nps, -- avg_nps
  count(CASE WHEN LENGTH(CAST(e."SCORE" AS VARCHAR)) <= 1000 AND REGEXP_LIKE(CAST(e."SCORE" AS VARCHAR), '^[ \\t\\n\\r\\f\\v]*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \\t\\n\\r\\f\\v]*$') AND ABS(TRY_CAST(CAST(e."SCORE" AS VARCHAR) AS DOUBLE)) < CAST('inf' AS DOUBLE) THEN TRY_CAST(CAST(e."SCORE" AS VARCHAR) AS DOUBLE) END) AS n_values_avg_nps -- avg_nps
FROM "MAIN"."NPS_SURVEY_SUBMITTED" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  AND e.event_text = 'NPS Survey Submitted'
GROUP BY e.user_id;

-- account features folded from the user features of the events of main.nps_survey_submitted
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_NPS_SURVEY_SUBMITTED_ACCOUNTS" AS
SELECT
  au.group_id,
  sum(f.sum_avg_nps) / NULLIF(sum(f.n_values_avg_nps), 0) AS avg_avg_nps -- avg_nps
FROM "_PLAN_NPS_SURVEY_SUBMITTED_USERS" AS f
JOIN "_PLAN_ACCOUNT_USERS" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;

-- computed_trait avg_nps (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_AVG_NPS" AS
SELECT group_id, CASE WHEN avg_avg_nps IS NULL OR avg_avg_nps = 0 THEN avg_avg_nps ELSE ROUND(avg_avg_nps, 11 - FLOOR(LOG(10, ABS(avg_avg_nps)))) END AS "AVG_NPS"
FROM "_PLAN_NPS_SURVEY_SUBMITTED_ACCOUNTS"
WHERE avg_avg_nps IS NOT NULL;

-- user features: one pass over the events of main.logged_in
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_LOGGED_IN_USERS" AS
SELECT
  e.user_id,
  COUNT_IF(e."TIMESTAMP" > DATEADD(day, -60, CAST(:1 AS TIMESTAMP_NTZ))) AS n_dormant_accounts, -- dormant_accounts
  COUNT_IF(e."TIMESTAMP" > DATEADD(day, -14, CAST(:1 AS TIMESTAMP_NTZ))) AS n_fully_engaged_accounts, -- fully_engaged_accounts
  COUNT_IF(e."TIMESTAMP" > DATEADD(day, -30, CAST(:1 AS TIMESTAMP_NTZ))) AS n_logins_past_30_days -- logins_past_30_days, power_users
FROM "MAIN"."LOGGED_IN" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  AND e.event_text = 'Logged In'
GROUP BY e.user_id;

-- per account, whether any / all of its users satisfy each users: condition of the account audiences
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_USERS_MATCHING" AS
SELECT
  au.group_id,
  BOOLOR_AGG((COALESCE(au_logged_in_users.n_dormant_accounts, 0) >= 1)) AS any_dormant_accounts, -- dormant_accounts
  BOOLAND_AGG((COALESCE(au_logged_in_users.n_dormant_accounts, 0) >= 1)) AS all_dormant_accounts, -- dormant_accounts
  BOOLOR_AGG(((COALESCE(au_logged_in_users.n_fully_engaged_accounts, 0) >= 1)
    AND (COALESCE(au_feature_used_users.n_fully_engaged_accounts, 0) >= 1))) AS any_fully_engaged_accounts, -- fully_engaged_accounts
  BOOLAND_AGG(((COALESCE(au_logged_in_users.n_fully_engaged_accounts, 0) >= 1)
    AND (COALESCE(au_feature_used_users.n_fully_engaged_accounts, 0) >= 1))) AS all_fully_engaged_accounts, -- fully_engaged_accounts
  BOOLOR_AGG((COALESCE(au_feature_used_users.n_fully_engaged_accounts, 0) >= 5)) AS any_trial_accounts_high_usage, -- trial_accounts_high_usage
  BOOLAND_AGG((COALESCE(au_feature_used_users.n_fully_engaged_accounts, 0) >= 5)) AS all_trial_accounts_high_usage -- trial_accounts_high_usage
FROM "_PLAN_ACCOUNT_USERS" AS au
LEFT JOIN "_PLAN_LOGGED_IN_USERS" AS au_logged_in_users ON au_logged_in_users.user_id = au.user_id
LEFT JOIN "_PLAN_FEATURE_USED_USERS" AS au_feature_used_users ON au_feature_used_users.user_id = au.user_id
GROUP BY au.group_id;

-- every account: group calls and account-level SQL traits
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_ALL_ACCOUNTS" AS
SELECT group_id FROM "MAIN"."GROUPS" WHERE CAST(group_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
UNION
SELECT group_id FROM "_RUN_ACTIVE_USERS_30D";

-- audience dormant_accounts (account)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_DORMANT_ACCOUNTS" AS
SELECT entity.group_id
FROM "_PLAN_ALL_ACCOUNTS" AS entity
LEFT JOIN "_PLAN_USERS_MATCHING" AS entity_users_matching ON entity_users_matching.group_id = entity.group_id
WHERE NOT COALESCE(entity_users_matching.any_dormant_accounts, FALSE);

-- account features folded from the user features of the events of main.page_viewed
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_PAGE_VIEWED_ACCOUNTS" AS
SELECT
  au.group_id,
  ARRAY_AGG(f.first_first_landing_page) WITHIN GROUP (ORDER BY f.first_ts_first_landing_page, f.first_id_first_landing_page)[0] AS first_first_landing_page -- first_landing_page
FROM "_PLAN_PAGE_VIEWED_USERS" AS f
JOIN "_PLAN_ACCOUNT_USERS" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;

-- computed_trait first_landing_page (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_FIRST_LANDING_PAGE" AS
SELECT group_id, first_first_landing_page AS "FIRST_LANDING_PAGE"
FROM "_PLAN_PAGE_VIEWED_ACCOUNTS"
WHERE first_first_landing_page IS NOT NULL;

-- audience fully_engaged_accounts (account)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_FULLY_ENGAGED_ACCOUNTS" AS
SELECT entity.group_id
FROM "_PLAN_USERS_MATCHING" AS entity
WHERE COALESCE(entity.all_fully_engaged_accounts, FALSE);

-- audience high_feature_adoption (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_HIGH_FEATURE_ADOPTION" AS
SELECT entity.user_id
FROM "_RUN_FEATURE_COUNT" AS entity
WHERE COALESCE(COALESCE(entity."FEATURE_COUNT", 0) >= 4, FALSE);

-- account features folded from the user features of the events of main.logged_in
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_LOGGED_IN_ACCOUNTS" AS
SELECT
  au.group_id,
  CAST(sum(f.n_logins_past_30_days) AS BIGINT) AS count_logins_past_30_days -- logins_past_30_days
FROM "_PLAN_LOGGED_IN_USERS" AS f
JOIN "_PLAN_ACCOUNT_USERS" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;

-- computed_trait logins_past_30_days (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_LOGINS_PAST_30_DAYS" AS
SELECT group_id, count_logins_past_30_days AS "LOGINS_PAST_30_DAYS"
FROM "_PLAN_LOGGED_IN_ACCOUNTS"
WHERE count_logins_past_30_days > 0;

-- the latest non-null value of each custom trait over group calls (SPEC 3)
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_ACCOUNT_TRAITS" AS
SELECT
  group_id,
  ARRAY_AGG("INDUSTRY") WITHIN GROUP (ORDER BY "TIMESTAMP" DESC NULLS FIRST, id DESC NULLS FIRST)[0] AS trait_industry,
  ARRAY_AGG("PLAN") WITHIN GROUP (ORDER BY "TIMESTAMP" DESC NULLS FIRST, id DESC NULLS FIRST)[0] AS trait_plan
FROM "MAIN"."GROUPS"
WHERE CAST(group_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
GROUP BY group_id;

-- audience software_accounts (account)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_SOFTWARE_ACCOUNTS" AS
SELECT entity.group_id
FROM "_PLAN_ACCOUNT_TRAITS" AS entity
WHERE COALESCE(CAST(entity.trait_industry AS VARCHAR) = 'Software', FALSE);

-- user features: one pass over the events of main.order_completed
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_ORDER_COMPLETED_USERS" AS
SELECT
  e.user_id,
  sum(IFF(COALESCE(CAST(e."CURRENCY" AS VARCHAR) = 'USD', FALSE), CASE WHEN LENGTH(CAST(e."TOTAL" AS VARCHAR)) <= 1000 AND REGEXP_LIKE(CAST(e."TOTAL" AS VARCHAR), '^[ \\t\\n\\r\\f\\v]*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \\t\\n\\r\\f\\v]*$') AND ABS(TRY_CAST(CAST(e."TOTAL" AS VARCHAR) AS DOUBLE)) < CAST('inf' AS DOUBLE) THEN TRY_CAST(CAST(e."TOTAL" AS VARCHAR) AS DOUBLE) END, NULL)) AS sum_total_revenue -- total_revenue
FROM "MAIN"."ORDER_COMPLETED" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  AND e.event_text = 'Order Completed'
GROUP BY e.user_id;

-- account features folded from the user features of the events of main.order_completed
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_ORDER_COMPLETED_ACCOUNTS" AS
SELECT
  au.group_id,
  sum(f.sum_total_revenue) AS sum_total_revenue -- total_revenue
FROM "_PLAN_ORDER_COMPLETED_USERS" AS f
JOIN "_PLAN_ACCOUNT_USERS" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;

-- computed_trait total_revenue (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_TOTAL_REVENUE" AS
SELECT group_id, CASE WHEN sum_total_revenue IS NULL OR sum_total_revenue = 0 THEN sum_total_revenue ELSE ROUND(sum_total_revenue, 11 - FLOOR(LOG(10, ABS(sum_total_revenue)))) END AS "TOTAL_REVENUE"
FROM "_PLAN_ORDER_COMPLETED_ACCOUNTS"
WHERE sum_total_revenue IS NOT NULL;

-- audience trial_accounts_high_usage (account)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_TRIAL_ACCOUNTS_HIGH_USAGE" AS
SELECT entity.group_id
FROM "_PLAN_ACCOUNT_TRAITS" AS entity
LEFT JOIN "_PLAN_USERS_MATCHING" AS entity_users_matching ON entity_users_matching.group_id = entity.group_id
WHERE (COALESCE(CAST(entity.trait_plan AS VARCHAR) = 'trial', FALSE)
  AND COALESCE(entity_users_matching.any_trial_accounts_high_usage, FALSE));

-- account features that do not fold from user features (distinct values, scope: group_context): one pass over the events of main.feature_used joined with the memberships
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_FEATURE_USED_ACCOUNT_EVENTS" AS
SELECT
  au.group_id,
  COUNT_IF(e."TIMESTAMP" > DATEADD(day, -30, CAST(:1 AS TIMESTAMP_NTZ)) AND e."CONTEXT_GROUP_ID" = au.group_id) AS n_workspace_feature_uses_30d -- workspace_feature_uses_30d
FROM "MAIN"."FEATURE_USED" AS e
JOIN "_PLAN_ACCOUNT_USERS" AS au ON au.user_id = e.user_id
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  AND e.event_text = 'Feature Used'
GROUP BY au.group_id;

-- computed_trait workspace_feature_uses_30d (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_WORKSPACE_FEATURE_USES_30D" AS
SELECT group_id, n_workspace_feature_uses_30d AS "WORKSPACE_FEATURE_USES_30D"
FROM "_PLAN_FEATURE_USED_ACCOUNT_EVENTS"
WHERE n_workspace_feature_uses_30d > 0;

-- audience at_risk_accounts (account)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_AT_RISK_ACCOUNTS" AS
SELECT entity.group_id
FROM "_PLAN_ACCOUNT_TRAITS" AS entity
LEFT JOIN "_RUN_LOGINS_PAST_30_DAYS" AS entity_logins_past_30_days ON entity_logins_past_30_days.group_id = entity.group_id
WHERE (COALESCE(COALESCE(entity_logins_past_30_days."LOGINS_PAST_30_DAYS", 0) < 10, FALSE)
  AND COALESCE(CAST(entity.trait_plan AS VARCHAR) IN ('pro', 'enterprise'), FALSE));

-- the latest non-null value of each custom trait over identify calls (SPEC 3)
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_USER_TRAITS" AS
SELECT
  user_id,
  ARRAY_AGG("ROLE") WITHIN GROUP (ORDER BY "TIMESTAMP" DESC NULLS FIRST, id DESC NULLS FIRST)[0] AS trait_role
FROM "MAIN"."IDENTIFIES"
WHERE CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
GROUP BY user_id;

-- audience software_admins (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_SOFTWARE_ADMINS" AS
WITH
users_of_software_accounts AS (
  SELECT DISTINCT au.user_id
  FROM "_PLAN_ACCOUNT_USERS" AS au
  JOIN "_RUN_SOFTWARE_ACCOUNTS" AS m ON m.group_id = au.group_id
)
SELECT entity.user_id
FROM "_PLAN_USER_TRAITS" AS entity
LEFT JOIN users_of_software_accounts AS entity_users_of_software_accounts ON entity_users_of_software_accounts.user_id = entity.user_id
WHERE (COALESCE(CAST(entity.trait_role AS VARCHAR) = 'admin', FALSE)
  AND (entity_users_of_software_accounts.user_id IS NOT NULL));

-- audience power_users (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_POWER_USERS" AS
WITH
users_of_at_risk_accounts AS (
  SELECT DISTINCT au.user_id
  FROM "_PLAN_ACCOUNT_USERS" AS au
  JOIN "_RUN_AT_RISK_ACCOUNTS" AS m ON m.group_id = au.group_id
)
SELECT entity.user_id
FROM "_PLAN_LOGGED_IN_USERS" AS entity
LEFT JOIN users_of_at_risk_accounts AS entity_users_of_at_risk_accounts ON entity_users_of_at_risk_accounts.user_id = entity.user_id
WHERE ((COALESCE(entity.n_logins_past_30_days, 0) >= 20)
  AND NOT (entity_users_of_at_risk_accounts.user_id IS NOT NULL));
