-- roster run plan corpus, postgres: the whole run, sharing work between definitions.
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC, bound to each statement that names it
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
-- Each definition ends in its scratch table _run_<key>, with the rows its own file gives in a run.

-- user features: one pass over the events of main.logged_in
DROP TABLE IF EXISTS pg_temp."_plan_logged_in_users";
CREATE TEMPORARY TABLE pg_temp."_plan_logged_in_users" AS
SELECT
  e.user_id,
  count(*) FILTER (WHERE e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '30 days') AS n_count_gt, -- count_eq, count_gt, count_gte, count_lt, count_lte, ct_event_counter
  count(*) FILTER (WHERE e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '12 hours') AS n_ct_event_counter_account -- ct_event_counter_account
FROM "main"."logged_in" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($1 AS TIMESTAMP)
  AND e.event_text = 'Logged In'
GROUP BY e.user_id;
ANALYZE pg_temp."_plan_logged_in_users";

-- audience count_gt (user)
DROP TABLE IF EXISTS pg_temp."_run_count_gt";
CREATE TEMPORARY TABLE pg_temp."_run_count_gt" AS
SELECT entity.user_id
FROM pg_temp."_plan_logged_in_users" AS entity
WHERE (COALESCE(entity.n_count_gt, 0) > 3);
ANALYZE pg_temp."_run_count_gt";

-- audience count_gte (user)
DROP TABLE IF EXISTS pg_temp."_run_count_gte";
CREATE TEMPORARY TABLE pg_temp."_run_count_gte" AS
SELECT entity.user_id
FROM pg_temp."_plan_logged_in_users" AS entity
WHERE (COALESCE(entity.n_count_gt, 0) >= 1);
ANALYZE pg_temp."_run_count_gte";

-- user features: one pass over the events of main.order_completed
DROP TABLE IF EXISTS pg_temp."_plan_order_completed_users";
CREATE TEMPORARY TABLE pg_temp."_plan_order_completed_users" AS
SELECT
  e.user_id,
  sum(CASE WHEN length(CAST(e."total" AS TEXT)) <= 200 AND CAST(e."total" AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,2})?[ \t\n\r\f\v]*$' THEN CAST(CAST(e."total" AS TEXT) AS DOUBLE PRECISION) WHEN length(CAST(e."total" AS TEXT)) <= 1000 AND CAST(e."total" AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$' THEN CASE WHEN abs(CAST(CAST(e."total" AS TEXT) AS NUMERIC)) >= power(CAST(2 AS NUMERIC), 1024) - power(CAST(2 AS NUMERIC), 970) THEN NULL WHEN abs(CAST(CAST(e."total" AS TEXT) AS NUMERIC)) * power(CAST(2 AS NUMERIC), 1075) <= 1 THEN CAST(0 AS DOUBLE PRECISION) ELSE CAST(CAST(e."total" AS TEXT) AS DOUBLE PRECISION) END END) FILTER (WHERE COALESCE((CAST(e."currency" AS TEXT) COLLATE "C") IN ('USD', 'EUR'), FALSE)) / NULLIF(count(CASE WHEN length(CAST(e."total" AS TEXT)) <= 200 AND CAST(e."total" AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,2})?[ \t\n\r\f\v]*$' THEN CAST(CAST(e."total" AS TEXT) AS DOUBLE PRECISION) WHEN length(CAST(e."total" AS TEXT)) <= 1000 AND CAST(e."total" AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$' THEN CASE WHEN abs(CAST(CAST(e."total" AS TEXT) AS NUMERIC)) >= power(CAST(2 AS NUMERIC), 1024) - power(CAST(2 AS NUMERIC), 970) THEN NULL WHEN abs(CAST(CAST(e."total" AS TEXT) AS NUMERIC)) * power(CAST(2 AS NUMERIC), 1075) <= 1 THEN CAST(0 AS DOUBLE PRECISION) ELSE CAST(CAST(e."total" AS TEXT) AS DOUBLE PRECISION) END END) FILTER (WHERE COALESCE((CAST(e."currency" AS TEXT) COLLATE "C") IN ('USD', 'EUR'), FALSE)), 0) AS avg_ct_aggregation_avg, -- ct_aggregation_avg
  max(CASE WHEN length(CAST(e."total" AS TEXT)) <= 200 AND CAST(e."total" AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,2})?[ \t\n\r\f\v]*$' THEN CAST(CAST(e."total" AS TEXT) AS DOUBLE PRECISION) WHEN length(CAST(e."total" AS TEXT)) <= 1000 AND CAST(e."total" AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$' THEN CASE WHEN abs(CAST(CAST(e."total" AS TEXT) AS NUMERIC)) >= power(CAST(2 AS NUMERIC), 1024) - power(CAST(2 AS NUMERIC), 970) THEN NULL WHEN abs(CAST(CAST(e."total" AS TEXT) AS NUMERIC)) * power(CAST(2 AS NUMERIC), 1075) <= 1 THEN CAST(0 AS DOUBLE PRECISION) ELSE CAST(CAST(e."total" AS TEXT) AS DOUBLE PRECISION) END END) FILTER (WHERE COALESCE((CAST(e."currency" AS TEXT) COLLATE "C") IN ('USD', 'EUR'), FALSE)) AS max_ct_aggregation_max, -- ct_aggregation_max
  min(CASE WHEN length(CAST(e."total" AS TEXT)) <= 200 AND CAST(e."total" AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,2})?[ \t\n\r\f\v]*$' THEN CAST(CAST(e."total" AS TEXT) AS DOUBLE PRECISION) WHEN length(CAST(e."total" AS TEXT)) <= 1000 AND CAST(e."total" AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$' THEN CASE WHEN abs(CAST(CAST(e."total" AS TEXT) AS NUMERIC)) >= power(CAST(2 AS NUMERIC), 1024) - power(CAST(2 AS NUMERIC), 970) THEN NULL WHEN abs(CAST(CAST(e."total" AS TEXT) AS NUMERIC)) * power(CAST(2 AS NUMERIC), 1075) <= 1 THEN CAST(0 AS DOUBLE PRECISION) ELSE CAST(CAST(e."total" AS TEXT) AS DOUBLE PRECISION) END END) FILTER (WHERE COALESCE((CAST(e."currency" AS TEXT) COLLATE "C") IN ('USD', 'EUR'), FALSE)) AS min_ct_aggregation_min, -- ct_aggregation_min
  sum(CASE WHEN length(CAST(e."total" AS TEXT)) <= 200 AND CAST(e."total" AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,2})?[ \t\n\r\f\v]*$' THEN CAST(CAST(e."total" AS TEXT) AS DOUBLE PRECISION) WHEN length(CAST(e."total" AS TEXT)) <= 1000 AND CAST(e."total" AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$' THEN CASE WHEN abs(CAST(CAST(e."total" AS TEXT) AS NUMERIC)) >= power(CAST(2 AS NUMERIC), 1024) - power(CAST(2 AS NUMERIC), 970) THEN NULL WHEN abs(CAST(CAST(e."total" AS TEXT) AS NUMERIC)) * power(CAST(2 AS NUMERIC), 1075) <= 1 THEN CAST(0 AS DOUBLE PRECISION) ELSE CAST(CAST(e."total" AS TEXT) AS DOUBLE PRECISION) END END) FILTER (WHERE COALESCE((CAST(e."currency" AS TEXT) COLLATE "C") IN ('USD', 'EUR'), FALSE)) AS sum_ct_aggregation_sum -- ct_aggregation_sum
FROM "main"."order_completed" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($1 AS TIMESTAMP)
  AND e.event_text = 'Order Completed'
GROUP BY e.user_id;
ANALYZE pg_temp."_plan_order_completed_users";

-- computed_trait ct_aggregation_avg (user): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_ct_aggregation_avg";
CREATE TEMPORARY TABLE pg_temp."_run_ct_aggregation_avg" AS
SELECT user_id, CASE WHEN avg_ct_aggregation_avg IS NULL OR avg_ct_aggregation_avg = 0 OR avg_ct_aggregation_avg IN ('Infinity', '-Infinity', 'NaN') THEN avg_ct_aggregation_avg ELSE CAST(CASE WHEN round(2 * CAST(avg_ct_aggregation_avg AS NUMERIC), CAST(11 - floor(log(abs(avg_ct_aggregation_avg))) AS INTEGER)) = 2 * CAST(avg_ct_aggregation_avg AS NUMERIC) AND round(CAST(avg_ct_aggregation_avg AS NUMERIC), CAST(11 - floor(log(abs(avg_ct_aggregation_avg))) AS INTEGER)) <> CAST(avg_ct_aggregation_avg AS NUMERIC) AND abs(avg_ct_aggregation_avg) < abs(CAST(CAST(avg_ct_aggregation_avg AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(avg_ct_aggregation_avg AS NUMERIC), CAST(11 - floor(log(abs(avg_ct_aggregation_avg))) AS INTEGER)) ELSE round(CAST(avg_ct_aggregation_avg AS NUMERIC), CAST(11 - floor(log(abs(avg_ct_aggregation_avg))) AS INTEGER)) END AS DOUBLE PRECISION) END AS "ct_aggregation_avg"
FROM pg_temp."_plan_order_completed_users"
WHERE avg_ct_aggregation_avg IS NOT NULL;
ANALYZE pg_temp."_run_ct_aggregation_avg";

-- computed_trait ct_aggregation_max (user): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_ct_aggregation_max";
CREATE TEMPORARY TABLE pg_temp."_run_ct_aggregation_max" AS
SELECT user_id, CASE WHEN max_ct_aggregation_max IS NULL OR max_ct_aggregation_max = 0 OR max_ct_aggregation_max IN ('Infinity', '-Infinity', 'NaN') THEN max_ct_aggregation_max ELSE CAST(CASE WHEN round(2 * CAST(max_ct_aggregation_max AS NUMERIC), CAST(11 - floor(log(abs(max_ct_aggregation_max))) AS INTEGER)) = 2 * CAST(max_ct_aggregation_max AS NUMERIC) AND round(CAST(max_ct_aggregation_max AS NUMERIC), CAST(11 - floor(log(abs(max_ct_aggregation_max))) AS INTEGER)) <> CAST(max_ct_aggregation_max AS NUMERIC) AND abs(max_ct_aggregation_max) < abs(CAST(CAST(max_ct_aggregation_max AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(max_ct_aggregation_max AS NUMERIC), CAST(11 - floor(log(abs(max_ct_aggregation_max))) AS INTEGER)) ELSE round(CAST(max_ct_aggregation_max AS NUMERIC), CAST(11 - floor(log(abs(max_ct_aggregation_max))) AS INTEGER)) END AS DOUBLE PRECISION) END AS "ct_aggregation_max"
FROM pg_temp."_plan_order_completed_users"
WHERE max_ct_aggregation_max IS NOT NULL;
ANALYZE pg_temp."_run_ct_aggregation_max";

-- computed_trait ct_aggregation_min (user): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_ct_aggregation_min";
CREATE TEMPORARY TABLE pg_temp."_run_ct_aggregation_min" AS
SELECT user_id, CASE WHEN min_ct_aggregation_min IS NULL OR min_ct_aggregation_min = 0 OR min_ct_aggregation_min IN ('Infinity', '-Infinity', 'NaN') THEN min_ct_aggregation_min ELSE CAST(CASE WHEN round(2 * CAST(min_ct_aggregation_min AS NUMERIC), CAST(11 - floor(log(abs(min_ct_aggregation_min))) AS INTEGER)) = 2 * CAST(min_ct_aggregation_min AS NUMERIC) AND round(CAST(min_ct_aggregation_min AS NUMERIC), CAST(11 - floor(log(abs(min_ct_aggregation_min))) AS INTEGER)) <> CAST(min_ct_aggregation_min AS NUMERIC) AND abs(min_ct_aggregation_min) < abs(CAST(CAST(min_ct_aggregation_min AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(min_ct_aggregation_min AS NUMERIC), CAST(11 - floor(log(abs(min_ct_aggregation_min))) AS INTEGER)) ELSE round(CAST(min_ct_aggregation_min AS NUMERIC), CAST(11 - floor(log(abs(min_ct_aggregation_min))) AS INTEGER)) END AS DOUBLE PRECISION) END AS "ct_aggregation_min"
FROM pg_temp."_plan_order_completed_users"
WHERE min_ct_aggregation_min IS NOT NULL;
ANALYZE pg_temp."_run_ct_aggregation_min";

-- computed_trait ct_event_counter (user): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_ct_event_counter";
CREATE TEMPORARY TABLE pg_temp."_run_ct_event_counter" AS
SELECT user_id, n_count_gt AS "ct_event_counter"
FROM pg_temp."_plan_logged_in_users"
WHERE n_count_gt > 0;
ANALYZE pg_temp."_run_ct_event_counter";

-- computed_trait ct_last (user): its own query over the events (does not fold into a feature)
DROP TABLE IF EXISTS pg_temp."_run_ct_last";
CREATE TEMPORARY TABLE pg_temp."_run_ct_last" AS
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."timestamp", e."page_path" AS value
  FROM "main"."page_viewed" AS e
  WHERE e.event_text = 'Page Viewed'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."timestamp" <= CAST($1 AS TIMESTAMP)
  UNION ALL
  SELECT e.id, e.user_id, e."timestamp", e."page_path" AS value
  FROM "main"."screen_viewed" AS e
  WHERE e.event_text = 'Screen Viewed'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."timestamp" <= CAST($1 AS TIMESTAMP)
),
entity_values AS (
  SELECT e.user_id AS user_id, (array_agg(e.value ORDER BY e."timestamp" DESC NULLS FIRST, (CAST(e.id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE e.value IS NOT NULL))[1] AS value
  FROM matching_events AS e
  GROUP BY e.user_id
)
SELECT user_id, value AS "ct_last"
FROM entity_values
WHERE value IS NOT NULL;
ANALYZE pg_temp."_run_ct_last";

-- distinct values per user (the user features and most_frequent counts): one pass over the events of main.feature_used
DROP TABLE IF EXISTS pg_temp."_plan_feature_used_values";
CREATE TEMPORARY TABLE pg_temp."_plan_feature_used_values" AS
SELECT
  e.user_id,
  e."feature_name" AS value,
  (CAST(e."feature_name" AS TEXT) COLLATE "C") AS value_text,
  count(*) FILTER (WHERE COALESCE(NOT (strpos((CAST(e."feature_name" AS TEXT) COLLATE "C"), 'beta') > 0), FALSE)) AS n_ct_unique_list, -- ct_unique_list
  count(*) FILTER (WHERE e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '14 days' AND COALESCE((CAST(e."feature_name" AS TEXT) COLLATE "C") = 'reports', FALSE)) AS n_users_all, -- users_all, users_any, users_none
  count(*) AS n_ct_most_frequent -- ct_most_frequent, ct_most_frequent_account
FROM "main"."feature_used" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($1 AS TIMESTAMP)
  AND e.event_text = 'Feature Used'
GROUP BY e.user_id, e."feature_name", (CAST(e."feature_name" AS TEXT) COLLATE "C");
ANALYZE pg_temp."_plan_feature_used_values";

-- computed_trait ct_most_frequent (user): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_ct_most_frequent";
CREATE TEMPORARY TABLE pg_temp."_run_ct_most_frequent" AS
WITH
value_counts AS (
  SELECT user_id, value, sum(n_ct_most_frequent) AS n
  FROM pg_temp."_plan_feature_used_values"
  WHERE value IS NOT NULL
  GROUP BY user_id, value
),
ranked_values AS (
  SELECT user_id, value,
    row_number() OVER (PARTITION BY user_id ORDER BY n DESC, (CAST(value AS TEXT) COLLATE "C")) AS rank
  FROM value_counts
  WHERE n >= 3
)
SELECT user_id, value AS "ct_most_frequent"
FROM ranked_values
WHERE rank = 1;
ANALYZE pg_temp."_run_ct_most_frequent";

-- user features folded from the distinct values per user of the events of main.feature_used
DROP TABLE IF EXISTS pg_temp."_plan_feature_used_users";
CREATE TEMPORARY TABLE pg_temp."_plan_feature_used_users" AS
SELECT
  g.user_id,
  array_agg(CASE WHEN g.n_ct_unique_list > 0 THEN g.value_text END ORDER BY CASE WHEN g.n_ct_unique_list > 0 THEN g.value_text END) FILTER (WHERE CASE WHEN g.n_ct_unique_list > 0 THEN g.value_text END IS NOT NULL) AS list_ct_unique_list, -- ct_unique_list
  CAST(sum(g.n_users_all) AS BIGINT) AS n_users_all -- users_all, users_any, users_none
FROM pg_temp."_plan_feature_used_values" AS g
GROUP BY g.user_id;
ANALYZE pg_temp."_plan_feature_used_users";

-- computed_trait ct_unique_list (user): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_ct_unique_list";
CREATE TEMPORARY TABLE pg_temp."_run_ct_unique_list" AS
SELECT user_id, list_ct_unique_list AS "ct_unique_list"
FROM pg_temp."_plan_feature_used_users"
WHERE list_ct_unique_list IS NOT NULL;
ANALYZE pg_temp."_run_ct_unique_list";

-- the latest non-null value of each custom trait over identify calls (SPEC 3)
DROP TABLE IF EXISTS pg_temp."_plan_user_traits";
CREATE TEMPORARY TABLE pg_temp."_plan_user_traits" AS
SELECT
  user_id,
  (array_agg("name" ORDER BY "timestamp" DESC NULLS FIRST, (CAST(id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE "name" IS NOT NULL))[1] AS trait_name,
  (array_agg("plan" ORDER BY "timestamp" DESC NULLS FIRST, (CAST(id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE "plan" IS NOT NULL))[1] AS trait_plan,
  (array_agg("role" ORDER BY "timestamp" DESC NULLS FIRST, (CAST(id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE "role" IS NOT NULL))[1] AS trait_role,
  (array_agg("st_user_lifetime" ORDER BY "timestamp" DESC NULLS FIRST, (CAST(id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE "st_user_lifetime" IS NOT NULL))[1] AS trait_st_user_lifetime
FROM "main"."identifies"
WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
GROUP BY user_id;
ANALYZE pg_temp."_plan_user_traits";

-- user features: one pass over the events of main.it_s_quoted
DROP TABLE IF EXISTS pg_temp."_plan_it_s_quoted_users";
CREATE TEMPORARY TABLE pg_temp."_plan_it_s_quoted_users" AS
SELECT
  e.user_id,
  count(*) FILTER (WHERE COALESCE((CAST(e."weird_prop_s" AS TEXT) COLLATE "C") = replace('line1~line2', '~', chr(10)), FALSE)) AS n_hostile_values -- hostile_values
FROM "main"."it_s_quoted" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($1 AS TIMESTAMP)
  AND e.event_text = 'It''s "quoted" 🚀'
GROUP BY e.user_id;
ANALYZE pg_temp."_plan_it_s_quoted_users";

-- audience hostile_values (user)
DROP TABLE IF EXISTS pg_temp."_run_hostile_values";
CREATE TEMPORARY TABLE pg_temp."_run_hostile_values" AS
WITH
candidates AS (
  SELECT user_id FROM pg_temp."_plan_user_traits"
  UNION
  SELECT user_id FROM pg_temp."_plan_it_s_quoted_users"
)
SELECT entity.user_id
FROM candidates AS entity
LEFT JOIN pg_temp."_plan_user_traits" AS entity_plan_user_traits ON entity_plan_user_traits.user_id = entity.user_id
LEFT JOIN pg_temp."_plan_it_s_quoted_users" AS entity_it_s_quoted_users ON entity_it_s_quoted_users.user_id = entity.user_id
WHERE (COALESCE((CAST(entity_plan_user_traits.trait_name AS TEXT) COLLATE "C") = 'O''Brien "Bobby"; DROP TABLE users; --', FALSE)
  OR COALESCE(starts_with((CAST(entity_plan_user_traits.trait_name AS TEXT) COLLATE "C"), '/* not a comment */ \ back'), FALSE)
  OR (COALESCE(entity_it_s_quoted_users.n_hostile_values, 0) >= 1));
ANALYZE pg_temp."_run_hostile_values";

-- audience op_after (user)
DROP TABLE IF EXISTS pg_temp."_run_op_after";
CREATE TEMPORARY TABLE pg_temp."_run_op_after" AS
SELECT entity.user_id
FROM pg_temp."_plan_user_traits" AS entity
WHERE COALESCE(date_trunc('milliseconds', CASE WHEN CAST(entity.trait_plan AS TEXT) ~ '^((000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29)([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$' THEN CAST(CAST(regexp_replace(CAST(entity.trait_plan AS TEXT), '(\.[0-9]{6})[0-9]+', '\1') AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP) END) > TIMESTAMP '2024-01-01 08:00:00.000', FALSE);
ANALYZE pg_temp."_run_op_after";

-- audience op_before (user)
DROP TABLE IF EXISTS pg_temp."_run_op_before";
CREATE TEMPORARY TABLE pg_temp."_run_op_before" AS
SELECT entity.user_id
FROM pg_temp."_plan_user_traits" AS entity
WHERE COALESCE(date_trunc('milliseconds', CASE WHEN CAST(entity.trait_plan AS TEXT) ~ '^((000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29)([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$' THEN CAST(CAST(regexp_replace(CAST(entity.trait_plan AS TEXT), '(\.[0-9]{6})[0-9]+', '\1') AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP) END) < TIMESTAMP '2024-01-01 00:00:00.000', FALSE);
ANALYZE pg_temp."_run_op_before";

-- audience op_contains (user)
DROP TABLE IF EXISTS pg_temp."_run_op_contains";
CREATE TEMPORARY TABLE pg_temp."_run_op_contains" AS
SELECT entity.user_id
FROM pg_temp."_plan_user_traits" AS entity
WHERE COALESCE((strpos((CAST(entity.trait_plan AS TEXT) COLLATE "C"), 'O''Brien') > 0), FALSE);
ANALYZE pg_temp."_run_op_contains";

-- audience op_ends_with (user)
DROP TABLE IF EXISTS pg_temp."_run_op_ends_with";
CREATE TEMPORARY TABLE pg_temp."_run_op_ends_with" AS
SELECT entity.user_id
FROM pg_temp."_plan_user_traits" AS entity
WHERE COALESCE((right((CAST(entity.trait_plan AS TEXT) COLLATE "C"), length(';')) = ';'), FALSE);
ANALYZE pg_temp."_run_op_ends_with";

-- audience op_eq (user)
DROP TABLE IF EXISTS pg_temp."_run_op_eq";
CREATE TEMPORARY TABLE pg_temp."_run_op_eq" AS
SELECT entity.user_id
FROM pg_temp."_plan_user_traits" AS entity
WHERE COALESCE((CAST(entity.trait_plan AS TEXT) COLLATE "C") = 'pro', FALSE);
ANALYZE pg_temp."_run_op_eq";

-- audience op_exists (user)
DROP TABLE IF EXISTS pg_temp."_run_op_exists";
CREATE TEMPORARY TABLE pg_temp."_run_op_exists" AS
SELECT entity.user_id
FROM pg_temp."_plan_user_traits" AS entity
WHERE (entity.trait_plan IS NOT NULL);
ANALYZE pg_temp."_run_op_exists";

-- audience op_gt (user)
DROP TABLE IF EXISTS pg_temp."_run_op_gt";
CREATE TEMPORARY TABLE pg_temp."_run_op_gt" AS
SELECT entity.user_id
FROM pg_temp."_plan_user_traits" AS entity
WHERE COALESCE(CASE WHEN length(CAST(entity.trait_plan AS TEXT)) <= 200 AND CAST(entity.trait_plan AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,2})?[ \t\n\r\f\v]*$' THEN CAST(CAST(entity.trait_plan AS TEXT) AS DOUBLE PRECISION) WHEN length(CAST(entity.trait_plan AS TEXT)) <= 1000 AND CAST(entity.trait_plan AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$' THEN CASE WHEN abs(CAST(CAST(entity.trait_plan AS TEXT) AS NUMERIC)) >= power(CAST(2 AS NUMERIC), 1024) - power(CAST(2 AS NUMERIC), 970) THEN NULL WHEN abs(CAST(CAST(entity.trait_plan AS TEXT) AS NUMERIC)) * power(CAST(2 AS NUMERIC), 1075) <= 1 THEN CAST(0 AS DOUBLE PRECISION) ELSE CAST(CAST(entity.trait_plan AS TEXT) AS DOUBLE PRECISION) END END > 10, FALSE);
ANALYZE pg_temp."_run_op_gt";

-- audience op_gte (user)
DROP TABLE IF EXISTS pg_temp."_run_op_gte";
CREATE TEMPORARY TABLE pg_temp."_run_op_gte" AS
SELECT entity.user_id
FROM pg_temp."_plan_user_traits" AS entity
WHERE COALESCE(CASE WHEN length(CAST(entity.trait_plan AS TEXT)) <= 200 AND CAST(entity.trait_plan AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,2})?[ \t\n\r\f\v]*$' THEN CAST(CAST(entity.trait_plan AS TEXT) AS DOUBLE PRECISION) WHEN length(CAST(entity.trait_plan AS TEXT)) <= 1000 AND CAST(entity.trait_plan AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$' THEN CASE WHEN abs(CAST(CAST(entity.trait_plan AS TEXT) AS NUMERIC)) >= power(CAST(2 AS NUMERIC), 1024) - power(CAST(2 AS NUMERIC), 970) THEN NULL WHEN abs(CAST(CAST(entity.trait_plan AS TEXT) AS NUMERIC)) * power(CAST(2 AS NUMERIC), 1075) <= 1 THEN CAST(0 AS DOUBLE PRECISION) ELSE CAST(CAST(entity.trait_plan AS TEXT) AS DOUBLE PRECISION) END END >= CAST(2.5 AS DOUBLE PRECISION), FALSE);
ANALYZE pg_temp."_run_op_gte";

-- audience op_in (user)
DROP TABLE IF EXISTS pg_temp."_run_op_in";
CREATE TEMPORARY TABLE pg_temp."_run_op_in" AS
SELECT entity.user_id
FROM pg_temp."_plan_user_traits" AS entity
WHERE COALESCE((CAST(entity.trait_plan AS TEXT) COLLATE "C") IN ('a', 'bc'), FALSE);
ANALYZE pg_temp."_run_op_in";

-- audience op_lt (user)
DROP TABLE IF EXISTS pg_temp."_run_op_lt";
CREATE TEMPORARY TABLE pg_temp."_run_op_lt" AS
SELECT entity.user_id
FROM pg_temp."_plan_user_traits" AS entity
WHERE COALESCE((CAST(entity.trait_plan AS TEXT) COLLATE "C") < 'm', FALSE);
ANALYZE pg_temp."_run_op_lt";

-- audience op_lte (user)
DROP TABLE IF EXISTS pg_temp."_run_op_lte";
CREATE TEMPORARY TABLE pg_temp."_run_op_lte" AS
SELECT entity.user_id
FROM pg_temp."_plan_user_traits" AS entity
WHERE COALESCE(CASE lower((CAST(entity.trait_plan AS TEXT) COLLATE "C")) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END <= TRUE, FALSE);
ANALYZE pg_temp."_run_op_lte";

-- audience op_neq (user)
DROP TABLE IF EXISTS pg_temp."_run_op_neq";
CREATE TEMPORARY TABLE pg_temp."_run_op_neq" AS
SELECT entity.user_id
FROM pg_temp."_plan_user_traits" AS entity
WHERE COALESCE((CAST(entity.trait_plan AS TEXT) COLLATE "C") <> 'pro', FALSE);
ANALYZE pg_temp."_run_op_neq";

-- audience op_not_contains (user)
DROP TABLE IF EXISTS pg_temp."_run_op_not_contains";
CREATE TEMPORARY TABLE pg_temp."_run_op_not_contains" AS
SELECT entity.user_id
FROM pg_temp."_plan_user_traits" AS entity
WHERE COALESCE(NOT (strpos((CAST(entity.trait_plan AS TEXT) COLLATE "C"), '--') > 0), FALSE);
ANALYZE pg_temp."_run_op_not_contains";

-- audience op_not_in (user)
DROP TABLE IF EXISTS pg_temp."_run_op_not_in";
CREATE TEMPORARY TABLE pg_temp."_run_op_not_in" AS
SELECT entity.user_id
FROM pg_temp."_plan_user_traits" AS entity
WHERE COALESCE(CASE WHEN length(CAST(entity.trait_plan AS TEXT)) <= 200 AND CAST(entity.trait_plan AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,2})?[ \t\n\r\f\v]*$' THEN CAST(CAST(entity.trait_plan AS TEXT) AS DOUBLE PRECISION) WHEN length(CAST(entity.trait_plan AS TEXT)) <= 1000 AND CAST(entity.trait_plan AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$' THEN CASE WHEN abs(CAST(CAST(entity.trait_plan AS TEXT) AS NUMERIC)) >= power(CAST(2 AS NUMERIC), 1024) - power(CAST(2 AS NUMERIC), 970) THEN NULL WHEN abs(CAST(CAST(entity.trait_plan AS TEXT) AS NUMERIC)) * power(CAST(2 AS NUMERIC), 1075) <= 1 THEN CAST(0 AS DOUBLE PRECISION) ELSE CAST(CAST(entity.trait_plan AS TEXT) AS DOUBLE PRECISION) END END NOT IN (1, 2), FALSE);
ANALYZE pg_temp."_run_op_not_in";

-- audience op_starts_with (user)
DROP TABLE IF EXISTS pg_temp."_run_op_starts_with";
CREATE TEMPORARY TABLE pg_temp."_run_op_starts_with" AS
SELECT entity.user_id
FROM pg_temp."_plan_user_traits" AS entity
WHERE COALESCE(starts_with((CAST(entity.trait_plan AS TEXT) COLLATE "C"), '/*'), FALSE);
ANALYZE pg_temp."_run_op_starts_with";

-- audience op_within_last (user)
DROP TABLE IF EXISTS pg_temp."_run_op_within_last";
CREATE TEMPORARY TABLE pg_temp."_run_op_within_last" AS
SELECT entity.user_id
FROM pg_temp."_plan_user_traits" AS entity
WHERE COALESCE((date_trunc('milliseconds', CASE WHEN CAST(entity.trait_plan AS TEXT) ~ '^((000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29)([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$' THEN CAST(CAST(regexp_replace(CAST(entity.trait_plan AS TEXT), '(\.[0-9]{6})[0-9]+', '\1') AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP) END) > CAST($1 AS TIMESTAMP) - INTERVAL '7 days' AND date_trunc('milliseconds', CASE WHEN CAST(entity.trait_plan AS TEXT) ~ '^((000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29)([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$' THEN CAST(CAST(regexp_replace(CAST(entity.trait_plan AS TEXT), '(\.[0-9]{6})[0-9]+', '\1') AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP) END) <= CAST($1 AS TIMESTAMP)), FALSE);
ANALYZE pg_temp."_run_op_within_last";

-- sql_trait st_account_members (account): user SQL, shape-checked by the run
DROP TABLE IF EXISTS pg_temp."_run_st_account_members"
;
CREATE TEMPORARY TABLE pg_temp."_run_st_account_members" AS
SELECT account_id AS group_id, contact_id AS user_id, tier AS crm_tier
FROM crm.contacts
;
ANALYZE pg_temp."_run_st_account_members"
;

-- sql_trait st_user (user): user SQL, shape-checked by the run
DROP TABLE IF EXISTS pg_temp."_run_st_user"
;
CREATE TEMPORARY TABLE pg_temp."_run_st_user" AS
SELECT user_id, count(*) AS lifetime_orders, sum(total) AS lifetime_value
FROM "main"."order_completed"
WHERE "timestamp" <= CAST($1 AS TIMESTAMP) AND user_id IS NOT NULL
GROUP BY user_id
;
ANALYZE pg_temp."_run_st_user"
;

-- the users of each account: group calls and associating SQL traits
DROP TABLE IF EXISTS pg_temp."_plan_account_users";
CREATE TEMPORARY TABLE pg_temp."_plan_account_users" AS
SELECT group_id, user_id FROM "main"."groups"
WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
UNION
SELECT group_id, user_id FROM pg_temp."_run_st_account_members" WHERE CAST(user_id AS VARCHAR) <> '';
ANALYZE pg_temp."_plan_account_users";

-- account features folded from the user features of the events of main.order_completed
DROP TABLE IF EXISTS pg_temp."_plan_order_completed_accounts";
CREATE TEMPORARY TABLE pg_temp."_plan_order_completed_accounts" AS
SELECT
  au.group_id,
  sum(f.sum_ct_aggregation_sum) AS sum_ct_aggregation_sum -- ct_aggregation_sum
FROM pg_temp."_plan_order_completed_users" AS f
JOIN pg_temp."_plan_account_users" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;
ANALYZE pg_temp."_plan_order_completed_accounts";

-- computed_trait ct_aggregation_sum (account): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_ct_aggregation_sum";
CREATE TEMPORARY TABLE pg_temp."_run_ct_aggregation_sum" AS
SELECT group_id, CASE WHEN sum_ct_aggregation_sum IS NULL OR sum_ct_aggregation_sum = 0 OR sum_ct_aggregation_sum IN ('Infinity', '-Infinity', 'NaN') THEN sum_ct_aggregation_sum ELSE CAST(CASE WHEN round(2 * CAST(sum_ct_aggregation_sum AS NUMERIC), CAST(11 - floor(log(abs(sum_ct_aggregation_sum))) AS INTEGER)) = 2 * CAST(sum_ct_aggregation_sum AS NUMERIC) AND round(CAST(sum_ct_aggregation_sum AS NUMERIC), CAST(11 - floor(log(abs(sum_ct_aggregation_sum))) AS INTEGER)) <> CAST(sum_ct_aggregation_sum AS NUMERIC) AND abs(sum_ct_aggregation_sum) < abs(CAST(CAST(sum_ct_aggregation_sum AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(sum_ct_aggregation_sum AS NUMERIC), CAST(11 - floor(log(abs(sum_ct_aggregation_sum))) AS INTEGER)) ELSE round(CAST(sum_ct_aggregation_sum AS NUMERIC), CAST(11 - floor(log(abs(sum_ct_aggregation_sum))) AS INTEGER)) END AS DOUBLE PRECISION) END AS "ct_aggregation_sum"
FROM pg_temp."_plan_order_completed_accounts"
WHERE sum_ct_aggregation_sum IS NOT NULL;
ANALYZE pg_temp."_run_ct_aggregation_sum";

-- account features folded from the user features of the events of main.logged_in
DROP TABLE IF EXISTS pg_temp."_plan_logged_in_accounts";
CREATE TEMPORARY TABLE pg_temp."_plan_logged_in_accounts" AS
SELECT
  au.group_id,
  CAST(sum(f.n_ct_event_counter_account) AS BIGINT) AS count_ct_event_counter_account -- ct_event_counter_account
FROM pg_temp."_plan_logged_in_users" AS f
JOIN pg_temp."_plan_account_users" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;
ANALYZE pg_temp."_plan_logged_in_accounts";

-- computed_trait ct_event_counter_account (account): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_ct_event_counter_account";
CREATE TEMPORARY TABLE pg_temp."_run_ct_event_counter_account" AS
SELECT group_id, count_ct_event_counter_account AS "ct_event_counter_account"
FROM pg_temp."_plan_logged_in_accounts"
WHERE count_ct_event_counter_account > 0;
ANALYZE pg_temp."_run_ct_event_counter_account";

-- user features: one pass over the events of main.page_viewed
DROP TABLE IF EXISTS pg_temp."_plan_page_viewed_users";
CREATE TEMPORARY TABLE pg_temp."_plan_page_viewed_users" AS
SELECT
  e.user_id,
  (array_agg(CASE WHEN e."timestamp" >= TIMESTAMP '2024-01-01 00:00:00.000' AND e."timestamp" < TIMESTAMP '2024-02-01 12:30:00.000' THEN e."path" END ORDER BY e."timestamp", (CAST(e.id AS TEXT) COLLATE "C")) FILTER (WHERE CASE WHEN e."timestamp" >= TIMESTAMP '2024-01-01 00:00:00.000' AND e."timestamp" < TIMESTAMP '2024-02-01 12:30:00.000' THEN e."path" END IS NOT NULL))[1] AS first_ct_first, -- ct_first
  min(CASE WHEN e."timestamp" >= TIMESTAMP '2024-01-01 00:00:00.000' AND e."timestamp" < TIMESTAMP '2024-02-01 12:30:00.000' AND e."path" IS NOT NULL THEN e."timestamp" END) AS first_ts_ct_first, -- ct_first
  (array_agg(e.id ORDER BY e."timestamp", (CAST(e.id AS TEXT) COLLATE "C")) FILTER (WHERE e."timestamp" >= TIMESTAMP '2024-01-01 00:00:00.000' AND e."timestamp" < TIMESTAMP '2024-02-01 12:30:00.000' AND e."path" IS NOT NULL))[1] AS first_id_ct_first -- ct_first
FROM "main"."page_viewed" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($1 AS TIMESTAMP)
  AND e.event_text = 'Page Viewed'
GROUP BY e.user_id;
ANALYZE pg_temp."_plan_page_viewed_users";

-- account features folded from the user features of the events of main.page_viewed
DROP TABLE IF EXISTS pg_temp."_plan_page_viewed_accounts";
CREATE TEMPORARY TABLE pg_temp."_plan_page_viewed_accounts" AS
SELECT
  au.group_id,
  (array_agg(f.first_ct_first ORDER BY f.first_ts_ct_first, (CAST(f.first_id_ct_first AS TEXT) COLLATE "C")) FILTER (WHERE f.first_ct_first IS NOT NULL))[1] AS first_ct_first -- ct_first
FROM pg_temp."_plan_page_viewed_users" AS f
JOIN pg_temp."_plan_account_users" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;
ANALYZE pg_temp."_plan_page_viewed_accounts";

-- computed_trait ct_first (account): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_ct_first";
CREATE TEMPORARY TABLE pg_temp."_run_ct_first" AS
SELECT group_id, first_ct_first AS "ct_first"
FROM pg_temp."_plan_page_viewed_accounts"
WHERE first_ct_first IS NOT NULL;
ANALYZE pg_temp."_run_ct_first";

-- account features that do not fold from user features (distinct values, scope: group_context): one pass over the events of main.feature_used joined with the memberships
DROP TABLE IF EXISTS pg_temp."_plan_feature_used_account_events";
CREATE TEMPORARY TABLE pg_temp."_plan_feature_used_account_events" AS
SELECT
  au.group_id,
  count(*) FILTER (WHERE e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '2 weeks' AND e."context_group_id" = au.group_id) AS n_ct_group_context, -- ct_group_context
  count(DISTINCT CASE WHEN e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '90 minutes' THEN (CAST(e."feature_name" AS TEXT) COLLATE "C") END) AS n_distinct_ct_unique_list_count -- ct_unique_list_count
FROM "main"."feature_used" AS e
JOIN pg_temp."_plan_account_users" AS au ON au.user_id = e.user_id
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($1 AS TIMESTAMP)
  AND e.event_text = 'Feature Used'
GROUP BY au.group_id;
ANALYZE pg_temp."_plan_feature_used_account_events";

-- computed_trait ct_group_context (account): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_ct_group_context";
CREATE TEMPORARY TABLE pg_temp."_run_ct_group_context" AS
SELECT group_id, n_ct_group_context AS "ct_group_context"
FROM pg_temp."_plan_feature_used_account_events"
WHERE n_ct_group_context > 0;
ANALYZE pg_temp."_run_ct_group_context";

-- computed_trait ct_most_frequent_account (account): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_ct_most_frequent_account";
CREATE TEMPORARY TABLE pg_temp."_run_ct_most_frequent_account" AS
WITH
value_counts AS (
  SELECT au.group_id, g.value, sum(g.n_ct_most_frequent) AS n
  FROM pg_temp."_plan_feature_used_values" AS g
  JOIN pg_temp."_plan_account_users" AS au ON au.user_id = g.user_id
  WHERE g.value IS NOT NULL AND g.n_ct_most_frequent > 0
  GROUP BY au.group_id, g.value
),
ranked_values AS (
  SELECT group_id, value,
    row_number() OVER (PARTITION BY group_id ORDER BY n DESC, (CAST(value AS TEXT) COLLATE "C")) AS rank
  FROM value_counts
  WHERE n >= 2
)
SELECT group_id, value AS "ct_most_frequent_account"
FROM ranked_values
WHERE rank = 1;
ANALYZE pg_temp."_run_ct_most_frequent_account";

-- computed_trait ct_unique_list_count (account): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_ct_unique_list_count";
CREATE TEMPORARY TABLE pg_temp."_run_ct_unique_list_count" AS
SELECT group_id, n_distinct_ct_unique_list_count AS "ct_unique_list_count"
FROM pg_temp."_plan_feature_used_account_events"
WHERE n_distinct_ct_unique_list_count > 0;
ANALYZE pg_temp."_run_ct_unique_list_count";

-- audience logic_all_any_not (user)
DROP TABLE IF EXISTS pg_temp."_run_logic_all_any_not";
CREATE TEMPORARY TABLE pg_temp."_run_logic_all_any_not" AS
SELECT entity.user_id
FROM pg_temp."_plan_user_traits" AS entity
LEFT JOIN pg_temp."_run_op_eq" AS entity_op_eq ON entity_op_eq.user_id = entity.user_id
LEFT JOIN pg_temp."_run_st_user" AS entity_st_user ON entity_st_user.user_id = entity.user_id
LEFT JOIN pg_temp."_run_ct_event_counter" AS entity_ct_event_counter ON entity_ct_event_counter.user_id = entity.user_id
WHERE ((COALESCE((CAST(entity.trait_role AS TEXT) COLLATE "C") = 'admin', FALSE)
  OR (entity.trait_st_user_lifetime IS NOT NULL))
  AND NOT (entity_op_eq.user_id IS NOT NULL)
  AND COALESCE(CASE WHEN length(CAST(entity_st_user."lifetime_value" AS TEXT)) <= 200 AND CAST(entity_st_user."lifetime_value" AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,2})?[ \t\n\r\f\v]*$' THEN CAST(CAST(entity_st_user."lifetime_value" AS TEXT) AS DOUBLE PRECISION) WHEN length(CAST(entity_st_user."lifetime_value" AS TEXT)) <= 1000 AND CAST(entity_st_user."lifetime_value" AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$' THEN CASE WHEN abs(CAST(CAST(entity_st_user."lifetime_value" AS TEXT) AS NUMERIC)) >= power(CAST(2 AS NUMERIC), 1024) - power(CAST(2 AS NUMERIC), 970) THEN NULL WHEN abs(CAST(CAST(entity_st_user."lifetime_value" AS TEXT) AS NUMERIC)) * power(CAST(2 AS NUMERIC), 1075) <= 1 THEN CAST(0 AS DOUBLE PRECISION) ELSE CAST(CAST(entity_st_user."lifetime_value" AS TEXT) AS DOUBLE PRECISION) END END >= 100, FALSE)
  AND COALESCE(COALESCE(entity_ct_event_counter."ct_event_counter", 0) >= 3, FALSE));
ANALYZE pg_temp."_run_logic_all_any_not";

-- audience op_list_contains (user)
DROP TABLE IF EXISTS pg_temp."_run_op_list_contains";
CREATE TEMPORARY TABLE pg_temp."_run_op_list_contains" AS
SELECT entity.user_id
FROM pg_temp."_run_ct_unique_list" AS entity
WHERE COALESCE(('api' = ANY(COALESCE(entity."ct_unique_list", CAST(ARRAY[] AS TEXT[])))), FALSE);
ANALYZE pg_temp."_run_op_list_contains";

-- audience op_list_eq (user)
DROP TABLE IF EXISTS pg_temp."_run_op_list_eq";
CREATE TEMPORARY TABLE pg_temp."_run_op_list_eq" AS
SELECT entity.user_id
FROM pg_temp."_run_ct_unique_list" AS entity
WHERE COALESCE(COALESCE(entity."ct_unique_list", CAST(ARRAY[] AS TEXT[])) = CAST(ARRAY['dashboards', 'reports'] AS TEXT[]), FALSE);
ANALYZE pg_temp."_run_op_list_eq";

-- sql_trait st_state (user): user SQL, shape-checked by the run
DROP TABLE IF EXISTS pg_temp."_run_st_state"
;
CREATE TEMPORARY TABLE pg_temp."_run_st_state" AS
SELECT user_id, ct_event_counter * 2 AS st_state FROM pg_temp."_run_ct_event_counter"
;
ANALYZE pg_temp."_run_st_state"
;

-- audience users_all (account)
DROP TABLE IF EXISTS pg_temp."_run_users_all";
CREATE TEMPORARY TABLE pg_temp."_run_users_all" AS
WITH
users_matching AS (
  SELECT au.group_id, bool_or(((COALESCE(au_feature_used_users.n_users_all, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS any_user, bool_and(((COALESCE(au_feature_used_users.n_users_all, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS all_users
  FROM pg_temp."_plan_account_users" AS au
  LEFT JOIN pg_temp."_plan_feature_used_users" AS au_feature_used_users ON au_feature_used_users.user_id = au.user_id
  LEFT JOIN pg_temp."_run_op_eq" AS au_op_eq ON au_op_eq.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM users_matching AS entity
WHERE COALESCE(entity.all_users, FALSE);
ANALYZE pg_temp."_run_users_all";

-- audience users_any (account)
DROP TABLE IF EXISTS pg_temp."_run_users_any";
CREATE TEMPORARY TABLE pg_temp."_run_users_any" AS
WITH
users_matching AS (
  SELECT au.group_id, bool_or(((COALESCE(au_feature_used_users.n_users_all, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS any_user, bool_and(((COALESCE(au_feature_used_users.n_users_all, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS all_users
  FROM pg_temp."_plan_account_users" AS au
  LEFT JOIN pg_temp."_plan_feature_used_users" AS au_feature_used_users ON au_feature_used_users.user_id = au.user_id
  LEFT JOIN pg_temp."_run_op_eq" AS au_op_eq ON au_op_eq.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM users_matching AS entity
WHERE COALESCE(entity.any_user, FALSE);
ANALYZE pg_temp."_run_users_any";

-- audience users_group_context (account)
DROP TABLE IF EXISTS pg_temp."_run_users_group_context";
CREATE TEMPORARY TABLE pg_temp."_run_users_group_context" AS
WITH
event_in_account_logged_in AS (
  SELECT e.user_id, e.context_group_id AS group_id, count(*) AS n
  FROM (
    SELECT e.id, e.user_id, e."timestamp", e."context_group_id" AS context_group_id
    FROM "main"."logged_in" AS e
    WHERE e.event_text = 'Logged In'
      AND CAST(e.user_id AS VARCHAR) <> ''
      AND e."timestamp" <= CAST($1 AS TIMESTAMP)
      AND e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '30 days'
  ) AS e
  WHERE e.context_group_id IS NOT NULL
  GROUP BY e.user_id, e.context_group_id
),
users_matching AS (
  SELECT au.group_id, bool_or(((COALESCE(au_event_in_account_logged_in.n, 0) >= 2)
    AND COALESCE((CAST(au_plan_user_traits.trait_role AS TEXT) COLLATE "C") = 'admin', FALSE))) AS any_user, bool_and(((COALESCE(au_event_in_account_logged_in.n, 0) >= 2)
    AND COALESCE((CAST(au_plan_user_traits.trait_role AS TEXT) COLLATE "C") = 'admin', FALSE))) AS all_users
  FROM pg_temp."_plan_account_users" AS au
  LEFT JOIN event_in_account_logged_in AS au_event_in_account_logged_in ON au_event_in_account_logged_in.user_id = au.user_id AND au_event_in_account_logged_in.group_id = au.group_id
  LEFT JOIN pg_temp."_plan_user_traits" AS au_plan_user_traits ON au_plan_user_traits.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM users_matching AS entity
WHERE COALESCE(entity.any_user, FALSE);
ANALYZE pg_temp."_run_users_group_context";

-- every account: group calls and account-level SQL traits
DROP TABLE IF EXISTS pg_temp."_plan_all_accounts";
CREATE TEMPORARY TABLE pg_temp."_plan_all_accounts" AS
SELECT group_id FROM "main"."groups" WHERE CAST(group_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
UNION
SELECT group_id FROM pg_temp."_run_st_account_members";
ANALYZE pg_temp."_plan_all_accounts";

-- audience users_none (account)
DROP TABLE IF EXISTS pg_temp."_run_users_none";
CREATE TEMPORARY TABLE pg_temp."_run_users_none" AS
WITH
users_matching AS (
  SELECT au.group_id, bool_or(((COALESCE(au_feature_used_users.n_users_all, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS any_user, bool_and(((COALESCE(au_feature_used_users.n_users_all, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS all_users
  FROM pg_temp."_plan_account_users" AS au
  LEFT JOIN pg_temp."_plan_feature_used_users" AS au_feature_used_users ON au_feature_used_users.user_id = au.user_id
  LEFT JOIN pg_temp."_run_op_eq" AS au_op_eq ON au_op_eq.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM pg_temp."_plan_all_accounts" AS entity
LEFT JOIN users_matching AS entity_users_matching ON entity_users_matching.group_id = entity.group_id
WHERE NOT COALESCE(entity_users_matching.any_user, FALSE);
ANALYZE pg_temp."_run_users_none";

-- the latest non-null value of each custom trait over group calls (SPEC 3)
DROP TABLE IF EXISTS pg_temp."_plan_account_traits";
CREATE TEMPORARY TABLE pg_temp."_plan_account_traits" AS
SELECT
  group_id,
  (array_agg("industry" ORDER BY "timestamp" DESC NULLS FIRST, (CAST(id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE "industry" IS NOT NULL))[1] AS trait_industry
FROM "main"."groups"
WHERE CAST(group_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
GROUP BY group_id;
ANALYZE pg_temp."_plan_account_traits";

-- audience acct_software (account)
DROP TABLE IF EXISTS pg_temp."_run_acct_software";
CREATE TEMPORARY TABLE pg_temp."_run_acct_software" AS
WITH
sql_st_account_members AS (
  SELECT DISTINCT group_id, "crm_tier"
  FROM pg_temp."_run_st_account_members"
)
SELECT entity.group_id
FROM pg_temp."_plan_account_traits" AS entity
LEFT JOIN pg_temp."_run_ct_event_counter_account" AS entity_ct_event_counter_account ON entity_ct_event_counter_account.group_id = entity.group_id
LEFT JOIN sql_st_account_members AS entity_st_account_members ON entity_st_account_members.group_id = entity.group_id
WHERE (COALESCE((CAST(entity.trait_industry AS TEXT) COLLATE "C") = 'Software', FALSE)
  AND COALESCE(COALESCE(entity_ct_event_counter_account."ct_event_counter_account", 0) < 10, FALSE)
  AND COALESCE((CAST(CASE WHEN pg_typeof(entity_st_account_members."crm_tier") IN (CAST('timestamp without time zone' AS REGTYPE), CAST('timestamp with time zone' AS REGTYPE), CAST('date' AS REGTYPE)) THEN to_char(CASE WHEN isfinite(CAST(CAST(entity_st_account_members."crm_tier" AS TEXT) AS TIMESTAMP WITH TIME ZONE)) AND extract(year FROM CAST(CAST(entity_st_account_members."crm_tier" AS TEXT) AS TIMESTAMP WITH TIME ZONE)) BETWEEN 1 AND 9999 THEN CAST(CAST(entity_st_account_members."crm_tier" AS TEXT) AS TIMESTAMP WITH TIME ZONE) END AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ELSE CAST(entity_st_account_members."crm_tier" AS TEXT) END AS TEXT) COLLATE "C") IN ('gold', 'silver'), FALSE));
ANALYZE pg_temp."_run_acct_software";

-- every user (SPEC 3): events, identify and group calls, SQL traits
DROP TABLE IF EXISTS pg_temp."_plan_all_users";
CREATE TEMPORARY TABLE pg_temp."_plan_all_users" AS
SELECT user_id FROM "main"."tracks" WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
UNION
SELECT user_id FROM "main"."identifies" WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
UNION
SELECT user_id FROM "main"."groups" WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
UNION
SELECT user_id FROM pg_temp."_run_st_account_members" WHERE CAST(user_id AS VARCHAR) <> ''
UNION
SELECT user_id FROM pg_temp."_run_st_state" WHERE CAST(user_id AS VARCHAR) <> ''
UNION
SELECT user_id FROM pg_temp."_run_st_user" WHERE CAST(user_id AS VARCHAR) <> '';
ANALYZE pg_temp."_plan_all_users";

-- audience aud_member_false (user)
DROP TABLE IF EXISTS pg_temp."_run_aud_member_false";
CREATE TEMPORARY TABLE pg_temp."_run_aud_member_false" AS
SELECT entity.user_id
FROM pg_temp."_plan_all_users" AS entity
LEFT JOIN pg_temp."_run_op_eq" AS entity_op_eq ON entity_op_eq.user_id = entity.user_id
WHERE (entity_op_eq.user_id IS NULL);
ANALYZE pg_temp."_run_aud_member_false";

-- audience count_eq (user)
DROP TABLE IF EXISTS pg_temp."_run_count_eq";
CREATE TEMPORARY TABLE pg_temp."_run_count_eq" AS
SELECT entity.user_id
FROM pg_temp."_plan_all_users" AS entity
LEFT JOIN pg_temp."_plan_logged_in_users" AS entity_logged_in_users ON entity_logged_in_users.user_id = entity.user_id
WHERE (COALESCE(entity_logged_in_users.n_count_gt, 0) = 0);
ANALYZE pg_temp."_run_count_eq";

-- audience count_lt (user)
DROP TABLE IF EXISTS pg_temp."_run_count_lt";
CREATE TEMPORARY TABLE pg_temp."_run_count_lt" AS
SELECT entity.user_id
FROM pg_temp."_plan_all_users" AS entity
LEFT JOIN pg_temp."_plan_logged_in_users" AS entity_logged_in_users ON entity_logged_in_users.user_id = entity.user_id
WHERE (COALESCE(entity_logged_in_users.n_count_gt, 0) < 2);
ANALYZE pg_temp."_run_count_lt";

-- audience count_lte (user)
DROP TABLE IF EXISTS pg_temp."_run_count_lte";
CREATE TEMPORARY TABLE pg_temp."_run_count_lte" AS
SELECT entity.user_id
FROM pg_temp."_plan_all_users" AS entity
LEFT JOIN pg_temp."_plan_logged_in_users" AS entity_logged_in_users ON entity_logged_in_users.user_id = entity.user_id
WHERE (COALESCE(entity_logged_in_users.n_count_gt, 0) <= 5);
ANALYZE pg_temp."_run_count_lte";

-- audience op_not_exists (user)
DROP TABLE IF EXISTS pg_temp."_run_op_not_exists";
CREATE TEMPORARY TABLE pg_temp."_run_op_not_exists" AS
SELECT entity.user_id
FROM pg_temp."_plan_all_users" AS entity
LEFT JOIN pg_temp."_plan_user_traits" AS entity_plan_user_traits ON entity_plan_user_traits.user_id = entity.user_id
WHERE (entity_plan_user_traits.trait_plan IS NULL);
ANALYZE pg_temp."_run_op_not_exists";

-- account features that do not fold from user features (distinct values, scope: group_context): one pass over the events of main.logged_in joined with the memberships
DROP TABLE IF EXISTS pg_temp."_plan_logged_in_account_events";
CREATE TEMPORARY TABLE pg_temp."_plan_logged_in_account_events" AS
SELECT
  au.group_id,
  count(*) FILTER (WHERE e."context_group_id" = au.group_id) AS n_acct_event_group_context -- acct_event_group_context
FROM "main"."logged_in" AS e
JOIN pg_temp."_plan_account_users" AS au ON au.user_id = e.user_id
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($1 AS TIMESTAMP)
  AND e.event_text = 'Logged In'
GROUP BY au.group_id;
ANALYZE pg_temp."_plan_logged_in_account_events";

-- audience acct_event_group_context (account)
DROP TABLE IF EXISTS pg_temp."_run_acct_event_group_context";
CREATE TEMPORARY TABLE pg_temp."_run_acct_event_group_context" AS
WITH
users_of_acct_software AS (
  SELECT DISTINCT au.user_id
  FROM pg_temp."_plan_account_users" AS au
  JOIN pg_temp."_run_acct_software" AS m ON m.group_id = au.group_id
),
users_matching AS (
  SELECT au.group_id, bool_or((au_users_of_acct_software.user_id IS NOT NULL)) AS any_user, bool_and((au_users_of_acct_software.user_id IS NOT NULL)) AS all_users
  FROM pg_temp."_plan_account_users" AS au
  LEFT JOIN users_of_acct_software AS au_users_of_acct_software ON au_users_of_acct_software.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM pg_temp."_plan_logged_in_account_events" AS entity
LEFT JOIN users_matching AS entity_users_matching ON entity_users_matching.group_id = entity.group_id
LEFT JOIN pg_temp."_run_acct_software" AS entity_acct_software ON entity_acct_software.group_id = entity.group_id
WHERE ((COALESCE(entity.n_acct_event_group_context, 0) >= 10)
  AND NOT COALESCE(entity_users_matching.any_user, FALSE)
  AND (entity_acct_software.group_id IS NULL));
ANALYZE pg_temp."_run_acct_event_group_context";

-- audience passthrough (user)
DROP TABLE IF EXISTS pg_temp."_run_passthrough";
CREATE TEMPORARY TABLE pg_temp."_run_passthrough" AS
WITH
users_of_acct_software AS (
  SELECT DISTINCT au.user_id
  FROM pg_temp."_plan_account_users" AS au
  JOIN pg_temp."_run_acct_software" AS m ON m.group_id = au.group_id
)
SELECT entity.user_id
FROM pg_temp."_plan_user_traits" AS entity
LEFT JOIN users_of_acct_software AS entity_users_of_acct_software ON entity_users_of_acct_software.user_id = entity.user_id
WHERE ((entity_users_of_acct_software.user_id IS NOT NULL)
  AND COALESCE((CAST(entity.trait_role AS TEXT) COLLATE "C") = 'admin', FALSE));
ANALYZE pg_temp."_run_passthrough";
