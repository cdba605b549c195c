-- roster run plan b2b-saas, postgres: the whole run, sharing work between definitions.
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC, bound to each statement that names it
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
-- Each definition ends in its scratch table _run_<key>, with the rows its own file gives in a run.

-- sql_trait active_users_30d (account): user SQL, shape-checked by the run
DROP TABLE IF EXISTS pg_temp."_run_active_users_30d"
;
CREATE TEMPORARY TABLE pg_temp."_run_active_users_30d" AS
-- One row per (account, member): every row associates its user with the account, so only
-- users who joined through a group call are returned. The count repeats on each row of an
-- account (one value per group_id). An empty id is no id, as roster reads group calls: a row
-- with one would fail this trait's shape check.
WITH members AS (
  SELECT DISTINCT group_id, user_id
  FROM "main"."groups"
  WHERE user_id <> '' AND group_id <> '' AND timestamp <= CAST($1 AS TIMESTAMP)
),
active AS (
  SELECT DISTINCT user_id
  FROM "main"."tracks"
  WHERE user_id <> ''
    AND timestamp > CAST($1 AS TIMESTAMP) - INTERVAL '30 days'
    AND timestamp <= CAST($1 AS TIMESTAMP)
)
SELECT
  m.group_id,
  m.user_id,
  count(a.user_id) OVER (PARTITION BY m.group_id) AS active_users_30d
FROM members m
LEFT JOIN active a ON a.user_id = m.user_id
;
ANALYZE pg_temp."_run_active_users_30d"
;

-- user features: one pass over the events of main.page_viewed
DROP TABLE IF EXISTS pg_temp."_plan_page_viewed_users";
CREATE TEMPORARY TABLE pg_temp."_plan_page_viewed_users" AS
SELECT
  e.user_id,
  count(*) FILTER (WHERE e."timestamp" >= TIMESTAMP '2024-04-01 00:00:00.000' AND e."timestamp" < TIMESTAMP '2024-05-01 00:00:00.000' AND COALESCE((CAST(e."path" AS TEXT) COLLATE "C") = '/pricing', FALSE)) AS n_april_pricing_visitors, -- april_pricing_visitors
  (array_agg(e."path" ORDER BY e."timestamp" DESC NULLS FIRST, (CAST(e.id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE e."path" IS NOT NULL))[1] AS last_last_page_viewed, -- last_page_viewed
  (array_agg(e."path" ORDER BY e."timestamp", (CAST(e.id AS TEXT) COLLATE "C")) FILTER (WHERE e."path" IS NOT NULL))[1] AS first_first_landing_page, -- first_landing_page
  min(CASE WHEN e."path" IS NOT NULL THEN e."timestamp" END) AS first_ts_first_landing_page, -- first_landing_page
  (array_agg(e.id ORDER BY e."timestamp", (CAST(e.id AS TEXT) COLLATE "C")) FILTER (WHERE e."path" IS NOT NULL))[1] AS first_id_first_landing_page -- first_landing_page
FROM "main"."page_viewed" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($1 AS TIMESTAMP)
  AND e.event_text = 'Page Viewed'
GROUP BY e.user_id;
ANALYZE pg_temp."_plan_page_viewed_users";

-- audience april_pricing_visitors (user)
DROP TABLE IF EXISTS pg_temp."_run_april_pricing_visitors";
CREATE TEMPORARY TABLE pg_temp."_run_april_pricing_visitors" AS
SELECT entity.user_id
FROM pg_temp."_plan_page_viewed_users" AS entity
WHERE (COALESCE(entity.n_april_pricing_visitors, 0) >= 2);
ANALYZE pg_temp."_run_april_pricing_visitors";

-- distinct values per user (the user features and most_frequent counts): one pass over the events of main.feature_used
DROP TABLE IF EXISTS pg_temp."_plan_feature_used_values";
CREATE TEMPORARY TABLE pg_temp."_plan_feature_used_values" AS
SELECT
  e.user_id,
  e."feature_name" AS value,
  (CAST(e."feature_name" AS TEXT) COLLATE "C") AS value_text,
  count(*) AS n_feature_count, -- feature_count, features_used
  count(*) FILTER (WHERE e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '14 days') AS n_fully_engaged_accounts, -- fully_engaged_accounts, trial_accounts_high_usage
  count(*) FILTER (WHERE e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '90 days') AS n_favorite_feature -- favorite_feature
FROM "main"."feature_used" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($1 AS TIMESTAMP)
  AND e.event_text = 'Feature Used'
GROUP BY e.user_id, e."feature_name", (CAST(e."feature_name" AS TEXT) COLLATE "C");
ANALYZE pg_temp."_plan_feature_used_values";

-- computed_trait favorite_feature (user): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_favorite_feature";
CREATE TEMPORARY TABLE pg_temp."_run_favorite_feature" AS
WITH
value_counts AS (
  SELECT user_id, value, sum(n_favorite_feature) AS n
  FROM pg_temp."_plan_feature_used_values"
  WHERE value IS NOT NULL
  GROUP BY user_id, value
),
ranked_values AS (
  SELECT user_id, value,
    row_number() OVER (PARTITION BY user_id ORDER BY n DESC, (CAST(value AS TEXT) COLLATE "C")) AS rank
  FROM value_counts
  WHERE n >= 2
)
SELECT user_id, value AS "favorite_feature"
FROM ranked_values
WHERE rank = 1;
ANALYZE pg_temp."_run_favorite_feature";

-- user features folded from the distinct values per user of the events of main.feature_used
DROP TABLE IF EXISTS pg_temp."_plan_feature_used_users";
CREATE TEMPORARY TABLE pg_temp."_plan_feature_used_users" AS
SELECT
  g.user_id,
  count(g.value_text) AS n_distinct_feature_count, -- feature_count
  array_agg(g.value_text ORDER BY g.value_text) FILTER (WHERE g.value_text IS NOT NULL) AS list_features_used, -- features_used
  CAST(sum(g.n_fully_engaged_accounts) AS BIGINT) AS n_fully_engaged_accounts -- fully_engaged_accounts, trial_accounts_high_usage
FROM pg_temp."_plan_feature_used_values" AS g
GROUP BY g.user_id;
ANALYZE pg_temp."_plan_feature_used_users";

-- computed_trait feature_count (user): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_feature_count";
CREATE TEMPORARY TABLE pg_temp."_run_feature_count" AS
SELECT user_id, n_distinct_feature_count AS "feature_count"
FROM pg_temp."_plan_feature_used_users"
WHERE n_distinct_feature_count > 0;
ANALYZE pg_temp."_run_feature_count";

-- computed_trait features_used (user): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_features_used";
CREATE TEMPORARY TABLE pg_temp."_run_features_used" AS
SELECT user_id, list_features_used AS "features_used"
FROM pg_temp."_plan_feature_used_users"
WHERE list_features_used IS NOT NULL;
ANALYZE pg_temp."_run_features_used";

-- computed_trait last_page_viewed (user): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_last_page_viewed";
CREATE TEMPORARY TABLE pg_temp."_run_last_page_viewed" AS
SELECT user_id, last_last_page_viewed AS "last_page_viewed"
FROM pg_temp."_plan_page_viewed_users"
WHERE last_last_page_viewed IS NOT NULL;
ANALYZE pg_temp."_run_last_page_viewed";

-- the users of each account: group calls and associating SQL traits
DROP TABLE IF EXISTS pg_temp."_plan_account_users";
CREATE TEMPORARY TABLE pg_temp."_plan_account_users" AS
SELECT group_id, user_id FROM "main"."groups"
WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
UNION
SELECT group_id, user_id FROM pg_temp."_run_active_users_30d" WHERE CAST(user_id AS VARCHAR) <> '';
ANALYZE pg_temp."_plan_account_users";

-- user features: one pass over the events of main.nps_survey_submitted
DROP TABLE IF EXISTS pg_temp."_plan_nps_survey_submitted_users";
CREATE TEMPORARY TABLE pg_temp."_plan_nps_survey_submitted_users" AS
SELECT
  e.user_id,
  sum(CASE WHEN length(CAST(e."score" AS TEXT)) <= 200 AND CAST(e."score" AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,2})?[ \t\n\r\f\v]*$' THEN CAST(CAST(e."score" AS TEXT) AS DOUBLE PRECISION) WHEN length(CAST(e."score" AS TEXT)) <= 1000 AND CAST(e."score" AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$' THEN CASE WHEN abs(CAST(CAST(e."score" AS TEXT) AS NUMERIC)) >= power(CAST(2 AS NUMERIC), 1024) - power(CAST(2 AS NUMERIC), 970) THEN NULL WHEN abs(CAST(CAST(e."score" AS TEXT) AS NUMERIC)) * power(CAST(2 AS NUMERIC), 1075) <= 1 THEN CAST(0 AS DOUBLE PRECISION) ELSE CAST(CAST(e."score" AS TEXT) AS DOUBLE PRECISION) END END) AS sum_avg_nps, -- avg_nps
  count(CASE WHEN length(CAST(e."score" AS TEXT)) <= 200 AND CAST(e."score" AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,2})?[ \t\n\r\f\v]*$' THEN CAST(CAST(e."score" AS TEXT) AS DOUBLE PRECISION) WHEN length(CAST(e."score" AS TEXT)) <= 1000 AND CAST(e."score" AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$' THEN CASE WHEN abs(CAST(CAST(e."score" AS TEXT) AS NUMERIC)) >= power(CAST(2 AS NUMERIC), 1024) - power(CAST(2 AS NUMERIC), 970) THEN NULL WHEN abs(CAST(CAST(e."score" AS TEXT) AS NUMERIC)) * power(CAST(2 AS NUMERIC), 1075) <= 1 THEN CAST(0 AS DOUBLE PRECISION) ELSE CAST(CAST(e."score" AS TEXT) AS DOUBLE PRECISION) END END) AS n_values_avg_nps -- avg_nps
FROM "main"."nps_survey_submitted" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($1 AS TIMESTAMP)
  AND e.event_text = 'NPS Survey Submitted'
GROUP BY e.user_id;
ANALYZE pg_temp."_plan_nps_survey_submitted_users";

-- account features folded from the user features of the events of main.nps_survey_submitted
DROP TABLE IF EXISTS pg_temp."_plan_nps_survey_submitted_accounts";
CREATE TEMPORARY TABLE pg_temp."_plan_nps_survey_submitted_accounts" AS
SELECT
  au.group_id,
  sum(f.sum_avg_nps) / NULLIF(sum(f.n_values_avg_nps), 0) AS avg_avg_nps -- avg_nps
FROM pg_temp."_plan_nps_survey_submitted_users" AS f
JOIN pg_temp."_plan_account_users" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;
ANALYZE pg_temp."_plan_nps_survey_submitted_accounts";

-- computed_trait avg_nps (account): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_avg_nps";
CREATE TEMPORARY TABLE pg_temp."_run_avg_nps" AS
SELECT group_id, CASE WHEN avg_avg_nps IS NULL OR avg_avg_nps = 0 OR avg_avg_nps IN ('Infinity', '-Infinity', 'NaN') THEN avg_avg_nps ELSE CAST(CASE WHEN round(2 * CAST(avg_avg_nps AS NUMERIC), CAST(11 - floor(log(abs(avg_avg_nps))) AS INTEGER)) = 2 * CAST(avg_avg_nps AS NUMERIC) AND round(CAST(avg_avg_nps AS NUMERIC), CAST(11 - floor(log(abs(avg_avg_nps))) AS INTEGER)) <> CAST(avg_avg_nps AS NUMERIC) AND abs(avg_avg_nps) < abs(CAST(CAST(avg_avg_nps AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(avg_avg_nps AS NUMERIC), CAST(11 - floor(log(abs(avg_avg_nps))) AS INTEGER)) ELSE round(CAST(avg_avg_nps AS NUMERIC), CAST(11 - floor(log(abs(avg_avg_nps))) AS INTEGER)) END AS DOUBLE PRECISION) END AS "avg_nps"
FROM pg_temp."_plan_nps_survey_submitted_accounts"
WHERE avg_avg_nps IS NOT NULL;
ANALYZE pg_temp."_run_avg_nps";

-- user features: one pass over the events of main.logged_in
DROP TABLE IF EXISTS pg_temp."_plan_logged_in_users";
CREATE TEMPORARY TABLE pg_temp."_plan_logged_in_users" AS
SELECT
  e.user_id,
  count(*) FILTER (WHERE e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '60 days') AS n_dormant_accounts, -- dormant_accounts
  count(*) FILTER (WHERE e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '14 days') AS n_fully_engaged_accounts, -- fully_engaged_accounts
  count(*) FILTER (WHERE e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '30 days') AS n_logins_past_30_days -- logins_past_30_days, power_users
FROM "main"."logged_in" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($1 AS TIMESTAMP)
  AND e.event_text = 'Logged In'
GROUP BY e.user_id;
ANALYZE pg_temp."_plan_logged_in_users";

-- per account, whether any / all of its users satisfy each users: condition of the account audiences
DROP TABLE IF EXISTS pg_temp."_plan_users_matching";
CREATE TEMPORARY TABLE pg_temp."_plan_users_matching" AS
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
FROM pg_temp."_plan_account_users" AS au
LEFT JOIN pg_temp."_plan_logged_in_users" AS au_logged_in_users ON au_logged_in_users.user_id = au.user_id
LEFT JOIN pg_temp."_plan_feature_used_users" AS au_feature_used_users ON au_feature_used_users.user_id = au.user_id
GROUP BY au.group_id;
ANALYZE pg_temp."_plan_users_matching";

-- every account: group calls and account-level SQL traits
DROP TABLE IF EXISTS pg_temp."_plan_all_accounts";
CREATE TEMPORARY TABLE pg_temp."_plan_all_accounts" AS
SELECT group_id FROM "main"."groups" WHERE CAST(group_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
UNION
SELECT group_id FROM pg_temp."_run_active_users_30d";
ANALYZE pg_temp."_plan_all_accounts";

-- audience dormant_accounts (account)
DROP TABLE IF EXISTS pg_temp."_run_dormant_accounts";
CREATE TEMPORARY TABLE pg_temp."_run_dormant_accounts" AS
SELECT entity.group_id
FROM pg_temp."_plan_all_accounts" AS entity
LEFT JOIN pg_temp."_plan_users_matching" AS entity_users_matching ON entity_users_matching.group_id = entity.group_id
WHERE NOT COALESCE(entity_users_matching.any_dormant_accounts, FALSE);
ANALYZE pg_temp."_run_dormant_accounts";

-- account features folded from the user features of the events of main.page_viewed
DROP TABLE IF EXISTS pg_temp."_plan_page_viewed_accounts";
CREATE TEMPORARY TABLE pg_temp."_plan_page_viewed_accounts" AS
SELECT
  au.group_id,
  (array_agg(f.first_first_landing_page ORDER BY f.first_ts_first_landing_page, (CAST(f.first_id_first_landing_page AS TEXT) COLLATE "C")) FILTER (WHERE f.first_first_landing_page IS NOT NULL))[1] AS first_first_landing_page -- first_landing_page
FROM pg_temp."_plan_page_viewed_users" AS f
JOIN pg_temp."_plan_account_users" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;
ANALYZE pg_temp."_plan_page_viewed_accounts";

-- computed_trait first_landing_page (account): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_first_landing_page";
CREATE TEMPORARY TABLE pg_temp."_run_first_landing_page" AS
SELECT group_id, first_first_landing_page AS "first_landing_page"
FROM pg_temp."_plan_page_viewed_accounts"
WHERE first_first_landing_page IS NOT NULL;
ANALYZE pg_temp."_run_first_landing_page";

-- audience fully_engaged_accounts (account)
DROP TABLE IF EXISTS pg_temp."_run_fully_engaged_accounts";
CREATE TEMPORARY TABLE pg_temp."_run_fully_engaged_accounts" AS
SELECT entity.group_id
FROM pg_temp."_plan_users_matching" AS entity
WHERE COALESCE(entity.all_fully_engaged_accounts, FALSE);
ANALYZE pg_temp."_run_fully_engaged_accounts";

-- audience high_feature_adoption (user)
DROP TABLE IF EXISTS pg_temp."_run_high_feature_adoption";
CREATE TEMPORARY TABLE pg_temp."_run_high_feature_adoption" AS
SELECT entity.user_id
FROM pg_temp."_run_feature_count" AS entity
WHERE COALESCE(COALESCE(entity."feature_count", 0) >= 4, FALSE);
ANALYZE pg_temp."_run_high_feature_adoption";

-- account features folded from the user features of the events of main.logged_in
DROP TABLE IF EXISTS pg_temp."_plan_logged_in_accounts";
CREATE TEMPORARY TABLE pg_temp."_plan_logged_in_accounts" AS
SELECT
  au.group_id,
  CAST(sum(f.n_logins_past_30_days) AS BIGINT) AS count_logins_past_30_days -- logins_past_30_days
FROM pg_temp."_plan_logged_in_users" AS f
JOIN pg_temp."_plan_account_users" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;
ANALYZE pg_temp."_plan_logged_in_accounts";

-- computed_trait logins_past_30_days (account): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_logins_past_30_days";
CREATE TEMPORARY TABLE pg_temp."_run_logins_past_30_days" AS
SELECT group_id, count_logins_past_30_days AS "logins_past_30_days"
FROM pg_temp."_plan_logged_in_accounts"
WHERE count_logins_past_30_days > 0;
ANALYZE pg_temp."_run_logins_past_30_days";

-- the latest non-null value of each custom trait over group calls (SPEC 3)
DROP TABLE IF EXISTS pg_temp."_plan_account_traits";
CREATE TEMPORARY TABLE pg_temp."_plan_account_traits" AS
SELECT
  group_id,
  (array_agg("industry" ORDER BY "timestamp" DESC NULLS FIRST, (CAST(id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE "industry" IS NOT NULL))[1] AS trait_industry,
  (array_agg("plan" ORDER BY "timestamp" DESC NULLS FIRST, (CAST(id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE "plan" IS NOT NULL))[1] AS trait_plan
FROM "main"."groups"
WHERE CAST(group_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
GROUP BY group_id;
ANALYZE pg_temp."_plan_account_traits";

-- audience software_accounts (account)
DROP TABLE IF EXISTS pg_temp."_run_software_accounts";
CREATE TEMPORARY TABLE pg_temp."_run_software_accounts" AS
SELECT entity.group_id
FROM pg_temp."_plan_account_traits" AS entity
WHERE COALESCE((CAST(entity.trait_industry AS TEXT) COLLATE "C") = 'Software', FALSE);
ANALYZE pg_temp."_run_software_accounts";

-- user features: one pass over the events of main.order_completed
DROP TABLE IF EXISTS pg_temp."_plan_order_completed_users";
CREATE TEMPORARY TABLE pg_temp."_plan_order_completed_users" AS
SELECT
  e.user_id,
  sum(CASE WHEN length(CAST(e."total" AS TEXT)) <= 200 AND CAST(e."total" AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,2})?[ \t\n\r\f\v]*$' THEN CAST(CAST(e."total" AS TEXT) AS DOUBLE PRECISION) WHEN length(CAST(e."total" AS TEXT)) <= 1000 AND CAST(e."total" AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$' THEN CASE WHEN abs(CAST(CAST(e."total" AS TEXT) AS NUMERIC)) >= power(CAST(2 AS NUMERIC), 1024) - power(CAST(2 AS NUMERIC), 970) THEN NULL WHEN abs(CAST(CAST(e."total" AS TEXT) AS NUMERIC)) * power(CAST(2 AS NUMERIC), 1075) <= 1 THEN CAST(0 AS DOUBLE PRECISION) ELSE CAST(CAST(e."total" AS TEXT) AS DOUBLE PRECISION) END END) FILTER (WHERE COALESCE((CAST(e."currency" AS TEXT) COLLATE "C") = 'USD', FALSE)) AS sum_total_revenue -- total_revenue
FROM "main"."order_completed" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($1 AS TIMESTAMP)
  AND e.event_text = 'Order Completed'
GROUP BY e.user_id;
ANALYZE pg_temp."_plan_order_completed_users";

-- account features folded from the user features of the events of main.order_completed
DROP TABLE IF EXISTS pg_temp."_plan_order_completed_accounts";
CREATE TEMPORARY TABLE pg_temp."_plan_order_completed_accounts" AS
SELECT
  au.group_id,
  sum(f.sum_total_revenue) AS sum_total_revenue -- total_revenue
FROM pg_temp."_plan_order_completed_users" AS f
JOIN pg_temp."_plan_account_users" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;
ANALYZE pg_temp."_plan_order_completed_accounts";

-- computed_trait total_revenue (account): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_total_revenue";
CREATE TEMPORARY TABLE pg_temp."_run_total_revenue" AS
SELECT group_id, CASE WHEN sum_total_revenue IS NULL OR sum_total_revenue = 0 OR sum_total_revenue IN ('Infinity', '-Infinity', 'NaN') THEN sum_total_revenue ELSE CAST(CASE WHEN round(2 * CAST(sum_total_revenue AS NUMERIC), CAST(11 - floor(log(abs(sum_total_revenue))) AS INTEGER)) = 2 * CAST(sum_total_revenue AS NUMERIC) AND round(CAST(sum_total_revenue AS NUMERIC), CAST(11 - floor(log(abs(sum_total_revenue))) AS INTEGER)) <> CAST(sum_total_revenue AS NUMERIC) AND abs(sum_total_revenue) < abs(CAST(CAST(sum_total_revenue AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(sum_total_revenue AS NUMERIC), CAST(11 - floor(log(abs(sum_total_revenue))) AS INTEGER)) ELSE round(CAST(sum_total_revenue AS NUMERIC), CAST(11 - floor(log(abs(sum_total_revenue))) AS INTEGER)) END AS DOUBLE PRECISION) END AS "total_revenue"
FROM pg_temp."_plan_order_completed_accounts"
WHERE sum_total_revenue IS NOT NULL;
ANALYZE pg_temp."_run_total_revenue";

-- audience trial_accounts_high_usage (account)
DROP TABLE IF EXISTS pg_temp."_run_trial_accounts_high_usage";
CREATE TEMPORARY TABLE pg_temp."_run_trial_accounts_high_usage" AS
SELECT entity.group_id
FROM pg_temp."_plan_account_traits" AS entity
LEFT JOIN pg_temp."_plan_users_matching" AS entity_users_matching ON entity_users_matching.group_id = entity.group_id
WHERE (COALESCE((CAST(entity.trait_plan AS TEXT) COLLATE "C") = 'trial', FALSE)
  AND COALESCE(entity_users_matching.any_trial_accounts_high_usage, FALSE));
ANALYZE pg_temp."_run_trial_accounts_high_usage";

-- account features that do not fold from user features (distinct values, scope: group_context): one pass over the events of main.feature_used joined with the memberships
DROP TABLE IF EXISTS pg_temp."_plan_feature_used_account_events";
CREATE TEMPORARY TABLE pg_temp."_plan_feature_used_account_events" AS
SELECT
  au.group_id,
  count(*) FILTER (WHERE e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '30 days' AND e."context_group_id" = au.group_id) AS n_workspace_feature_uses_30d -- workspace_feature_uses_30d
FROM "main"."feature_used" AS e
JOIN pg_temp."_plan_account_users" AS au ON au.user_id = e.user_id
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($1 AS TIMESTAMP)
  AND e.event_text = 'Feature Used'
GROUP BY au.group_id;
ANALYZE pg_temp."_plan_feature_used_account_events";

-- computed_trait workspace_feature_uses_30d (account): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_workspace_feature_uses_30d";
CREATE TEMPORARY TABLE pg_temp."_run_workspace_feature_uses_30d" AS
SELECT group_id, n_workspace_feature_uses_30d AS "workspace_feature_uses_30d"
FROM pg_temp."_plan_feature_used_account_events"
WHERE n_workspace_feature_uses_30d > 0;
ANALYZE pg_temp."_run_workspace_feature_uses_30d";

-- audience at_risk_accounts (account)
DROP TABLE IF EXISTS pg_temp."_run_at_risk_accounts";
CREATE TEMPORARY TABLE pg_temp."_run_at_risk_accounts" AS
SELECT entity.group_id
FROM pg_temp."_plan_account_traits" AS entity
LEFT JOIN pg_temp."_run_logins_past_30_days" AS entity_logins_past_30_days ON entity_logins_past_30_days.group_id = entity.group_id
WHERE (COALESCE(COALESCE(entity_logins_past_30_days."logins_past_30_days", 0) < 10, FALSE)
  AND COALESCE((CAST(entity.trait_plan AS TEXT) COLLATE "C") IN ('pro', 'enterprise'), FALSE));
ANALYZE pg_temp."_run_at_risk_accounts";

-- the latest non-null value of each custom trait over identify calls (SPEC 3)
DROP TABLE IF EXISTS pg_temp."_plan_user_traits";
CREATE TEMPORARY TABLE pg_temp."_plan_user_traits" AS
SELECT
  user_id,
  (array_agg("role" ORDER BY "timestamp" DESC NULLS FIRST, (CAST(id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE "role" IS NOT NULL))[1] AS trait_role
FROM "main"."identifies"
WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
GROUP BY user_id;
ANALYZE pg_temp."_plan_user_traits";

-- audience software_admins (user)
DROP TABLE IF EXISTS pg_temp."_run_software_admins";
CREATE TEMPORARY TABLE pg_temp."_run_software_admins" AS
WITH
users_of_software_accounts AS (
  SELECT DISTINCT au.user_id
  FROM pg_temp."_plan_account_users" AS au
  JOIN pg_temp."_run_software_accounts" AS m ON m.group_id = au.group_id
)
SELECT entity.user_id
FROM pg_temp."_plan_user_traits" AS entity
LEFT JOIN users_of_software_accounts AS entity_users_of_software_accounts ON entity_users_of_software_accounts.user_id = entity.user_id
WHERE (COALESCE((CAST(entity.trait_role AS TEXT) COLLATE "C") = 'admin', FALSE)
  AND (entity_users_of_software_accounts.user_id IS NOT NULL));
ANALYZE pg_temp."_run_software_admins";

-- audience power_users (user)
DROP TABLE IF EXISTS pg_temp."_run_power_users";
CREATE TEMPORARY TABLE pg_temp."_run_power_users" AS
WITH
users_of_at_risk_accounts AS (
  SELECT DISTINCT au.user_id
  FROM pg_temp."_plan_account_users" AS au
  JOIN pg_temp."_run_at_risk_accounts" AS m ON m.group_id = au.group_id
)
SELECT entity.user_id
FROM pg_temp."_plan_logged_in_users" AS entity
LEFT JOIN users_of_at_risk_accounts AS entity_users_of_at_risk_accounts ON entity_users_of_at_risk_accounts.user_id = entity.user_id
WHERE ((COALESCE(entity.n_logins_past_30_days, 0) >= 20)
  AND NOT (entity_users_of_at_risk_accounts.user_id IS NOT NULL));
ANALYZE pg_temp."_run_power_users";
