-- roster run plan corpus, duckdb: the whole run, sharing work between definitions.
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC, bound to each statement that names it
-- Each definition ends in its scratch table _run_<key>, with the rows its own file gives in a run.

-- user features: one pass over the events of main.logged_in
CREATE OR REPLACE TEMPORARY TABLE "_plan_logged_in_users" AS
SELECT
  e.user_id,
  count(*) FILTER (WHERE e."timestamp" > CAST($as_of AS TIMESTAMP) - INTERVAL 30 DAY) AS n_count_gt, -- count_eq, count_gt, count_gte, count_lt, count_lte, ct_event_counter
  count(*) FILTER (WHERE e."timestamp" > CAST($as_of AS TIMESTAMP) - INTERVAL 12 HOUR) AS n_ct_event_counter_account -- ct_event_counter_account
FROM "main"."logged_in" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
  AND e.event_text = 'Logged In'
GROUP BY e.user_id;

-- audience count_gt (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_count_gt" AS
SELECT entity.user_id
FROM temp.main."_plan_logged_in_users" AS entity
WHERE (COALESCE(entity.n_count_gt, 0) > 3);

-- audience count_gte (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_count_gte" AS
SELECT entity.user_id
FROM temp.main."_plan_logged_in_users" AS entity
WHERE (COALESCE(entity.n_count_gt, 0) >= 1);

-- user features: one pass over the events of main.order_completed
CREATE OR REPLACE TEMPORARY TABLE "_plan_order_completed_users" AS
SELECT
  e.user_id,
  sum(CASE WHEN typeof(e."total") IN ('DOUBLE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT') THEN CASE WHEN isfinite(TRY_CAST(e."total" AS DOUBLE)) THEN TRY_CAST(e."total" AS DOUBLE) END WHEN length(CAST(e."total" AS VARCHAR)) <= 1000 AND regexp_full_match(CAST(e."total" AS VARCHAR), '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$') AND isfinite(TRY_CAST(CAST(e."total" AS VARCHAR) AS DOUBLE)) THEN TRY_CAST(CAST(e."total" AS VARCHAR) AS DOUBLE) END) FILTER (WHERE COALESCE(CAST(e."currency" AS VARCHAR) IN ('USD', 'EUR'), FALSE)) / NULLIF(count(CASE WHEN typeof(e."total") IN ('DOUBLE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT') THEN CASE WHEN isfinite(TRY_CAST(e."total" AS DOUBLE)) THEN TRY_CAST(e."total" AS DOUBLE) END WHEN length(CAST(e."total" AS VARCHAR)) <= 1000 AND regexp_full_match(CAST(e."total" AS VARCHAR), '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$') AND isfinite(TRY_CAST(CAST(e."total" AS VARCHAR) AS DOUBLE)) THEN TRY_CAST(CAST(e."total" AS VARCHAR) AS DOUBLE) END) FILTER (WHERE COALESCE(CAST(e."currency" AS VARCHAR) IN ('USD', 'EUR'), FALSE)), 0) AS avg_ct_aggregation_avg, -- ct_aggregation_avg
  max(CASE WHEN typeof(e."total") IN ('DOUBLE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT') THEN CASE WHEN isfinite(TRY_CAST(e."total" AS DOUBLE)) THEN TRY_CAST(e."total" AS DOUBLE) END WHEN length(CAST(e."total" AS VARCHAR)) <= 1000 AND regexp_full_match(CAST(e."total" AS VARCHAR), '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$') AND isfinite(TRY_CAST(CAST(e."total" AS VARCHAR) AS DOUBLE)) THEN TRY_CAST(CAST(e."total" AS VARCHAR) AS DOUBLE) END) FILTER (WHERE COALESCE(CAST(e."currency" AS VARCHAR) IN ('USD', 'EUR'), FALSE)) AS max_ct_aggregation_max, -- ct_aggregation_max
  min(CASE WHEN typeof(e."total") IN ('DOUBLE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT') THEN CASE WHEN isfinite(TRY_CAST(e."total" AS DOUBLE)) THEN TRY_CAST(e."total" AS DOUBLE) END WHEN length(CAST(e."total" AS VARCHAR)) <= 1000 AND regexp_full_match(CAST(e."total" AS VARCHAR), '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$') AND isfinite(TRY_CAST(CAST(e."total" AS VARCHAR) AS DOUBLE)) THEN TRY_CAST(CAST(e."total" AS VARCHAR) AS DOUBLE) END) FILTER (WHERE COALESCE(CAST(e."currency" AS VARCHAR) IN ('USD', 'EUR'), FALSE)) AS min_ct_aggregation_min, -- ct_aggregation_min
  sum(CASE WHEN typeof(e."total") IN ('DOUBLE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT') THEN CASE WHEN isfinite(TRY_CAST(e."total" AS DOUBLE)) THEN TRY_CAST(e."total" AS DOUBLE) END WHEN length(CAST(e."total" AS VARCHAR)) <= 1000 AND regexp_full_match(CAST(e."total" AS VARCHAR), '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$') AND isfinite(TRY_CAST(CAST(e."total" AS VARCHAR) AS DOUBLE)) THEN TRY_CAST(CAST(e."total" AS VARCHAR) AS DOUBLE) END) FILTER (WHERE COALESCE(CAST(e."currency" AS VARCHAR) IN ('USD', 'EUR'), FALSE)) AS sum_ct_aggregation_sum -- ct_aggregation_sum
FROM "main"."order_completed" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
  AND e.event_text = 'Order Completed'
GROUP BY e.user_id;

-- computed_trait ct_aggregation_avg (user): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_ct_aggregation_avg" AS
SELECT user_id, list_transform([avg_ct_aggregation_avg], lambda round12_value: CASE WHEN isfinite(round12_value) AND round12_value <> 0 THEN list_transform([printf('%.14e', abs(round12_value))], lambda round12_digits: CAST(CASE WHEN round12_value < 0 THEN '-' ELSE '' END || CAST(CASE WHEN substr(round12_digits, 14, 3) = '500' AND abs(round12_value) < CAST(round12_digits AS DOUBLE) THEN trunc(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) ELSE round(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) END AS VARCHAR) || 'e' || split_part(round12_digits, 'e', 2) AS DOUBLE))[1] ELSE round12_value END)[1] AS "ct_aggregation_avg"
FROM temp.main."_plan_order_completed_users"
WHERE avg_ct_aggregation_avg IS NOT NULL AND CASE WHEN isinf(avg_ct_aggregation_avg) THEN error('value out of range: overflow') ELSE TRUE END;

-- computed_trait ct_aggregation_max (user): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_ct_aggregation_max" AS
SELECT user_id, list_transform([max_ct_aggregation_max], lambda round12_value: CASE WHEN isfinite(round12_value) AND round12_value <> 0 THEN list_transform([printf('%.14e', abs(round12_value))], lambda round12_digits: CAST(CASE WHEN round12_value < 0 THEN '-' ELSE '' END || CAST(CASE WHEN substr(round12_digits, 14, 3) = '500' AND abs(round12_value) < CAST(round12_digits AS DOUBLE) THEN trunc(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) ELSE round(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) END AS VARCHAR) || 'e' || split_part(round12_digits, 'e', 2) AS DOUBLE))[1] ELSE round12_value END)[1] AS "ct_aggregation_max"
FROM temp.main."_plan_order_completed_users"
WHERE max_ct_aggregation_max IS NOT NULL;

-- computed_trait ct_aggregation_min (user): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_ct_aggregation_min" AS
SELECT user_id, list_transform([min_ct_aggregation_min], lambda round12_value: CASE WHEN isfinite(round12_value) AND round12_value <> 0 THEN list_transform([printf('%.14e', abs(round12_value))], lambda round12_digits: CAST(CASE WHEN round12_value < 0 THEN '-' ELSE '' END || CAST(CASE WHEN substr(round12_digits, 14, 3) = '500' AND abs(round12_value) < CAST(round12_digits AS DOUBLE) THEN trunc(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) ELSE round(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) END AS VARCHAR) || 'e' || split_part(round12_digits, 'e', 2) AS DOUBLE))[1] ELSE round12_value END)[1] AS "ct_aggregation_min"
FROM temp.main."_plan_order_completed_users"
WHERE min_ct_aggregation_min IS NOT NULL;

-- computed_trait ct_event_counter (user): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_ct_event_counter" AS
SELECT user_id, n_count_gt AS "ct_event_counter"
FROM temp.main."_plan_logged_in_users"
WHERE n_count_gt > 0;

-- computed_trait ct_last (user): its own query over the events (does not fold into a feature)
CREATE OR REPLACE TEMPORARY TABLE "_run_ct_last" AS
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."timestamp", e."page_path" AS value
  FROM "main"."page_viewed" AS e
  WHERE e.event_text = 'Page Viewed'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
  UNION ALL
  SELECT e.id, e.user_id, e."timestamp", e."page_path" AS value
  FROM "main"."screen_viewed" AS e
  WHERE e.event_text = 'Screen Viewed'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
),
entity_values AS (
  SELECT e.user_id AS user_id, first(e.value ORDER BY e."timestamp" DESC NULLS FIRST, e.id DESC NULLS FIRST) FILTER (WHERE e.value IS NOT NULL) AS value
  FROM matching_events AS e
  GROUP BY e.user_id
)
SELECT user_id, value AS "ct_last"
FROM entity_values
WHERE value IS NOT NULL;

-- distinct values per user (the user features and most_frequent counts): one pass over the events of main.feature_used
CREATE OR REPLACE TEMPORARY TABLE "_plan_feature_used_values" AS
SELECT
  e.user_id,
  e."feature_name" AS value,
  CAST(e."feature_name" AS VARCHAR) AS value_text,
  count(*) FILTER (WHERE COALESCE(NOT contains(CAST(e."feature_name" AS VARCHAR), 'beta'), FALSE)) AS n_ct_unique_list, -- ct_unique_list
  count(*) FILTER (WHERE e."timestamp" > CAST($as_of AS TIMESTAMP) - INTERVAL 14 DAY AND COALESCE(CAST(e."feature_name" AS VARCHAR) = 'reports', FALSE)) AS n_users_all, -- users_all, users_any, users_none
  count(*) AS n_ct_most_frequent -- ct_most_frequent, ct_most_frequent_account
FROM "main"."feature_used" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
  AND e.event_text = 'Feature Used'
GROUP BY e.user_id, e."feature_name", CAST(e."feature_name" AS VARCHAR);

-- computed_trait ct_most_frequent (user): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_ct_most_frequent" AS
WITH
value_counts AS (
  SELECT user_id, value, sum(n_ct_most_frequent) AS n
  FROM temp.main."_plan_feature_used_values"
  WHERE value IS NOT NULL
  GROUP BY user_id, value
),
ranked_values AS (
  SELECT user_id, value,
    row_number() OVER (PARTITION BY user_id ORDER BY n DESC, CAST(value AS VARCHAR)) AS rank
  FROM value_counts
  WHERE n >= 3
)
SELECT user_id, value AS "ct_most_frequent"
FROM ranked_values
WHERE rank = 1;

-- user features folded from the distinct values per user of the events of main.feature_used
CREATE OR REPLACE TEMPORARY TABLE "_plan_feature_used_users" AS
SELECT
  g.user_id,
  list(CASE WHEN g.n_ct_unique_list > 0 THEN g.value_text END ORDER BY CASE WHEN g.n_ct_unique_list > 0 THEN g.value_text END) FILTER (WHERE CASE WHEN g.n_ct_unique_list > 0 THEN g.value_text END IS NOT NULL) AS list_ct_unique_list, -- ct_unique_list
  CAST(sum(g.n_users_all) AS BIGINT) AS n_users_all -- users_all, users_any, users_none
FROM temp.main."_plan_feature_used_values" AS g
GROUP BY g.user_id;

-- computed_trait ct_unique_list (user): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_ct_unique_list" AS
SELECT user_id, list_ct_unique_list AS "ct_unique_list"
FROM temp.main."_plan_feature_used_users"
WHERE list_ct_unique_list IS NOT NULL;

-- the latest non-null value of each custom trait over identify calls (SPEC 3)
CREATE OR REPLACE TEMPORARY TABLE "_plan_user_traits" AS
SELECT
  user_id,
  first("name" ORDER BY "timestamp" DESC NULLS FIRST, id DESC NULLS FIRST) FILTER (WHERE "name" IS NOT NULL) AS trait_name,
  first("plan" ORDER BY "timestamp" DESC NULLS FIRST, id DESC NULLS FIRST) FILTER (WHERE "plan" IS NOT NULL) AS trait_plan,
  first("role" ORDER BY "timestamp" DESC NULLS FIRST, id DESC NULLS FIRST) FILTER (WHERE "role" IS NOT NULL) AS trait_role,
  first("st_user_lifetime" ORDER BY "timestamp" DESC NULLS FIRST, id DESC NULLS FIRST) FILTER (WHERE "st_user_lifetime" IS NOT NULL) AS trait_st_user_lifetime
FROM "main"."identifies"
WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($as_of AS TIMESTAMP)
GROUP BY user_id;

-- user features: one pass over the events of main.it_s_quoted
CREATE OR REPLACE TEMPORARY TABLE "_plan_it_s_quoted_users" AS
SELECT
  e.user_id,
  count(*) FILTER (WHERE COALESCE(CAST(e."weird_prop_s" AS VARCHAR) = replace('line1~line2', '~', chr(10)), FALSE)) AS n_hostile_values -- hostile_values
FROM "main"."it_s_quoted" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
  AND e.event_text = 'It''s "quoted" 🚀'
GROUP BY e.user_id;

-- audience hostile_values (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_hostile_values" AS
WITH
candidates AS (
  SELECT user_id FROM temp.main."_plan_user_traits"
  UNION
  SELECT user_id FROM temp.main."_plan_it_s_quoted_users"
)
SELECT entity.user_id
FROM candidates AS entity
LEFT JOIN temp.main."_plan_user_traits" AS entity_plan_user_traits ON entity_plan_user_traits.user_id = entity.user_id
LEFT JOIN temp.main."_plan_it_s_quoted_users" AS entity_it_s_quoted_users ON entity_it_s_quoted_users.user_id = entity.user_id
WHERE (COALESCE(CAST(entity_plan_user_traits.trait_name AS VARCHAR) = 'O''Brien "Bobby"; DROP TABLE users; --', FALSE)
  OR COALESCE(starts_with(CAST(entity_plan_user_traits.trait_name AS VARCHAR), '/* not a comment */ \ back'), FALSE)
  OR (COALESCE(entity_it_s_quoted_users.n_hostile_values, 0) >= 1));

-- audience op_after (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_op_after" AS
SELECT entity.user_id
FROM temp.main."_plan_user_traits" AS entity
WHERE COALESCE(date_trunc('milliseconds', CASE WHEN typeof(entity.trait_plan) IN ('TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'TIMESTAMP WITH TIME ZONE', 'DATE') THEN CASE WHEN year(TRY_CAST(entity.trait_plan AS TIMESTAMP)) BETWEEN 1 AND 9999 THEN TRY_CAST(entity.trait_plan AS TIMESTAMP) END WHEN regexp_full_match(CAST(entity.trait_plan AS VARCHAR), '^((000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29)([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$') THEN CAST(TRY_CAST(regexp_replace(upper(CAST(entity.trait_plan AS VARCHAR)), '^(.{16})([Z+-])', '\1:00\2') AS TIMESTAMPTZ) AS TIMESTAMP) END) > TIMESTAMP '2024-01-01 08:00:00.000', FALSE);

-- audience op_before (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_op_before" AS
SELECT entity.user_id
FROM temp.main."_plan_user_traits" AS entity
WHERE COALESCE(date_trunc('milliseconds', CASE WHEN typeof(entity.trait_plan) IN ('TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'TIMESTAMP WITH TIME ZONE', 'DATE') THEN CASE WHEN year(TRY_CAST(entity.trait_plan AS TIMESTAMP)) BETWEEN 1 AND 9999 THEN TRY_CAST(entity.trait_plan AS TIMESTAMP) END WHEN regexp_full_match(CAST(entity.trait_plan AS VARCHAR), '^((000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29)([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$') THEN CAST(TRY_CAST(regexp_replace(upper(CAST(entity.trait_plan AS VARCHAR)), '^(.{16})([Z+-])', '\1:00\2') AS TIMESTAMPTZ) AS TIMESTAMP) END) < TIMESTAMP '2024-01-01 00:00:00.000', FALSE);

-- audience op_contains (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_op_contains" AS
SELECT entity.user_id
FROM temp.main."_plan_user_traits" AS entity
WHERE COALESCE(contains(CAST(entity.trait_plan AS VARCHAR), 'O''Brien'), FALSE);

-- audience op_ends_with (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_op_ends_with" AS
SELECT entity.user_id
FROM temp.main."_plan_user_traits" AS entity
WHERE COALESCE(ends_with(CAST(entity.trait_plan AS VARCHAR), ';'), FALSE);

-- audience op_eq (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_op_eq" AS
SELECT entity.user_id
FROM temp.main."_plan_user_traits" AS entity
WHERE COALESCE(CAST(entity.trait_plan AS VARCHAR) = 'pro', FALSE);

-- audience op_exists (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_op_exists" AS
SELECT entity.user_id
FROM temp.main."_plan_user_traits" AS entity
WHERE (entity.trait_plan IS NOT NULL);

-- audience op_gt (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_op_gt" AS
SELECT entity.user_id
FROM temp.main."_plan_user_traits" AS entity
WHERE COALESCE(CASE WHEN typeof(entity.trait_plan) IN ('DOUBLE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT') THEN CASE WHEN isfinite(TRY_CAST(entity.trait_plan AS DOUBLE)) THEN TRY_CAST(entity.trait_plan AS DOUBLE) END WHEN length(CAST(entity.trait_plan AS VARCHAR)) <= 1000 AND regexp_full_match(CAST(entity.trait_plan AS VARCHAR), '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$') AND isfinite(TRY_CAST(CAST(entity.trait_plan AS VARCHAR) AS DOUBLE)) THEN TRY_CAST(CAST(entity.trait_plan AS VARCHAR) AS DOUBLE) END > 10, FALSE);

-- audience op_gte (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_op_gte" AS
SELECT entity.user_id
FROM temp.main."_plan_user_traits" AS entity
WHERE COALESCE(CASE WHEN typeof(entity.trait_plan) IN ('DOUBLE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT') THEN CASE WHEN isfinite(TRY_CAST(entity.trait_plan AS DOUBLE)) THEN TRY_CAST(entity.trait_plan AS DOUBLE) END WHEN length(CAST(entity.trait_plan AS VARCHAR)) <= 1000 AND regexp_full_match(CAST(entity.trait_plan AS VARCHAR), '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$') AND isfinite(TRY_CAST(CAST(entity.trait_plan AS VARCHAR) AS DOUBLE)) THEN TRY_CAST(CAST(entity.trait_plan AS VARCHAR) AS DOUBLE) END >= CAST(2.5 AS DOUBLE), FALSE);

-- audience op_in (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_op_in" AS
SELECT entity.user_id
FROM temp.main."_plan_user_traits" AS entity
WHERE COALESCE(CAST(entity.trait_plan AS VARCHAR) IN ('a', 'bc'), FALSE);

-- audience op_lt (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_op_lt" AS
SELECT entity.user_id
FROM temp.main."_plan_user_traits" AS entity
WHERE COALESCE(CAST(entity.trait_plan AS VARCHAR) < 'm', FALSE);

-- audience op_lte (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_op_lte" AS
SELECT entity.user_id
FROM temp.main."_plan_user_traits" AS entity
WHERE COALESCE(CASE lower(CAST(entity.trait_plan AS VARCHAR)) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END <= TRUE, FALSE);

-- audience op_neq (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_op_neq" AS
SELECT entity.user_id
FROM temp.main."_plan_user_traits" AS entity
WHERE COALESCE(CAST(entity.trait_plan AS VARCHAR) <> 'pro', FALSE);

-- audience op_not_contains (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_op_not_contains" AS
SELECT entity.user_id
FROM temp.main."_plan_user_traits" AS entity
WHERE COALESCE(NOT contains(CAST(entity.trait_plan AS VARCHAR), '--'), FALSE);

-- audience op_not_in (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_op_not_in" AS
SELECT entity.user_id
FROM temp.main."_plan_user_traits" AS entity
WHERE COALESCE(CASE WHEN typeof(entity.trait_plan) IN ('DOUBLE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT') THEN CASE WHEN isfinite(TRY_CAST(entity.trait_plan AS DOUBLE)) THEN TRY_CAST(entity.trait_plan AS DOUBLE) END WHEN length(CAST(entity.trait_plan AS VARCHAR)) <= 1000 AND regexp_full_match(CAST(entity.trait_plan AS VARCHAR), '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$') AND isfinite(TRY_CAST(CAST(entity.trait_plan AS VARCHAR) AS DOUBLE)) THEN TRY_CAST(CAST(entity.trait_plan AS VARCHAR) AS DOUBLE) END NOT IN (1, 2), FALSE);

-- audience op_starts_with (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_op_starts_with" AS
SELECT entity.user_id
FROM temp.main."_plan_user_traits" AS entity
WHERE COALESCE(starts_with(CAST(entity.trait_plan AS VARCHAR), '/*'), FALSE);

-- audience op_within_last (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_op_within_last" AS
SELECT entity.user_id
FROM temp.main."_plan_user_traits" AS entity
WHERE COALESCE((date_trunc('milliseconds', CASE WHEN typeof(entity.trait_plan) IN ('TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'TIMESTAMP WITH TIME ZONE', 'DATE') THEN CASE WHEN year(TRY_CAST(entity.trait_plan AS TIMESTAMP)) BETWEEN 1 AND 9999 THEN TRY_CAST(entity.trait_plan AS TIMESTAMP) END WHEN regexp_full_match(CAST(entity.trait_plan AS VARCHAR), '^((000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29)([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$') THEN CAST(TRY_CAST(regexp_replace(upper(CAST(entity.trait_plan AS VARCHAR)), '^(.{16})([Z+-])', '\1:00\2') AS TIMESTAMPTZ) AS TIMESTAMP) END) > CAST($as_of AS TIMESTAMP) - INTERVAL 7 DAY AND date_trunc('milliseconds', CASE WHEN typeof(entity.trait_plan) IN ('TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'TIMESTAMP WITH TIME ZONE', 'DATE') THEN CASE WHEN year(TRY_CAST(entity.trait_plan AS TIMESTAMP)) BETWEEN 1 AND 9999 THEN TRY_CAST(entity.trait_plan AS TIMESTAMP) END WHEN regexp_full_match(CAST(entity.trait_plan AS VARCHAR), '^((000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29)([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$') THEN CAST(TRY_CAST(regexp_replace(upper(CAST(entity.trait_plan AS VARCHAR)), '^(.{16})([Z+-])', '\1:00\2') AS TIMESTAMPTZ) AS TIMESTAMP) END) <= CAST($as_of AS TIMESTAMP)), FALSE);

-- sql_trait st_account_members (account): user SQL, shape-checked by the run
CREATE OR REPLACE TEMPORARY TABLE "_run_st_account_members" AS
SELECT account_id AS group_id, contact_id AS user_id, tier AS crm_tier
FROM crm.contacts
;

-- sql_trait st_user (user): user SQL, shape-checked by the run
CREATE OR REPLACE TEMPORARY TABLE "_run_st_user" AS
SELECT user_id, count(*) AS lifetime_orders, sum(total) AS lifetime_value
FROM "main"."order_completed"
WHERE "timestamp" <= CAST($as_of AS TIMESTAMP) AND user_id IS NOT NULL
GROUP BY user_id
;

-- the users of each account: group calls and associating SQL traits
CREATE OR REPLACE TEMPORARY TABLE "_plan_account_users" AS
SELECT group_id, user_id FROM "main"."groups"
WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($as_of AS TIMESTAMP)
UNION
SELECT group_id, user_id FROM temp.main."_run_st_account_members" WHERE CAST(user_id AS VARCHAR) <> '';

-- account features folded from the user features of the events of main.order_completed
CREATE OR REPLACE TEMPORARY TABLE "_plan_order_completed_accounts" AS
SELECT
  au.group_id,
  sum(f.sum_ct_aggregation_sum) AS sum_ct_aggregation_sum -- ct_aggregation_sum
FROM temp.main."_plan_order_completed_users" AS f
JOIN temp.main."_plan_account_users" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;

-- computed_trait ct_aggregation_sum (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_ct_aggregation_sum" AS
SELECT group_id, list_transform([sum_ct_aggregation_sum], lambda round12_value: CASE WHEN isfinite(round12_value) AND round12_value <> 0 THEN list_transform([printf('%.14e', abs(round12_value))], lambda round12_digits: CAST(CASE WHEN round12_value < 0 THEN '-' ELSE '' END || CAST(CASE WHEN substr(round12_digits, 14, 3) = '500' AND abs(round12_value) < CAST(round12_digits AS DOUBLE) THEN trunc(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) ELSE round(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) END AS VARCHAR) || 'e' || split_part(round12_digits, 'e', 2) AS DOUBLE))[1] ELSE round12_value END)[1] AS "ct_aggregation_sum"
FROM temp.main."_plan_order_completed_accounts"
WHERE sum_ct_aggregation_sum IS NOT NULL AND CASE WHEN isinf(sum_ct_aggregation_sum) THEN error('value out of range: overflow') ELSE TRUE END;

-- account features folded from the user features of the events of main.logged_in
CREATE OR REPLACE TEMPORARY TABLE "_plan_logged_in_accounts" AS
SELECT
  au.group_id,
  CAST(sum(f.n_ct_event_counter_account) AS BIGINT) AS count_ct_event_counter_account -- ct_event_counter_account
FROM temp.main."_plan_logged_in_users" AS f
JOIN temp.main."_plan_account_users" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;

-- computed_trait ct_event_counter_account (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_ct_event_counter_account" AS
SELECT group_id, count_ct_event_counter_account AS "ct_event_counter_account"
FROM temp.main."_plan_logged_in_accounts"
WHERE count_ct_event_counter_account > 0;

-- user features: one pass over the events of main.page_viewed
CREATE OR REPLACE TEMPORARY TABLE "_plan_page_viewed_users" AS
SELECT
  e.user_id,
  first(CASE WHEN e."timestamp" >= TIMESTAMP '2024-01-01 00:00:00.000' AND e."timestamp" < TIMESTAMP '2024-02-01 12:30:00.000' THEN e."path" END ORDER BY e."timestamp", e.id) FILTER (WHERE CASE WHEN e."timestamp" >= TIMESTAMP '2024-01-01 00:00:00.000' AND e."timestamp" < TIMESTAMP '2024-02-01 12:30:00.000' THEN e."path" END IS NOT NULL) AS first_ct_first, -- ct_first
  min(CASE WHEN e."timestamp" >= TIMESTAMP '2024-01-01 00:00:00.000' AND e."timestamp" < TIMESTAMP '2024-02-01 12:30:00.000' AND e."path" IS NOT NULL THEN e."timestamp" END) AS first_ts_ct_first, -- ct_first
  first(e.id ORDER BY e."timestamp", e.id) FILTER (WHERE e."timestamp" >= TIMESTAMP '2024-01-01 00:00:00.000' AND e."timestamp" < TIMESTAMP '2024-02-01 12:30:00.000' AND e."path" IS NOT NULL) AS first_id_ct_first -- ct_first
FROM "main"."page_viewed" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
  AND e.event_text = 'Page Viewed'
GROUP BY e.user_id;

-- account features folded from the user features of the events of main.page_viewed
CREATE OR REPLACE TEMPORARY TABLE "_plan_page_viewed_accounts" AS
SELECT
  au.group_id,
  first(f.first_ct_first ORDER BY f.first_ts_ct_first, f.first_id_ct_first) FILTER (WHERE f.first_ct_first IS NOT NULL) AS first_ct_first -- ct_first
FROM temp.main."_plan_page_viewed_users" AS f
JOIN temp.main."_plan_account_users" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;

-- computed_trait ct_first (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_ct_first" AS
SELECT group_id, first_ct_first AS "ct_first"
FROM temp.main."_plan_page_viewed_accounts"
WHERE first_ct_first IS NOT NULL;

-- account features that do not fold from user features (distinct values, scope: group_context): one pass over the events of main.feature_used joined with the memberships
CREATE OR REPLACE TEMPORARY TABLE "_plan_feature_used_account_events" AS
SELECT
  au.group_id,
  count(*) FILTER (WHERE e."timestamp" > CAST($as_of AS TIMESTAMP) - INTERVAL 2 WEEK AND e."context_group_id" = au.group_id) AS n_ct_group_context, -- ct_group_context
  count(DISTINCT CASE WHEN e."timestamp" > CAST($as_of AS TIMESTAMP) - INTERVAL 90 MINUTE THEN CAST(e."feature_name" AS VARCHAR) END) AS n_distinct_ct_unique_list_count -- ct_unique_list_count
FROM "main"."feature_used" AS e
JOIN temp.main."_plan_account_users" AS au ON au.user_id = e.user_id
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
  AND e.event_text = 'Feature Used'
GROUP BY au.group_id;

-- computed_trait ct_group_context (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_ct_group_context" AS
SELECT group_id, n_ct_group_context AS "ct_group_context"
FROM temp.main."_plan_feature_used_account_events"
WHERE n_ct_group_context > 0;

-- computed_trait ct_most_frequent_account (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_ct_most_frequent_account" AS
WITH
value_counts AS (
  SELECT au.group_id, g.value, sum(g.n_ct_most_frequent) AS n
  FROM temp.main."_plan_feature_used_values" AS g
  JOIN temp.main."_plan_account_users" AS au ON au.user_id = g.user_id
  WHERE g.value IS NOT NULL AND g.n_ct_most_frequent > 0
  GROUP BY au.group_id, g.value
),
ranked_values AS (
  SELECT group_id, value,
    row_number() OVER (PARTITION BY group_id ORDER BY n DESC, CAST(value AS VARCHAR)) AS rank
  FROM value_counts
  WHERE n >= 2
)
SELECT group_id, value AS "ct_most_frequent_account"
FROM ranked_values
WHERE rank = 1;

-- computed_trait ct_unique_list_count (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_ct_unique_list_count" AS
SELECT group_id, n_distinct_ct_unique_list_count AS "ct_unique_list_count"
FROM temp.main."_plan_feature_used_account_events"
WHERE n_distinct_ct_unique_list_count > 0;

-- audience logic_all_any_not (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_logic_all_any_not" AS
SELECT entity.user_id
FROM temp.main."_plan_user_traits" AS entity
LEFT JOIN temp.main."_run_op_eq" AS entity_op_eq ON entity_op_eq.user_id = entity.user_id
LEFT JOIN temp.main."_run_st_user" AS entity_st_user ON entity_st_user.user_id = entity.user_id
LEFT JOIN temp.main."_run_ct_event_counter" AS entity_ct_event_counter ON entity_ct_event_counter.user_id = entity.user_id
WHERE ((COALESCE(CAST(entity.trait_role AS VARCHAR) = 'admin', FALSE)
  OR (entity.trait_st_user_lifetime IS NOT NULL))
  AND NOT (entity_op_eq.user_id IS NOT NULL)
  AND COALESCE(CASE WHEN typeof(entity_st_user."lifetime_value") IN ('DOUBLE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT') THEN CASE WHEN isfinite(TRY_CAST(entity_st_user."lifetime_value" AS DOUBLE)) THEN TRY_CAST(entity_st_user."lifetime_value" AS DOUBLE) END WHEN length(CAST(entity_st_user."lifetime_value" AS VARCHAR)) <= 1000 AND regexp_full_match(CAST(entity_st_user."lifetime_value" AS VARCHAR), '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$') AND isfinite(TRY_CAST(CAST(entity_st_user."lifetime_value" AS VARCHAR) AS DOUBLE)) THEN TRY_CAST(CAST(entity_st_user."lifetime_value" AS VARCHAR) AS DOUBLE) END >= 100, FALSE)
  AND COALESCE(COALESCE(entity_ct_event_counter."ct_event_counter", 0) >= 3, FALSE));

-- audience op_list_contains (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_op_list_contains" AS
SELECT entity.user_id
FROM temp.main."_run_ct_unique_list" AS entity
WHERE COALESCE(list_contains(COALESCE(entity."ct_unique_list", CAST([] AS VARCHAR[])), 'api'), FALSE);

-- audience op_list_eq (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_op_list_eq" AS
SELECT entity.user_id
FROM temp.main."_run_ct_unique_list" AS entity
WHERE COALESCE(COALESCE(entity."ct_unique_list", CAST([] AS VARCHAR[])) = ['dashboards', 'reports'], FALSE);

-- sql_trait st_state (user): user SQL, shape-checked by the run
CREATE OR REPLACE TEMPORARY TABLE "_run_st_state" AS
SELECT user_id, ct_event_counter * 2 AS st_state FROM temp.main."_run_ct_event_counter"
;

-- audience users_all (account)
CREATE OR REPLACE TEMPORARY TABLE "_run_users_all" AS
WITH
users_matching AS (
  SELECT au.group_id, bool_or(((COALESCE(au_feature_used_users.n_users_all, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS any_user, bool_and(((COALESCE(au_feature_used_users.n_users_all, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS all_users
  FROM temp.main."_plan_account_users" AS au
  LEFT JOIN temp.main."_plan_feature_used_users" AS au_feature_used_users ON au_feature_used_users.user_id = au.user_id
  LEFT JOIN temp.main."_run_op_eq" AS au_op_eq ON au_op_eq.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM users_matching AS entity
WHERE COALESCE(entity.all_users, FALSE);

-- audience users_any (account)
CREATE OR REPLACE TEMPORARY TABLE "_run_users_any" AS
WITH
users_matching AS (
  SELECT au.group_id, bool_or(((COALESCE(au_feature_used_users.n_users_all, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS any_user, bool_and(((COALESCE(au_feature_used_users.n_users_all, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS all_users
  FROM temp.main."_plan_account_users" AS au
  LEFT JOIN temp.main."_plan_feature_used_users" AS au_feature_used_users ON au_feature_used_users.user_id = au.user_id
  LEFT JOIN temp.main."_run_op_eq" AS au_op_eq ON au_op_eq.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM users_matching AS entity
WHERE COALESCE(entity.any_user, FALSE);

-- audience users_group_context (account)
CREATE OR REPLACE TEMPORARY TABLE "_run_users_group_context" AS
WITH
event_in_account_logged_in AS (
  SELECT e.user_id, e.context_group_id AS group_id, count(*) AS n
  FROM (
    SELECT e.id, e.user_id, e."timestamp", e."context_group_id" AS context_group_id
    FROM "main"."logged_in" AS e
    WHERE e.event_text = 'Logged In'
      AND CAST(e.user_id AS VARCHAR) <> ''
      AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
      AND e."timestamp" > CAST($as_of AS TIMESTAMP) - INTERVAL 30 DAY
  ) AS e
  WHERE e.context_group_id IS NOT NULL
  GROUP BY e.user_id, e.context_group_id
),
users_matching AS (
  SELECT au.group_id, bool_or(((COALESCE(au_event_in_account_logged_in.n, 0) >= 2)
    AND COALESCE(CAST(au_plan_user_traits.trait_role AS VARCHAR) = 'admin', FALSE))) AS any_user, bool_and(((COALESCE(au_event_in_account_logged_in.n, 0) >= 2)
    AND COALESCE(CAST(au_plan_user_traits.trait_role AS VARCHAR) = 'admin', FALSE))) AS all_users
  FROM temp.main."_plan_account_users" AS au
  LEFT JOIN event_in_account_logged_in AS au_event_in_account_logged_in ON au_event_in_account_logged_in.user_id = au.user_id AND au_event_in_account_logged_in.group_id = au.group_id
  LEFT JOIN temp.main."_plan_user_traits" AS au_plan_user_traits ON au_plan_user_traits.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM users_matching AS entity
WHERE COALESCE(entity.any_user, FALSE);

-- every account: group calls and account-level SQL traits
CREATE OR REPLACE TEMPORARY TABLE "_plan_all_accounts" AS
SELECT group_id FROM "main"."groups" WHERE CAST(group_id AS VARCHAR) <> '' AND "timestamp" <= CAST($as_of AS TIMESTAMP)
UNION
SELECT group_id FROM temp.main."_run_st_account_members";

-- audience users_none (account)
CREATE OR REPLACE TEMPORARY TABLE "_run_users_none" AS
WITH
users_matching AS (
  SELECT au.group_id, bool_or(((COALESCE(au_feature_used_users.n_users_all, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS any_user, bool_and(((COALESCE(au_feature_used_users.n_users_all, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS all_users
  FROM temp.main."_plan_account_users" AS au
  LEFT JOIN temp.main."_plan_feature_used_users" AS au_feature_used_users ON au_feature_used_users.user_id = au.user_id
  LEFT JOIN temp.main."_run_op_eq" AS au_op_eq ON au_op_eq.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM temp.main."_plan_all_accounts" AS entity
LEFT JOIN users_matching AS entity_users_matching ON entity_users_matching.group_id = entity.group_id
WHERE NOT COALESCE(entity_users_matching.any_user, FALSE);

-- the latest non-null value of each custom trait over group calls (SPEC 3)
CREATE OR REPLACE TEMPORARY TABLE "_plan_account_traits" AS
SELECT
  group_id,
  first("industry" ORDER BY "timestamp" DESC NULLS FIRST, id DESC NULLS FIRST) FILTER (WHERE "industry" IS NOT NULL) AS trait_industry
FROM "main"."groups"
WHERE CAST(group_id AS VARCHAR) <> '' AND "timestamp" <= CAST($as_of AS TIMESTAMP)
GROUP BY group_id;

-- audience acct_software (account)
CREATE OR REPLACE TEMPORARY TABLE "_run_acct_software" AS
WITH
sql_st_account_members AS (
  SELECT DISTINCT group_id, "crm_tier"
  FROM temp.main."_run_st_account_members"
)
SELECT entity.group_id
FROM temp.main."_plan_account_traits" AS entity
LEFT JOIN temp.main."_run_ct_event_counter_account" AS entity_ct_event_counter_account ON entity_ct_event_counter_account.group_id = entity.group_id
LEFT JOIN sql_st_account_members AS entity_st_account_members ON entity_st_account_members.group_id = entity.group_id
WHERE (COALESCE(CAST(entity.trait_industry AS VARCHAR) = 'Software', FALSE)
  AND COALESCE(COALESCE(entity_ct_event_counter_account."ct_event_counter_account", 0) < 10, FALSE)
  AND COALESCE(CAST(CASE WHEN typeof(entity_st_account_members."crm_tier") IN ('DOUBLE', 'FLOAT') THEN regexp_replace(CAST(entity_st_account_members."crm_tier" AS VARCHAR), '\.0$', '') WHEN typeof(entity_st_account_members."crm_tier") LIKE 'TIMESTAMP%' OR typeof(entity_st_account_members."crm_tier") = 'DATE' THEN strftime(CAST(CASE WHEN isfinite(TRY_CAST(CAST(entity_st_account_members."crm_tier" AS VARCHAR) AS TIMESTAMPTZ)) AND year(TRY_CAST(CAST(entity_st_account_members."crm_tier" AS VARCHAR) AS TIMESTAMPTZ)) BETWEEN 1 AND 9999 THEN TRY_CAST(CAST(entity_st_account_members."crm_tier" AS VARCHAR) AS TIMESTAMPTZ) END AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ') ELSE CAST(entity_st_account_members."crm_tier" AS VARCHAR) END AS VARCHAR) IN ('gold', 'silver'), FALSE));

-- every user (SPEC 3): events, identify and group calls, SQL traits
CREATE OR REPLACE TEMPORARY TABLE "_plan_all_users" AS
SELECT user_id FROM "main"."tracks" WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($as_of AS TIMESTAMP)
UNION
SELECT user_id FROM "main"."identifies" WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($as_of AS TIMESTAMP)
UNION
SELECT user_id FROM "main"."groups" WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($as_of AS TIMESTAMP)
UNION
SELECT user_id FROM temp.main."_run_st_account_members" WHERE CAST(user_id AS VARCHAR) <> ''
UNION
SELECT user_id FROM temp.main."_run_st_state" WHERE CAST(user_id AS VARCHAR) <> ''
UNION
SELECT user_id FROM temp.main."_run_st_user" WHERE CAST(user_id AS VARCHAR) <> '';

-- audience aud_member_false (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_aud_member_false" AS
SELECT entity.user_id
FROM temp.main."_plan_all_users" AS entity
LEFT JOIN temp.main."_run_op_eq" AS entity_op_eq ON entity_op_eq.user_id = entity.user_id
WHERE (entity_op_eq.user_id IS NULL);

-- audience count_eq (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_count_eq" AS
SELECT entity.user_id
FROM temp.main."_plan_all_users" AS entity
LEFT JOIN temp.main."_plan_logged_in_users" AS entity_logged_in_users ON entity_logged_in_users.user_id = entity.user_id
WHERE (COALESCE(entity_logged_in_users.n_count_gt, 0) = 0);

-- audience count_lt (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_count_lt" AS
SELECT entity.user_id
FROM temp.main."_plan_all_users" AS entity
LEFT JOIN temp.main."_plan_logged_in_users" AS entity_logged_in_users ON entity_logged_in_users.user_id = entity.user_id
WHERE (COALESCE(entity_logged_in_users.n_count_gt, 0) < 2);

-- audience count_lte (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_count_lte" AS
SELECT entity.user_id
FROM temp.main."_plan_all_users" AS entity
LEFT JOIN temp.main."_plan_logged_in_users" AS entity_logged_in_users ON entity_logged_in_users.user_id = entity.user_id
WHERE (COALESCE(entity_logged_in_users.n_count_gt, 0) <= 5);

-- audience op_not_exists (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_op_not_exists" AS
SELECT entity.user_id
FROM temp.main."_plan_all_users" AS entity
LEFT JOIN temp.main."_plan_user_traits" AS entity_plan_user_traits ON entity_plan_user_traits.user_id = entity.user_id
WHERE (entity_plan_user_traits.trait_plan IS NULL);

-- account features that do not fold from user features (distinct values, scope: group_context): one pass over the events of main.logged_in joined with the memberships
CREATE OR REPLACE TEMPORARY TABLE "_plan_logged_in_account_events" AS
SELECT
  au.group_id,
  count(*) FILTER (WHERE e."context_group_id" = au.group_id) AS n_acct_event_group_context -- acct_event_group_context
FROM "main"."logged_in" AS e
JOIN temp.main."_plan_account_users" AS au ON au.user_id = e.user_id
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
  AND e.event_text = 'Logged In'
GROUP BY au.group_id;

-- audience acct_event_group_context (account)
CREATE OR REPLACE TEMPORARY TABLE "_run_acct_event_group_context" AS
WITH
users_of_acct_software AS (
  SELECT DISTINCT au.user_id
  FROM temp.main."_plan_account_users" AS au
  JOIN temp.main."_run_acct_software" AS m ON m.group_id = au.group_id
),
users_matching AS (
  SELECT au.group_id, bool_or((au_users_of_acct_software.user_id IS NOT NULL)) AS any_user, bool_and((au_users_of_acct_software.user_id IS NOT NULL)) AS all_users
  FROM temp.main."_plan_account_users" AS au
  LEFT JOIN users_of_acct_software AS au_users_of_acct_software ON au_users_of_acct_software.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM temp.main."_plan_logged_in_account_events" AS entity
LEFT JOIN users_matching AS entity_users_matching ON entity_users_matching.group_id = entity.group_id
LEFT JOIN temp.main."_run_acct_software" AS entity_acct_software ON entity_acct_software.group_id = entity.group_id
WHERE ((COALESCE(entity.n_acct_event_group_context, 0) >= 10)
  AND NOT COALESCE(entity_users_matching.any_user, FALSE)
  AND (entity_acct_software.group_id IS NULL));

-- audience passthrough (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_passthrough" AS
WITH
users_of_acct_software AS (
  SELECT DISTINCT au.user_id
  FROM temp.main."_plan_account_users" AS au
  JOIN temp.main."_run_acct_software" AS m ON m.group_id = au.group_id
)
SELECT entity.user_id
FROM temp.main."_plan_user_traits" AS entity
LEFT JOIN users_of_acct_software AS entity_users_of_acct_software ON entity_users_of_acct_software.user_id = entity.user_id
WHERE ((entity_users_of_acct_software.user_id IS NOT NULL)
  AND COALESCE(CAST(entity.trait_role AS VARCHAR) = 'admin', FALSE));
