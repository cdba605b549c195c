-- roster run plan b2b-saas, duckdb: the whole run, sharing work between definitions.
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC, bound to each statement that names it
-- Each definition ends in its scratch table _run_<key>, with the rows its own file gives in a run.

-- sql_trait active_users_30d (account): user SQL, shape-checked by the run
CREATE OR REPLACE TEMPORARY TABLE "_run_active_users_30d" AS
-- One row per (account, member): every row associates its user with the account, so only
-- users who joined through a group call are returned. The count repeats on each row of an
-- account (one value per group_id). An empty id is no id, as roster reads group calls: a row
-- with one would fail this trait's shape check.
WITH members AS (
  SELECT DISTINCT group_id, user_id
  FROM "main"."groups"
  WHERE user_id <> '' AND group_id <> '' AND timestamp <= CAST($as_of AS TIMESTAMP)
),
active AS (
  SELECT DISTINCT user_id
  FROM "main"."tracks"
  WHERE user_id <> ''
    AND timestamp > CAST($as_of AS TIMESTAMP) - INTERVAL '30 days'
    AND timestamp <= CAST($as_of AS TIMESTAMP)
)
SELECT
  m.group_id,
  m.user_id,
  count(a.user_id) OVER (PARTITION BY m.group_id) AS active_users_30d
FROM members m
LEFT JOIN active a ON a.user_id = m.user_id
;

-- user features: one pass over the events of main.page_viewed
CREATE OR REPLACE TEMPORARY TABLE "_plan_page_viewed_users" AS
SELECT
  e.user_id,
  count(*) FILTER (WHERE e."timestamp" >= TIMESTAMP '2024-04-01 00:00:00.000' AND e."timestamp" < TIMESTAMP '2024-05-01 00:00:00.000' AND COALESCE(CAST(e."path" AS VARCHAR) = '/pricing', FALSE)) AS n_april_pricing_visitors, -- april_pricing_visitors
  first(e."path" ORDER BY e."timestamp" DESC NULLS FIRST, e.id DESC NULLS FIRST) FILTER (WHERE e."path" IS NOT NULL) AS last_last_page_viewed, -- last_page_viewed
  first(e."path" ORDER BY e."timestamp", e.id) FILTER (WHERE e."path" IS NOT NULL) AS first_first_landing_page, -- first_landing_page
  min(CASE WHEN e."path" IS NOT NULL THEN e."timestamp" END) AS first_ts_first_landing_page, -- first_landing_page
  first(e.id ORDER BY e."timestamp", e.id) FILTER (WHERE e."path" IS NOT NULL) AS first_id_first_landing_page -- first_landing_page
FROM "main"."page_viewed" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
  AND e.event_text = 'Page Viewed'
GROUP BY e.user_id;

-- audience april_pricing_visitors (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_april_pricing_visitors" AS
SELECT entity.user_id
FROM temp.main."_plan_page_viewed_users" AS entity
WHERE (COALESCE(entity.n_april_pricing_visitors, 0) >= 2);

-- distinct values per user (the user features and most_frequent counts): one pass over the events of main.feature_used
CREATE OR REPLACE TEMPORARY TABLE "_plan_feature_used_values" AS
SELECT
  e.user_id,
  e."feature_name" AS value,
  CAST(e."feature_name" AS VARCHAR) AS value_text,
  count(*) AS n_feature_count, -- feature_count, features_used
  count(*) FILTER (WHERE e."timestamp" > CAST($as_of AS TIMESTAMP) - INTERVAL 14 DAY) AS n_fully_engaged_accounts, -- fully_engaged_accounts, trial_accounts_high_usage
  count(*) FILTER (WHERE e."timestamp" > CAST($as_of AS TIMESTAMP) - INTERVAL 90 DAY) AS n_favorite_feature -- favorite_feature
FROM "main"."feature_used" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
  AND e.event_text = 'Feature Used'
GROUP BY e.user_id, e."feature_name", CAST(e."feature_name" AS VARCHAR);

-- computed_trait favorite_feature (user): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_favorite_feature" AS
WITH
value_counts AS (
  SELECT user_id, value, sum(n_favorite_feature) AS n
  FROM temp.main."_plan_feature_used_values"
  WHERE value IS NOT NULL
  GROUP BY user_id, value
),
ranked_values AS (
  SELECT user_id, value,
    row_number() OVER (PARTITION BY user_id ORDER BY n DESC, CAST(value AS VARCHAR)) AS rank
  FROM value_counts
  WHERE n >= 2
)
SELECT user_id, value AS "favorite_feature"
FROM ranked_values
WHERE rank = 1;

-- user features folded from the distinct values per user of the events of main.feature_used
CREATE OR REPLACE TEMPORARY TABLE "_plan_feature_used_users" AS
SELECT
  g.user_id,
  count(g.value_text) AS n_distinct_feature_count, -- feature_count
  list(g.value_text ORDER BY g.value_text) FILTER (WHERE g.value_text IS NOT NULL) AS list_features_used, -- features_used
  CAST(sum(g.n_fully_engaged_accounts) AS BIGINT) AS n_fully_engaged_accounts -- fully_engaged_accounts, trial_accounts_high_usage
FROM temp.main."_plan_feature_used_values" AS g
GROUP BY g.user_id;

-- computed_trait feature_count (user): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_feature_count" AS
SELECT user_id, n_distinct_feature_count AS "feature_count"
FROM temp.main."_plan_feature_used_users"
WHERE n_distinct_feature_count > 0;

-- computed_trait features_used (user): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_features_used" AS
SELECT user_id, list_features_used AS "features_used"
FROM temp.main."_plan_feature_used_users"
WHERE list_features_used IS NOT NULL;

-- computed_trait last_page_viewed (user): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_last_page_viewed" AS
SELECT user_id, last_last_page_viewed AS "last_page_viewed"
FROM temp.main."_plan_page_viewed_users"
WHERE last_last_page_viewed IS NOT NULL;

-- the users of each account: group calls and associating SQL traits
CREATE OR REPLACE TEMPORARY TABLE "_plan_account_users" AS
SELECT group_id, user_id FROM "main"."groups"
WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($as_of AS TIMESTAMP)
UNION
SELECT group_id, user_id FROM temp.main."_run_active_users_30d" WHERE CAST(user_id AS VARCHAR) <> '';

-- user features: one pass over the events of main.nps_survey_submitted
CREATE OR REPLACE TEMPORARY TABLE "_plan_nps_survey_submitted_users" AS
SELECT
  e.user_id,
  sum(CASE WHEN typeof(e."score") IN ('DOUBLE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT') THEN CASE WHEN isfinite(TRY_CAST(e."score" AS DOUBLE)) THEN TRY_CAST(e."score" AS DOUBLE) END WHEN length(CAST(e."score" AS VARCHAR)) <= 1000 AND regexp_full_match(CAST(e."score" AS VARCHAR), '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$') AND isfinite(TRY_CAST(CAST(e."score" AS VARCHAR) AS DOUBLE)) THEN TRY_CAST(CAST(e."score" AS VARCHAR) AS DOUBLE) END) AS sum_avg_nps, -- avg_nps
  count(CASE WHEN typeof(e."score") IN ('DOUBLE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT') THEN CASE WHEN isfinite(TRY_CAST(e."score" AS DOUBLE)) THEN TRY_CAST(e."score" AS DOUBLE) END WHEN length(CAST(e."score" AS VARCHAR)) <= 1000 AND regexp_full_match(CAST(e."score" AS VARCHAR), '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$') AND isfinite(TRY_CAST(CAST(e."score" AS VARCHAR) AS DOUBLE)) THEN TRY_CAST(CAST(e."score" AS VARCHAR) AS DOUBLE) END) AS n_values_avg_nps -- avg_nps
FROM "main"."nps_survey_submitted" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
  AND e.event_text = 'NPS Survey Submitted'
GROUP BY e.user_id;

-- account features folded from the user features of the events of main.nps_survey_submitted
CREATE OR REPLACE TEMPORARY TABLE "_plan_nps_survey_submitted_accounts" AS
SELECT
  au.group_id,
  sum(f.sum_avg_nps) / NULLIF(sum(f.n_values_avg_nps), 0) AS avg_avg_nps -- avg_nps
FROM temp.main."_plan_nps_survey_submitted_users" AS f
JOIN temp.main."_plan_account_users" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;

-- computed_trait avg_nps (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_avg_nps" AS
SELECT group_id, list_transform([avg_avg_nps], lambda round12_value: CASE WHEN isfinite(round12_value) AND round12_value <> 0 THEN list_transform([printf('%.14e', abs(round12_value))], lambda round12_digits: CAST(CASE WHEN round12_value < 0 THEN '-' ELSE '' END || CAST(CASE WHEN substr(round12_digits, 14, 3) = '500' AND abs(round12_value) < CAST(round12_digits AS DOUBLE) THEN trunc(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) ELSE round(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) END AS VARCHAR) || 'e' || split_part(round12_digits, 'e', 2) AS DOUBLE))[1] ELSE round12_value END)[1] AS "avg_nps"
FROM temp.main."_plan_nps_survey_submitted_accounts"
WHERE avg_avg_nps IS NOT NULL AND CASE WHEN isinf(avg_avg_nps) THEN error('value out of range: overflow') ELSE TRUE END;

-- user features: one pass over the events of main.logged_in
CREATE OR REPLACE TEMPORARY TABLE "_plan_logged_in_users" AS
SELECT
  e.user_id,
  count(*) FILTER (WHERE e."timestamp" > CAST($as_of AS TIMESTAMP) - INTERVAL 60 DAY) AS n_dormant_accounts, -- dormant_accounts
  count(*) FILTER (WHERE e."timestamp" > CAST($as_of AS TIMESTAMP) - INTERVAL 14 DAY) AS n_fully_engaged_accounts, -- fully_engaged_accounts
  count(*) FILTER (WHERE e."timestamp" > CAST($as_of AS TIMESTAMP) - INTERVAL 30 DAY) AS n_logins_past_30_days -- logins_past_30_days, power_users
FROM "main"."logged_in" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
  AND e.event_text = 'Logged In'
GROUP BY e.user_id;

-- per account, whether any / all of its users satisfy each users: condition of the account audiences
CREATE OR REPLACE TEMPORARY TABLE "_plan_users_matching" AS
SELECT
  au.group_id,
  bool_or((COALESCE(au_logged_in_users.n_dormant_accounts, 0) >= 1)) AS any_dormant_accounts, -- dormant_accounts
  bool_and((COALESCE(au_logged_in_users.n_dormant_accounts, 0) >= 1)) AS all_dormant_accounts, -- dormant_accounts
  bool_or(((COALESCE(au_logged_in_users.n_fully_engaged_accounts, 0) >= 1)
    AND (COALESCE(au_feature_used_users.n_fully_engaged_accounts, 0) >= 1))) AS any_fully_engaged_accounts, -- fully_engaged_accounts
  bool_and(((COALESCE(au_logged_in_users.n_fully_engaged_accounts, 0) >= 1)
    AND (COALESCE(au_feature_used_users.n_fully_engaged_accounts, 0) >= 1))) AS all_fully_engaged_accounts, -- fully_engaged_accounts
  bool_or((COALESCE(au_feature_used_users.n_fully_engaged_accounts, 0) >= 5)) AS any_trial_accounts_high_usage, -- trial_accounts_high_usage
  bool_and((COALESCE(au_feature_used_users.n_fully_engaged_accounts, 0) >= 5)) AS all_trial_accounts_high_usage -- trial_accounts_high_usage
FROM temp.main."_plan_account_users" AS au
LEFT JOIN temp.main."_plan_logged_in_users" AS au_logged_in_users ON au_logged_in_users.user_id = au.user_id
LEFT JOIN temp.main."_plan_feature_used_users" AS au_feature_used_users ON au_feature_used_users.user_id = au.user_id
GROUP BY au.group_id;

-- every account: group calls and account-level SQL traits
CREATE OR REPLACE TEMPORARY TABLE "_plan_all_accounts" AS
SELECT group_id FROM "main"."groups" WHERE CAST(group_id AS VARCHAR) <> '' AND "timestamp" <= CAST($as_of AS TIMESTAMP)
UNION
SELECT group_id FROM temp.main."_run_active_users_30d";

-- audience dormant_accounts (account)
CREATE OR REPLACE TEMPORARY TABLE "_run_dormant_accounts" AS
SELECT entity.group_id
FROM temp.main."_plan_all_accounts" AS entity
LEFT JOIN temp.main."_plan_users_matching" AS entity_users_matching ON entity_users_matching.group_id = entity.group_id
WHERE NOT COALESCE(entity_users_matching.any_dormant_accounts, FALSE);

-- account features folded from the user features of the events of main.page_viewed
CREATE OR REPLACE TEMPORARY TABLE "_plan_page_viewed_accounts" AS
SELECT
  au.group_id,
  first(f.first_first_landing_page ORDER BY f.first_ts_first_landing_page, f.first_id_first_landing_page) FILTER (WHERE f.first_first_landing_page IS NOT NULL) AS first_first_landing_page -- first_landing_page
FROM temp.main."_plan_page_viewed_users" AS f
JOIN temp.main."_plan_account_users" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;

-- computed_trait first_landing_page (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_first_landing_page" AS
SELECT group_id, first_first_landing_page AS "first_landing_page"
FROM temp.main."_plan_page_viewed_accounts"
WHERE first_first_landing_page IS NOT NULL;

-- audience fully_engaged_accounts (account)
CREATE OR REPLACE TEMPORARY TABLE "_run_fully_engaged_accounts" AS
SELECT entity.group_id
FROM temp.main."_plan_users_matching" AS entity
WHERE COALESCE(entity.all_fully_engaged_accounts, FALSE);

-- audience high_feature_adoption (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_high_feature_adoption" AS
SELECT entity.user_id
FROM temp.main."_run_feature_count" AS entity
WHERE COALESCE(COALESCE(entity."feature_count", 0) >= 4, FALSE);

-- account features folded from the user features of the events of main.logged_in
CREATE OR REPLACE TEMPORARY TABLE "_plan_logged_in_accounts" AS
SELECT
  au.group_id,
  CAST(sum(f.n_logins_past_30_days) AS BIGINT) AS count_logins_past_30_days -- logins_past_30_days
FROM temp.main."_plan_logged_in_users" AS f
JOIN temp.main."_plan_account_users" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;

-- computed_trait logins_past_30_days (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_logins_past_30_days" AS
SELECT group_id, count_logins_past_30_days AS "logins_past_30_days"
FROM temp.main."_plan_logged_in_accounts"
WHERE count_logins_past_30_days > 0;

-- the latest non-null value of each custom trait over group calls (SPEC 3)
CREATE OR REPLACE TEMPORARY TABLE "_plan_account_traits" AS
SELECT
  group_id,
  first("industry" ORDER BY "timestamp" DESC NULLS FIRST, id DESC NULLS FIRST) FILTER (WHERE "industry" IS NOT NULL) AS trait_industry,
  first("plan" ORDER BY "timestamp" DESC NULLS FIRST, id DESC NULLS FIRST) FILTER (WHERE "plan" IS NOT NULL) AS trait_plan
FROM "main"."groups"
WHERE CAST(group_id AS VARCHAR) <> '' AND "timestamp" <= CAST($as_of AS TIMESTAMP)
GROUP BY group_id;

-- audience software_accounts (account)
CREATE OR REPLACE TEMPORARY TABLE "_run_software_accounts" AS
SELECT entity.group_id
FROM temp.main."_plan_account_traits" AS entity
WHERE COALESCE(CAST(entity.trait_industry AS VARCHAR) = 'Software', FALSE);

-- user features: one pass over the events of main.order_completed
CREATE OR REPLACE TEMPORARY TABLE "_plan_order_completed_users" AS
SELECT
  e.user_id,
  sum(CASE WHEN typeof(e."total") IN ('DOUBLE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT') THEN CASE WHEN isfinite(TRY_CAST(e."total" AS DOUBLE)) THEN TRY_CAST(e."total" AS DOUBLE) END WHEN length(CAST(e."total" AS VARCHAR)) <= 1000 AND regexp_full_match(CAST(e."total" AS VARCHAR), '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$') AND isfinite(TRY_CAST(CAST(e."total" AS VARCHAR) AS DOUBLE)) THEN TRY_CAST(CAST(e."total" AS VARCHAR) AS DOUBLE) END) FILTER (WHERE COALESCE(CAST(e."currency" AS VARCHAR) = 'USD', FALSE)) AS sum_total_revenue -- total_revenue
FROM "main"."order_completed" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
  AND e.event_text = 'Order Completed'
GROUP BY e.user_id;

-- account features folded from the user features of the events of main.order_completed
CREATE OR REPLACE TEMPORARY TABLE "_plan_order_completed_accounts" AS
SELECT
  au.group_id,
  sum(f.sum_total_revenue) AS sum_total_revenue -- total_revenue
FROM temp.main."_plan_order_completed_users" AS f
JOIN temp.main."_plan_account_users" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;

-- computed_trait total_revenue (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_total_revenue" AS
SELECT group_id, list_transform([sum_total_revenue], lambda round12_value: CASE WHEN isfinite(round12_value) AND round12_value <> 0 THEN list_transform([printf('%.14e', abs(round12_value))], lambda round12_digits: CAST(CASE WHEN round12_value < 0 THEN '-' ELSE '' END || CAST(CASE WHEN substr(round12_digits, 14, 3) = '500' AND abs(round12_value) < CAST(round12_digits AS DOUBLE) THEN trunc(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) ELSE round(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) END AS VARCHAR) || 'e' || split_part(round12_digits, 'e', 2) AS DOUBLE))[1] ELSE round12_value END)[1] AS "total_revenue"
FROM temp.main."_plan_order_completed_accounts"
WHERE sum_total_revenue IS NOT NULL AND CASE WHEN isinf(sum_total_revenue) THEN error('value out of range: overflow') ELSE TRUE END;

-- audience trial_accounts_high_usage (account)
CREATE OR REPLACE TEMPORARY TABLE "_run_trial_accounts_high_usage" AS
SELECT entity.group_id
FROM temp.main."_plan_account_traits" AS entity
LEFT JOIN temp.main."_plan_users_matching" AS entity_users_matching ON entity_users_matching.group_id = entity.group_id
WHERE (COALESCE(CAST(entity.trait_plan AS VARCHAR) = 'trial', FALSE)
  AND COALESCE(entity_users_matching.any_trial_accounts_high_usage, FALSE));

-- account features that do not fold from user features (distinct values, scope: group_context): one pass over the events of main.feature_used joined with the memberships
CREATE OR REPLACE TEMPORARY TABLE "_plan_feature_used_account_events" AS
SELECT
  au.group_id,
  count(*) FILTER (WHERE e."timestamp" > CAST($as_of AS TIMESTAMP) - INTERVAL 30 DAY AND e."context_group_id" = au.group_id) AS n_workspace_feature_uses_30d -- workspace_feature_uses_30d
FROM "main"."feature_used" AS e
JOIN temp.main."_plan_account_users" AS au ON au.user_id = e.user_id
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
  AND e.event_text = 'Feature Used'
GROUP BY au.group_id;

-- computed_trait workspace_feature_uses_30d (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_workspace_feature_uses_30d" AS
SELECT group_id, n_workspace_feature_uses_30d AS "workspace_feature_uses_30d"
FROM temp.main."_plan_feature_used_account_events"
WHERE n_workspace_feature_uses_30d > 0;

-- audience at_risk_accounts (account)
CREATE OR REPLACE TEMPORARY TABLE "_run_at_risk_accounts" AS
SELECT entity.group_id
FROM temp.main."_plan_account_traits" AS entity
LEFT JOIN temp.main."_run_logins_past_30_days" AS entity_logins_past_30_days ON entity_logins_past_30_days.group_id = entity.group_id
WHERE (COALESCE(COALESCE(entity_logins_past_30_days."logins_past_30_days", 0) < 10, FALSE)
  AND COALESCE(CAST(entity.trait_plan AS VARCHAR) IN ('pro', 'enterprise'), FALSE));

-- the latest non-null value of each custom trait over identify calls (SPEC 3)
CREATE OR REPLACE TEMPORARY TABLE "_plan_user_traits" AS
SELECT
  user_id,
  first("role" ORDER BY "timestamp" DESC NULLS FIRST, id DESC NULLS FIRST) FILTER (WHERE "role" IS NOT NULL) AS trait_role
FROM "main"."identifies"
WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($as_of AS TIMESTAMP)
GROUP BY user_id;

-- audience software_admins (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_software_admins" AS
WITH
users_of_software_accounts AS (
  SELECT DISTINCT au.user_id
  FROM temp.main."_plan_account_users" AS au
  JOIN temp.main."_run_software_accounts" AS m ON m.group_id = au.group_id
)
SELECT entity.user_id
FROM temp.main."_plan_user_traits" AS entity
LEFT JOIN users_of_software_accounts AS entity_users_of_software_accounts ON entity_users_of_software_accounts.user_id = entity.user_id
WHERE (COALESCE(CAST(entity.trait_role AS VARCHAR) = 'admin', FALSE)
  AND (entity_users_of_software_accounts.user_id IS NOT NULL));

-- audience power_users (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_power_users" AS
WITH
users_of_at_risk_accounts AS (
  SELECT DISTINCT au.user_id
  FROM temp.main."_plan_account_users" AS au
  JOIN temp.main."_run_at_risk_accounts" AS m ON m.group_id = au.group_id
)
SELECT entity.user_id
FROM temp.main."_plan_logged_in_users" AS entity
LEFT JOIN users_of_at_risk_accounts AS entity_users_of_at_risk_accounts ON entity_users_of_at_risk_accounts.user_id = entity.user_id
WHERE ((COALESCE(entity.n_logins_past_30_days, 0) >= 20)
  AND NOT (entity_users_of_at_risk_accounts.user_id IS NOT NULL));
