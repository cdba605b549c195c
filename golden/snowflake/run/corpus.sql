-- roster run plan corpus, snowflake: the whole run, sharing work between definitions.
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC, bound to each statement that names it
-- Each definition ends in its scratch table _run_<key>, with the rows its own file gives in a run.

-- user features: one pass over the events of main.logged_in
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_LOGGED_IN_USERS" AS
SELECT
  e.user_id,
  COUNT_IF(e."TIMESTAMP" > DATEADD(day, -30, CAST(:1 AS TIMESTAMP_NTZ))) AS n_count_gt, -- count_eq, count_gt, count_gte, count_lt, count_lte, ct_event_counter
  COUNT_IF(e."TIMESTAMP" > DATEADD(hour, -12, CAST(:1 AS TIMESTAMP_NTZ))) AS n_ct_event_counter_account -- ct_event_counter_account
FROM "MAIN"."LOGGED_IN" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  AND e.event_text = 'Logged In'
GROUP BY e.user_id;

-- audience count_gt (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_COUNT_GT" AS
SELECT entity.user_id
FROM "_PLAN_LOGGED_IN_USERS" AS entity
WHERE (COALESCE(entity.n_count_gt, 0) > 3);

-- audience count_gte (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_COUNT_GTE" AS
SELECT entity.user_id
FROM "_PLAN_LOGGED_IN_USERS" AS entity
WHERE (COALESCE(entity.n_count_gt, 0) >= 1);

-- user features: one pass over the events of main.order_completed
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_ORDER_COMPLETED_USERS" AS
SELECT
  e.user_id,
  sum(IFF(COALESCE(CAST(e."CURRENCY" AS VARCHAR) IN ('USD', 'EUR'), FALSE), CASE WHEN LENGTH(CAST(e."TOTAL" AS VARCHAR)) <= 1000 AND REGEXP_LIKE(CAST(e."TOTAL" AS VARCHAR), '^[ \\t\\n\\r\\f\\v]*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \\t\\n\\r\\f\\v]*$') AND ABS(TRY_CAST(CAST(e."TOTAL" AS VARCHAR) AS DOUBLE)) < CAST('inf' AS DOUBLE) THEN TRY_CAST(CAST(e."TOTAL" AS VARCHAR) AS DOUBLE) END, NULL)) / NULLIF(count(IFF(COALESCE(CAST(e."CURRENCY" AS VARCHAR) IN ('USD', 'EUR'), FALSE), CASE WHEN LENGTH(CAST(e."TOTAL" AS VARCHAR)) <= 1000 AND REGEXP_LIKE(CAST(e."TOTAL" AS VARCHAR), '^[ \\t\\n\\r\\f\\v]*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \\t\\n\\r\\f\\v]*$') AND ABS(TRY_CAST(CAST(e."TOTAL" AS VARCHAR) AS DOUBLE)) < CAST('inf' AS DOUBLE) THEN TRY_CAST(CAST(e."TOTAL" AS VARCHAR) AS DOUBLE) END, NULL)), 0) AS avg_ct_aggregation_avg, -- ct_aggregation_avg
  max(IFF(COALESCE(CAST(e."CURRENCY" AS VARCHAR) IN ('USD', 'EUR'), FALSE), CASE WHEN LENGTH(CAST(e."TOTAL" AS VARCHAR)) <= 1000 AND REGEXP_LIKE(CAST(e."TOTAL" AS VARCHAR), '^[ \\t\\n\\r\\f\\v]*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \\t\\n\\r\\f\\v]*$') AND ABS(TRY_CAST(CAST(e."TOTAL" AS VARCHAR) AS DOUBLE)) < CAST('inf' AS DOUBLE) THEN TRY_CAST(CAST(e."TOTAL" AS VARCHAR) AS DOUBLE) END, NULL)) AS max_ct_aggregation_max, -- ct_aggregation_max
  min(IFF(COALESCE(CAST(e."CURRENCY" AS VARCHAR) IN ('USD', 'EUR'), FALSE), CASE WHEN LENGTH(CAST(e."TOTAL" AS VARCHAR)) <= 1000 AND REGEXP_LIKE(CAST(e."TOTAL" AS VARCHAR), '^[ \\t\\n\\r\\f\\v]*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \\t\\n\\r\\f\\v]*$') AND ABS(TRY_CAST(CAST(e."TOTAL" AS VARCHAR) AS DOUBLE)) < CAST('inf' AS DOUBLE) THEN TRY_CAST(CAST(e."TOTAL" AS VARCHAR) AS DOUBLE) END, NULL)) AS min_ct_aggregation_min, -- ct_aggregation_min
  sum(IFF(COALESCE(CAST(e."CURRENCY" AS VARCHAR) IN ('USD', 'EUR'), FALSE), CASE WHEN LENGTH(CAST(e."TOTAL" AS VARCHAR)) <= 1000 AND REGEXP_LIKE(CAST(e."TOTAL" AS VARCHAR), '^[ \\t\\n\\r\\f\\v]*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \\t\\n\\r\\f\\v]*$') AND ABS(TRY_CAST(CAST(e."TOTAL" AS VARCHAR) AS DOUBLE)) < CAST('inf' AS DOUBLE) THEN TRY_CAST(CAST(e."TOTAL" AS VARCHAR) AS DOUBLE) END, NULL)) AS sum_ct_aggregation_sum -- ct_aggregation_sum
FROM "MAIN"."ORDER_COMPLETED" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  AND e.event_text = 'Order Completed'
GROUP BY e.user_id;

-- computed_trait ct_aggregation_avg (user): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_CT_AGGREGATION_AVG" AS
SELECT user_id, CASE WHEN avg_ct_aggregation_avg IS NULL OR avg_ct_aggregation_avg = 0 THEN avg_ct_aggregation_avg ELSE ROUND(avg_ct_aggregation_avg, 11 - FLOOR(LOG(10, ABS(avg_ct_aggregation_avg)))) END AS "CT_AGGREGATION_AVG"
FROM "_PLAN_ORDER_COMPLETED_USERS"
WHERE avg_ct_aggregation_avg IS NOT NULL;

-- computed_trait ct_aggregation_max (user): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_CT_AGGREGATION_MAX" AS
SELECT user_id, CASE WHEN max_ct_aggregation_max IS NULL OR max_ct_aggregation_max = 0 THEN max_ct_aggregation_max ELSE ROUND(max_ct_aggregation_max, 11 - FLOOR(LOG(10, ABS(max_ct_aggregation_max)))) END AS "CT_AGGREGATION_MAX"
FROM "_PLAN_ORDER_COMPLETED_USERS"
WHERE max_ct_aggregation_max IS NOT NULL;

-- computed_trait ct_aggregation_min (user): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_CT_AGGREGATION_MIN" AS
SELECT user_id, CASE WHEN min_ct_aggregation_min IS NULL OR min_ct_aggregation_min = 0 THEN min_ct_aggregation_min ELSE ROUND(min_ct_aggregation_min, 11 - FLOOR(LOG(10, ABS(min_ct_aggregation_min)))) END AS "CT_AGGREGATION_MIN"
FROM "_PLAN_ORDER_COMPLETED_USERS"
WHERE min_ct_aggregation_min IS NOT NULL;

-- computed_trait ct_event_counter (user): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_CT_EVENT_COUNTER" AS
SELECT user_id, n_count_gt AS "CT_EVENT_COUNTER"
FROM "_PLAN_LOGGED_IN_USERS"
WHERE n_count_gt > 0;

-- computed_trait ct_last (user): its own query over the events (does not fold into a feature)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_CT_LAST" AS
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."TIMESTAMP", e."PAGE_PATH" AS value
  FROM "MAIN"."PAGE_VIEWED" AS e
  WHERE e.event_text = 'Page Viewed'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION ALL
  SELECT e.id, e.user_id, e."TIMESTAMP", e."PAGE_PATH" AS value
  FROM "MAIN"."SCREEN_VIEWED" AS e
  WHERE e.event_text = 'Screen Viewed'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
),
entity_values AS (
  SELECT e.user_id AS user_id, ARRAY_AGG(e.value) WITHIN GROUP (ORDER BY e."TIMESTAMP" DESC NULLS FIRST, e.id DESC NULLS FIRST)[0] AS value
  FROM matching_events AS e
  GROUP BY e.user_id
)
SELECT user_id, value AS "CT_LAST"
FROM entity_values
WHERE value IS NOT NULL;

-- distinct values per user (the user features and most_frequent counts): one pass over the events of main.feature_used
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_FEATURE_USED_VALUES" AS
SELECT
  e.user_id,
  e."FEATURE_NAME" AS value,
  CAST(e."FEATURE_NAME" AS VARCHAR) AS value_text,
  COUNT_IF(COALESCE(NOT CONTAINS(CAST(e."FEATURE_NAME" AS VARCHAR), 'beta'), FALSE)) AS n_ct_unique_list, -- ct_unique_list
  COUNT_IF(e."TIMESTAMP" > DATEADD(day, -14, CAST(:1 AS TIMESTAMP_NTZ)) AND COALESCE(CAST(e."FEATURE_NAME" AS VARCHAR) = 'reports', FALSE)) AS n_users_all, -- users_all, users_any, users_none
  count(*) AS n_ct_most_frequent -- ct_most_frequent, ct_most_frequent_account
FROM "MAIN"."FEATURE_USED" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  AND e.event_text = 'Feature Used'
GROUP BY e.user_id, e."FEATURE_NAME", CAST(e."FEATURE_NAME" AS VARCHAR);

-- computed_trait ct_most_frequent (user): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_CT_MOST_FREQUENT" AS
WITH
value_counts AS (
  SELECT user_id, value, sum(n_ct_most_frequent) AS n
  FROM "_PLAN_FEATURE_USED_VALUES"
  WHERE value IS NOT NULL
  GROUP BY user_id, value
),
ranked_values AS (
  SELECT user_id, value,
    row_number() OVER (PARTITION BY user_id ORDER BY n DESC, CAST(value AS VARCHAR)) AS rank
  FROM value_counts
  WHERE n >= 3
)
SELECT user_id, value AS "CT_MOST_FREQUENT"
FROM ranked_values
WHERE rank = 1;

-- user features folded from the distinct values per user of the events of main.feature_used
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_FEATURE_USED_USERS" AS
SELECT
  g.user_id,
  CASE WHEN COUNT(CASE WHEN g.n_ct_unique_list > 0 THEN g.value_text END) > 0 THEN ARRAY_AGG(CASE WHEN g.n_ct_unique_list > 0 THEN g.value_text END) WITHIN GROUP (ORDER BY CASE WHEN g.n_ct_unique_list > 0 THEN g.value_text END) END AS list_ct_unique_list, -- ct_unique_list
  CAST(sum(g.n_users_all) AS BIGINT) AS n_users_all -- users_all, users_any, users_none
FROM "_PLAN_FEATURE_USED_VALUES" AS g
GROUP BY g.user_id;

-- computed_trait ct_unique_list (user): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_CT_UNIQUE_LIST" AS
SELECT user_id, list_ct_unique_list AS "CT_UNIQUE_LIST"
FROM "_PLAN_FEATURE_USED_USERS"
WHERE list_ct_unique_list IS NOT NULL;

-- the latest non-null value of each custom trait over identify calls (SPEC 3)
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_USER_TRAITS" AS
SELECT
  user_id,
  ARRAY_AGG("NAME") WITHIN GROUP (ORDER BY "TIMESTAMP" DESC NULLS FIRST, id DESC NULLS FIRST)[0] AS trait_name,
  ARRAY_AGG("PLAN") WITHIN GROUP (ORDER BY "TIMESTAMP" DESC NULLS FIRST, id DESC NULLS FIRST)[0] AS trait_plan,
  ARRAY_AGG("ROLE") WITHIN GROUP (ORDER BY "TIMESTAMP" DESC NULLS FIRST, id DESC NULLS FIRST)[0] AS trait_role,
  ARRAY_AGG("ST_USER_LIFETIME") WITHIN GROUP (ORDER BY "TIMESTAMP" DESC NULLS FIRST, id DESC NULLS FIRST)[0] AS trait_st_user_lifetime
FROM "MAIN"."IDENTIFIES"
WHERE CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
GROUP BY user_id;

-- user features: one pass over the events of main.it_s_quoted
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_IT_S_QUOTED_USERS" AS
SELECT
  e.user_id,
  COUNT_IF(COALESCE(CAST(e."WEIRD_PROP_S" AS VARCHAR) = replace('line1~line2', '~', chr(10)), FALSE)) AS n_hostile_values -- hostile_values
FROM "MAIN"."IT_S_QUOTED" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  AND e.event_text = 'It''s "quoted" 🚀'
GROUP BY e.user_id;

-- audience hostile_values (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_HOSTILE_VALUES" AS
WITH
candidates AS (
  SELECT user_id FROM "_PLAN_USER_TRAITS"
  UNION
  SELECT user_id FROM "_PLAN_IT_S_QUOTED_USERS"
)
SELECT entity.user_id
FROM candidates AS entity
LEFT JOIN "_PLAN_USER_TRAITS" AS entity_plan_user_traits ON entity_plan_user_traits.user_id = entity.user_id
LEFT JOIN "_PLAN_IT_S_QUOTED_USERS" AS entity_it_s_quoted_users ON entity_it_s_quoted_users.user_id = entity.user_id
WHERE (COALESCE(CAST(entity_plan_user_traits.trait_name AS VARCHAR) = 'O''Brien "Bobby"; DROP TABLE users; --', FALSE)
  OR COALESCE(STARTSWITH(CAST(entity_plan_user_traits.trait_name AS VARCHAR), '/* not a comment */ \\ back'), FALSE)
  OR (COALESCE(entity_it_s_quoted_users.n_hostile_values, 0) >= 1));

-- audience op_after (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_OP_AFTER" AS
SELECT entity.user_id
FROM "_PLAN_USER_TRAITS" AS entity
WHERE COALESCE(date_trunc('milliseconds', CASE WHEN REGEXP_LIKE(CAST(entity.trait_plan AS VARCHAR), '^((000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29)([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$') THEN CAST(CONVERT_TIMEZONE('UTC', TRY_TO_TIMESTAMP_TZ(REGEXP_REPLACE(UPPER(CAST(entity.trait_plan AS VARCHAR)), '(\\.[0-9]{6})[0-9]+', '\\1'))) AS TIMESTAMP_NTZ) END) > CAST('2024-01-01 08:00:00.000' AS TIMESTAMP_NTZ), FALSE);

-- audience op_before (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_OP_BEFORE" AS
SELECT entity.user_id
FROM "_PLAN_USER_TRAITS" AS entity
WHERE COALESCE(date_trunc('milliseconds', CASE WHEN REGEXP_LIKE(CAST(entity.trait_plan AS VARCHAR), '^((000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29)([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$') THEN CAST(CONVERT_TIMEZONE('UTC', TRY_TO_TIMESTAMP_TZ(REGEXP_REPLACE(UPPER(CAST(entity.trait_plan AS VARCHAR)), '(\\.[0-9]{6})[0-9]+', '\\1'))) AS TIMESTAMP_NTZ) END) < CAST('2024-01-01 00:00:00.000' AS TIMESTAMP_NTZ), FALSE);

-- audience op_contains (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_OP_CONTAINS" AS
SELECT entity.user_id
FROM "_PLAN_USER_TRAITS" AS entity
WHERE COALESCE(CONTAINS(CAST(entity.trait_plan AS VARCHAR), 'O''Brien'), FALSE);

-- audience op_ends_with (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_OP_ENDS_WITH" AS
SELECT entity.user_id
FROM "_PLAN_USER_TRAITS" AS entity
WHERE COALESCE(ENDSWITH(CAST(entity.trait_plan AS VARCHAR), ';'), FALSE);

-- audience op_eq (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_OP_EQ" AS
SELECT entity.user_id
FROM "_PLAN_USER_TRAITS" AS entity
WHERE COALESCE(CAST(entity.trait_plan AS VARCHAR) = 'pro', FALSE);

-- audience op_exists (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_OP_EXISTS" AS
SELECT entity.user_id
FROM "_PLAN_USER_TRAITS" AS entity
WHERE (entity.trait_plan IS NOT NULL);

-- audience op_gt (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_OP_GT" AS
SELECT entity.user_id
FROM "_PLAN_USER_TRAITS" AS entity
WHERE COALESCE(CASE WHEN LENGTH(CAST(entity.trait_plan AS VARCHAR)) <= 1000 AND REGEXP_LIKE(CAST(entity.trait_plan AS VARCHAR), '^[ \\t\\n\\r\\f\\v]*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \\t\\n\\r\\f\\v]*$') AND ABS(TRY_CAST(CAST(entity.trait_plan AS VARCHAR) AS DOUBLE)) < CAST('inf' AS DOUBLE) THEN TRY_CAST(CAST(entity.trait_plan AS VARCHAR) AS DOUBLE) END > 10, FALSE);

-- audience op_gte (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_OP_GTE" AS
SELECT entity.user_id
FROM "_PLAN_USER_TRAITS" AS entity
WHERE COALESCE(CASE WHEN LENGTH(CAST(entity.trait_plan AS VARCHAR)) <= 1000 AND REGEXP_LIKE(CAST(entity.trait_plan AS VARCHAR), '^[ \\t\\n\\r\\f\\v]*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \\t\\n\\r\\f\\v]*$') AND ABS(TRY_CAST(CAST(entity.trait_plan AS VARCHAR) AS DOUBLE)) < CAST('inf' AS DOUBLE) THEN TRY_CAST(CAST(entity.trait_plan AS VARCHAR) AS DOUBLE) END >= CAST(2.5 AS DOUBLE), FALSE);

-- audience op_in (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_OP_IN" AS
SELECT entity.user_id
FROM "_PLAN_USER_TRAITS" AS entity
WHERE COALESCE(CAST(entity.trait_plan AS VARCHAR) IN ('a', 'bc'), FALSE);

-- audience op_lt (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_OP_LT" AS
SELECT entity.user_id
FROM "_PLAN_USER_TRAITS" AS entity
WHERE COALESCE(CAST(entity.trait_plan AS VARCHAR) < 'm', FALSE);

-- audience op_lte (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_OP_LTE" AS
SELECT entity.user_id
FROM "_PLAN_USER_TRAITS" AS entity
WHERE COALESCE(CASE lower(CAST(entity.trait_plan AS VARCHAR)) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END <= TRUE, FALSE);

-- audience op_neq (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_OP_NEQ" AS
SELECT entity.user_id
FROM "_PLAN_USER_TRAITS" AS entity
WHERE COALESCE(CAST(entity.trait_plan AS VARCHAR) <> 'pro', FALSE);

-- audience op_not_contains (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_OP_NOT_CONTAINS" AS
SELECT entity.user_id
FROM "_PLAN_USER_TRAITS" AS entity
WHERE COALESCE(NOT CONTAINS(CAST(entity.trait_plan AS VARCHAR), '--'), FALSE);

-- audience op_not_in (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_OP_NOT_IN" AS
SELECT entity.user_id
FROM "_PLAN_USER_TRAITS" AS entity
WHERE COALESCE(CASE WHEN LENGTH(CAST(entity.trait_plan AS VARCHAR)) <= 1000 AND REGEXP_LIKE(CAST(entity.trait_plan AS VARCHAR), '^[ \\t\\n\\r\\f\\v]*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \\t\\n\\r\\f\\v]*$') AND ABS(TRY_CAST(CAST(entity.trait_plan AS VARCHAR) AS DOUBLE)) < CAST('inf' AS DOUBLE) THEN TRY_CAST(CAST(entity.trait_plan AS VARCHAR) AS DOUBLE) END NOT IN (1, 2), FALSE);

-- audience op_starts_with (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_OP_STARTS_WITH" AS
SELECT entity.user_id
FROM "_PLAN_USER_TRAITS" AS entity
WHERE COALESCE(STARTSWITH(CAST(entity.trait_plan AS VARCHAR), '/*'), FALSE);

-- audience op_within_last (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_OP_WITHIN_LAST" AS
SELECT entity.user_id
FROM "_PLAN_USER_TRAITS" AS entity
WHERE COALESCE((date_trunc('milliseconds', CASE WHEN REGEXP_LIKE(CAST(entity.trait_plan AS VARCHAR), '^((000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29)([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$') THEN CAST(CONVERT_TIMEZONE('UTC', TRY_TO_TIMESTAMP_TZ(REGEXP_REPLACE(UPPER(CAST(entity.trait_plan AS VARCHAR)), '(\\.[0-9]{6})[0-9]+', '\\1'))) AS TIMESTAMP_NTZ) END) > DATEADD(day, -7, CAST(:1 AS TIMESTAMP_NTZ)) AND date_trunc('milliseconds', CASE WHEN REGEXP_LIKE(CAST(entity.trait_plan AS VARCHAR), '^((000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29)([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$') THEN CAST(CONVERT_TIMEZONE('UTC', TRY_TO_TIMESTAMP_TZ(REGEXP_REPLACE(UPPER(CAST(entity.trait_plan AS VARCHAR)), '(\\.[0-9]{6})[0-9]+', '\\1'))) AS TIMESTAMP_NTZ) END) <= CAST(:1 AS TIMESTAMP_NTZ)), FALSE);

-- sql_trait st_account_members (account): user SQL, shape-checked by the run
CREATE OR REPLACE TEMPORARY TABLE "_RUN_ST_ACCOUNT_MEMBERS" AS
SELECT account_id AS group_id, contact_id AS user_id, tier AS crm_tier
FROM crm.contacts
;

-- sql_trait st_user (user): user SQL, shape-checked by the run
CREATE OR REPLACE TEMPORARY TABLE "_RUN_ST_USER" AS
SELECT user_id, count(*) AS lifetime_orders, sum(total) AS lifetime_value
FROM "MAIN"."ORDER_COMPLETED"
WHERE "timestamp" <= CAST(:1 AS TIMESTAMP_NTZ) AND user_id IS NOT NULL
GROUP BY user_id
;

-- the users of each account: group calls and associating SQL traits
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_ACCOUNT_USERS" AS
SELECT group_id, user_id FROM "MAIN"."GROUPS"
WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
UNION
SELECT group_id, user_id FROM "_RUN_ST_ACCOUNT_MEMBERS" WHERE CAST(user_id AS VARCHAR) <> '';

-- account features folded from the user features of the events of main.order_completed
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_ORDER_COMPLETED_ACCOUNTS" AS
SELECT
  au.group_id,
  sum(f.sum_ct_aggregation_sum) AS sum_ct_aggregation_sum -- ct_aggregation_sum
FROM "_PLAN_ORDER_COMPLETED_USERS" AS f
JOIN "_PLAN_ACCOUNT_USERS" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;

-- computed_trait ct_aggregation_sum (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_CT_AGGREGATION_SUM" AS
SELECT group_id, CASE WHEN sum_ct_aggregation_sum IS NULL OR sum_ct_aggregation_sum = 0 THEN sum_ct_aggregation_sum ELSE ROUND(sum_ct_aggregation_sum, 11 - FLOOR(LOG(10, ABS(sum_ct_aggregation_sum)))) END AS "CT_AGGREGATION_SUM"
FROM "_PLAN_ORDER_COMPLETED_ACCOUNTS"
WHERE sum_ct_aggregation_sum IS NOT NULL;

-- account features folded from the user features of the events of main.logged_in
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_LOGGED_IN_ACCOUNTS" AS
SELECT
  au.group_id,
  CAST(sum(f.n_ct_event_counter_account) AS BIGINT) AS count_ct_event_counter_account -- ct_event_counter_account
FROM "_PLAN_LOGGED_IN_USERS" AS f
JOIN "_PLAN_ACCOUNT_USERS" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;

-- computed_trait ct_event_counter_account (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_CT_EVENT_COUNTER_ACCOUNT" AS
SELECT group_id, count_ct_event_counter_account AS "CT_EVENT_COUNTER_ACCOUNT"
FROM "_PLAN_LOGGED_IN_ACCOUNTS"
WHERE count_ct_event_counter_account > 0;

-- user features: one pass over the events of main.page_viewed
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_PAGE_VIEWED_USERS" AS
SELECT
  e.user_id,
  ARRAY_AGG(CASE WHEN e."TIMESTAMP" >= CAST('2024-01-01 00:00:00.000' AS TIMESTAMP_NTZ) AND e."TIMESTAMP" < CAST('2024-02-01 12:30:00.000' AS TIMESTAMP_NTZ) THEN e."PATH" END) WITHIN GROUP (ORDER BY e."TIMESTAMP", e.id)[0] AS first_ct_first, -- ct_first
  min(CASE WHEN e."TIMESTAMP" >= CAST('2024-01-01 00:00:00.000' AS TIMESTAMP_NTZ) AND e."TIMESTAMP" < CAST('2024-02-01 12:30:00.000' AS TIMESTAMP_NTZ) AND e."PATH" IS NOT NULL THEN e."TIMESTAMP" END) AS first_ts_ct_first, -- ct_first
  ARRAY_AGG(CASE WHEN e."TIMESTAMP" >= CAST('2024-01-01 00:00:00.000' AS TIMESTAMP_NTZ) AND e."TIMESTAMP" < CAST('2024-02-01 12:30:00.000' AS TIMESTAMP_NTZ) AND e."PATH" IS NOT NULL THEN ARRAY_CONSTRUCT(e.id) END) WITHIN GROUP (ORDER BY e."TIMESTAMP", e.id)[0][0] AS first_id_ct_first -- ct_first
FROM "MAIN"."PAGE_VIEWED" AS e
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  AND e.event_text = 'Page Viewed'
GROUP BY e.user_id;

-- account features folded from the user features of the events of main.page_viewed
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_PAGE_VIEWED_ACCOUNTS" AS
SELECT
  au.group_id,
  ARRAY_AGG(f.first_ct_first) WITHIN GROUP (ORDER BY f.first_ts_ct_first, f.first_id_ct_first)[0] AS first_ct_first -- ct_first
FROM "_PLAN_PAGE_VIEWED_USERS" AS f
JOIN "_PLAN_ACCOUNT_USERS" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;

-- computed_trait ct_first (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_CT_FIRST" AS
SELECT group_id, first_ct_first AS "CT_FIRST"
FROM "_PLAN_PAGE_VIEWED_ACCOUNTS"
WHERE first_ct_first IS NOT NULL;

-- account features that do not fold from user features (distinct values, scope: group_context): one pass over the events of main.feature_used joined with the memberships
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_FEATURE_USED_ACCOUNT_EVENTS" AS
SELECT
  au.group_id,
  COUNT_IF(e."TIMESTAMP" > DATEADD(week, -2, CAST(:1 AS TIMESTAMP_NTZ)) AND e."CONTEXT_GROUP_ID" = au.group_id) AS n_ct_group_context, -- ct_group_context
  count(DISTINCT CASE WHEN e."TIMESTAMP" > DATEADD(minute, -90, CAST(:1 AS TIMESTAMP_NTZ)) THEN CAST(e."FEATURE_NAME" AS VARCHAR) END) AS n_distinct_ct_unique_list_count -- ct_unique_list_count
FROM "MAIN"."FEATURE_USED" AS e
JOIN "_PLAN_ACCOUNT_USERS" AS au ON au.user_id = e.user_id
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  AND e.event_text = 'Feature Used'
GROUP BY au.group_id;

-- computed_trait ct_group_context (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_CT_GROUP_CONTEXT" AS
SELECT group_id, n_ct_group_context AS "CT_GROUP_CONTEXT"
FROM "_PLAN_FEATURE_USED_ACCOUNT_EVENTS"
WHERE n_ct_group_context > 0;

-- computed_trait ct_most_frequent_account (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_CT_MOST_FREQUENT_ACCOUNT" AS
WITH
value_counts AS (
  SELECT au.group_id, g.value, sum(g.n_ct_most_frequent) AS n
  FROM "_PLAN_FEATURE_USED_VALUES" AS g
  JOIN "_PLAN_ACCOUNT_USERS" AS au ON au.user_id = g.user_id
  WHERE g.value IS NOT NULL AND g.n_ct_most_frequent > 0
  GROUP BY au.group_id, g.value
),
ranked_values AS (
  SELECT group_id, value,
    row_number() OVER (PARTITION BY group_id ORDER BY n DESC, CAST(value AS VARCHAR)) AS rank
  FROM value_counts
  WHERE n >= 2
)
SELECT group_id, value AS "CT_MOST_FREQUENT_ACCOUNT"
FROM ranked_values
WHERE rank = 1;

-- computed_trait ct_unique_list_count (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_CT_UNIQUE_LIST_COUNT" AS
SELECT group_id, n_distinct_ct_unique_list_count AS "CT_UNIQUE_LIST_COUNT"
FROM "_PLAN_FEATURE_USED_ACCOUNT_EVENTS"
WHERE n_distinct_ct_unique_list_count > 0;

-- audience logic_all_any_not (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_LOGIC_ALL_ANY_NOT" AS
SELECT entity.user_id
FROM "_PLAN_USER_TRAITS" AS entity
LEFT JOIN "_RUN_OP_EQ" AS entity_op_eq ON entity_op_eq.user_id = entity.user_id
LEFT JOIN "_RUN_ST_USER" AS entity_st_user ON entity_st_user.user_id = entity.user_id
LEFT JOIN "_RUN_CT_EVENT_COUNTER" AS entity_ct_event_counter ON entity_ct_event_counter.user_id = entity.user_id
WHERE ((COALESCE(CAST(entity.trait_role AS VARCHAR) = 'admin', FALSE)
  OR (entity.trait_st_user_lifetime IS NOT NULL))
  AND NOT (entity_op_eq.user_id IS NOT NULL)
  AND COALESCE(CASE WHEN LENGTH(CAST(entity_st_user."LIFETIME_VALUE" AS VARCHAR)) <= 1000 AND REGEXP_LIKE(CAST(entity_st_user."LIFETIME_VALUE" AS VARCHAR), '^[ \\t\\n\\r\\f\\v]*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \\t\\n\\r\\f\\v]*$') AND ABS(TRY_CAST(CAST(entity_st_user."LIFETIME_VALUE" AS VARCHAR) AS DOUBLE)) < CAST('inf' AS DOUBLE) THEN TRY_CAST(CAST(entity_st_user."LIFETIME_VALUE" AS VARCHAR) AS DOUBLE) END >= 100, FALSE)
  AND COALESCE(COALESCE(entity_ct_event_counter."CT_EVENT_COUNTER", 0) >= 3, FALSE));

-- audience op_list_contains (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_OP_LIST_CONTAINS" AS
SELECT entity.user_id
FROM "_RUN_CT_UNIQUE_LIST" AS entity
WHERE COALESCE(ARRAY_CONTAINS(TO_VARIANT('api'), COALESCE(entity."CT_UNIQUE_LIST", ARRAY_CONSTRUCT())), FALSE);

-- audience op_list_eq (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_OP_LIST_EQ" AS
SELECT entity.user_id
FROM "_RUN_CT_UNIQUE_LIST" AS entity
WHERE COALESCE(COALESCE(entity."CT_UNIQUE_LIST", ARRAY_CONSTRUCT()) = ARRAY_CONSTRUCT('dashboards', 'reports'), FALSE);

-- sql_trait st_state (user): user SQL, shape-checked by the run
CREATE OR REPLACE TEMPORARY TABLE "_RUN_ST_STATE" AS
SELECT user_id, ct_event_counter * 2 AS st_state FROM "_RUN_CT_EVENT_COUNTER"
;

-- audience users_all (account)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_USERS_ALL" AS
WITH
users_matching AS (
  SELECT au.group_id, BOOLOR_AGG(((COALESCE(au_feature_used_users.n_users_all, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS any_user, BOOLAND_AGG(((COALESCE(au_feature_used_users.n_users_all, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS all_users
  FROM "_PLAN_ACCOUNT_USERS" AS au
  LEFT JOIN "_PLAN_FEATURE_USED_USERS" AS au_feature_used_users ON au_feature_used_users.user_id = au.user_id
  LEFT JOIN "_RUN_OP_EQ" AS au_op_eq ON au_op_eq.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM users_matching AS entity
WHERE COALESCE(entity.all_users, FALSE);

-- audience users_any (account)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_USERS_ANY" AS
WITH
users_matching AS (
  SELECT au.group_id, BOOLOR_AGG(((COALESCE(au_feature_used_users.n_users_all, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS any_user, BOOLAND_AGG(((COALESCE(au_feature_used_users.n_users_all, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS all_users
  FROM "_PLAN_ACCOUNT_USERS" AS au
  LEFT JOIN "_PLAN_FEATURE_USED_USERS" AS au_feature_used_users ON au_feature_used_users.user_id = au.user_id
  LEFT JOIN "_RUN_OP_EQ" AS au_op_eq ON au_op_eq.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM users_matching AS entity
WHERE COALESCE(entity.any_user, FALSE);

-- audience users_group_context (account)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_USERS_GROUP_CONTEXT" AS
WITH
event_in_account_logged_in AS (
  SELECT e.user_id, e.context_group_id AS group_id, count(*) AS n
  FROM (
    SELECT e.id, e.user_id, e."TIMESTAMP", e."CONTEXT_GROUP_ID" AS context_group_id
    FROM "MAIN"."LOGGED_IN" AS e
    WHERE e.event_text = 'Logged In'
      AND CAST(e.user_id AS VARCHAR) <> ''
      AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
      AND e."TIMESTAMP" > DATEADD(day, -30, CAST(:1 AS TIMESTAMP_NTZ))
  ) AS e
  WHERE e.context_group_id IS NOT NULL
  GROUP BY e.user_id, e.context_group_id
),
users_matching AS (
  SELECT au.group_id, BOOLOR_AGG(((COALESCE(au_event_in_account_logged_in.n, 0) >= 2)
    AND COALESCE(CAST(au_plan_user_traits.trait_role AS VARCHAR) = 'admin', FALSE))) AS any_user, BOOLAND_AGG(((COALESCE(au_event_in_account_logged_in.n, 0) >= 2)
    AND COALESCE(CAST(au_plan_user_traits.trait_role AS VARCHAR) = 'admin', FALSE))) AS all_users
  FROM "_PLAN_ACCOUNT_USERS" AS au
  LEFT JOIN event_in_account_logged_in AS au_event_in_account_logged_in ON au_event_in_account_logged_in.user_id = au.user_id AND au_event_in_account_logged_in.group_id = au.group_id
  LEFT JOIN "_PLAN_USER_TRAITS" AS au_plan_user_traits ON au_plan_user_traits.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM users_matching AS entity
WHERE COALESCE(entity.any_user, FALSE);

-- every account: group calls and account-level SQL traits
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_ALL_ACCOUNTS" AS
SELECT group_id FROM "MAIN"."GROUPS" WHERE CAST(group_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
UNION
SELECT group_id FROM "_RUN_ST_ACCOUNT_MEMBERS";

-- audience users_none (account)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_USERS_NONE" AS
WITH
users_matching AS (
  SELECT au.group_id, BOOLOR_AGG(((COALESCE(au_feature_used_users.n_users_all, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS any_user, BOOLAND_AGG(((COALESCE(au_feature_used_users.n_users_all, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS all_users
  FROM "_PLAN_ACCOUNT_USERS" AS au
  LEFT JOIN "_PLAN_FEATURE_USED_USERS" AS au_feature_used_users ON au_feature_used_users.user_id = au.user_id
  LEFT JOIN "_RUN_OP_EQ" AS au_op_eq ON au_op_eq.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM "_PLAN_ALL_ACCOUNTS" AS entity
LEFT JOIN users_matching AS entity_users_matching ON entity_users_matching.group_id = entity.group_id
WHERE NOT COALESCE(entity_users_matching.any_user, FALSE);

-- the latest non-null value of each custom trait over group calls (SPEC 3)
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_ACCOUNT_TRAITS" AS
SELECT
  group_id,
  ARRAY_AGG("INDUSTRY") WITHIN GROUP (ORDER BY "TIMESTAMP" DESC NULLS FIRST, id DESC NULLS FIRST)[0] AS trait_industry
FROM "MAIN"."GROUPS"
WHERE CAST(group_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
GROUP BY group_id;

-- audience acct_software (account)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_ACCT_SOFTWARE" AS
WITH
sql_st_account_members AS (
  SELECT DISTINCT group_id, "CRM_TIER"
  FROM "_RUN_ST_ACCOUNT_MEMBERS"
)
SELECT entity.group_id
FROM "_PLAN_ACCOUNT_TRAITS" AS entity
LEFT JOIN "_RUN_CT_EVENT_COUNTER_ACCOUNT" AS entity_ct_event_counter_account ON entity_ct_event_counter_account.group_id = entity.group_id
LEFT JOIN sql_st_account_members AS entity_st_account_members ON entity_st_account_members.group_id = entity.group_id
WHERE (COALESCE(CAST(entity.trait_industry AS VARCHAR) = 'Software', FALSE)
  AND COALESCE(COALESCE(entity_ct_event_counter_account."CT_EVENT_COUNTER_ACCOUNT", 0) < 10, FALSE)
  AND COALESCE(CAST(CASE WHEN IS_TIMESTAMP_NTZ(TO_VARIANT(entity_st_account_members."CRM_TIER")) OR IS_TIMESTAMP_LTZ(TO_VARIANT(entity_st_account_members."CRM_TIER")) OR IS_TIMESTAMP_TZ(TO_VARIANT(entity_st_account_members."CRM_TIER")) OR IS_DATE(TO_VARIANT(entity_st_account_members."CRM_TIER")) THEN TO_CHAR(CAST(CONVERT_TIMEZONE('UTC', CAST(CASE WHEN YEAR(TRY_TO_TIMESTAMP_TZ(CAST(entity_st_account_members."CRM_TIER" AS VARCHAR))) BETWEEN 1 AND 9999 THEN TRY_TO_TIMESTAMP_TZ(CAST(entity_st_account_members."CRM_TIER" AS VARCHAR)) END AS TIMESTAMP_TZ)) AS TIMESTAMP_NTZ), 'YYYY-MM-DD"T"HH24:MI:SS.FF3"Z"') ELSE CAST(entity_st_account_members."CRM_TIER" AS VARCHAR) END AS VARCHAR) IN ('gold', 'silver'), FALSE));

-- every user (SPEC 3): events, identify and group calls, SQL traits
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_ALL_USERS" AS
SELECT user_id FROM "MAIN"."TRACKS" WHERE CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
UNION
SELECT user_id FROM "MAIN"."IDENTIFIES" WHERE CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
UNION
SELECT user_id FROM "MAIN"."GROUPS" WHERE CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
UNION
SELECT user_id FROM "_RUN_ST_ACCOUNT_MEMBERS" WHERE CAST(user_id AS VARCHAR) <> ''
UNION
SELECT user_id FROM "_RUN_ST_STATE" WHERE CAST(user_id AS VARCHAR) <> ''
UNION
SELECT user_id FROM "_RUN_ST_USER" WHERE CAST(user_id AS VARCHAR) <> '';

-- audience aud_member_false (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_AUD_MEMBER_FALSE" AS
SELECT entity.user_id
FROM "_PLAN_ALL_USERS" AS entity
LEFT JOIN "_RUN_OP_EQ" AS entity_op_eq ON entity_op_eq.user_id = entity.user_id
WHERE (entity_op_eq.user_id IS NULL);

-- audience count_eq (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_COUNT_EQ" AS
SELECT entity.user_id
FROM "_PLAN_ALL_USERS" AS entity
LEFT JOIN "_PLAN_LOGGED_IN_USERS" AS entity_logged_in_users ON entity_logged_in_users.user_id = entity.user_id
WHERE (COALESCE(entity_logged_in_users.n_count_gt, 0) = 0);

-- audience count_lt (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_COUNT_LT" AS
SELECT entity.user_id
FROM "_PLAN_ALL_USERS" AS entity
LEFT JOIN "_PLAN_LOGGED_IN_USERS" AS entity_logged_in_users ON entity_logged_in_users.user_id = entity.user_id
WHERE (COALESCE(entity_logged_in_users.n_count_gt, 0) < 2);

-- audience count_lte (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_COUNT_LTE" AS
SELECT entity.user_id
FROM "_PLAN_ALL_USERS" AS entity
LEFT JOIN "_PLAN_LOGGED_IN_USERS" AS entity_logged_in_users ON entity_logged_in_users.user_id = entity.user_id
WHERE (COALESCE(entity_logged_in_users.n_count_gt, 0) <= 5);

-- audience op_not_exists (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_OP_NOT_EXISTS" AS
SELECT entity.user_id
FROM "_PLAN_ALL_USERS" AS entity
LEFT JOIN "_PLAN_USER_TRAITS" AS entity_plan_user_traits ON entity_plan_user_traits.user_id = entity.user_id
WHERE (entity_plan_user_traits.trait_plan IS NULL);

-- account features that do not fold from user features (distinct values, scope: group_context): one pass over the events of main.logged_in joined with the memberships
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_LOGGED_IN_ACCOUNT_EVENTS" AS
SELECT
  au.group_id,
  COUNT_IF(e."CONTEXT_GROUP_ID" = au.group_id) AS n_acct_event_group_context -- acct_event_group_context
FROM "MAIN"."LOGGED_IN" AS e
JOIN "_PLAN_ACCOUNT_USERS" AS au ON au.user_id = e.user_id
WHERE CAST(e.user_id AS VARCHAR) <> ''
  AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  AND e.event_text = 'Logged In'
GROUP BY au.group_id;

-- audience acct_event_group_context (account)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_ACCT_EVENT_GROUP_CONTEXT" AS
WITH
users_of_acct_software AS (
  SELECT DISTINCT au.user_id
  FROM "_PLAN_ACCOUNT_USERS" AS au
  JOIN "_RUN_ACCT_SOFTWARE" AS m ON m.group_id = au.group_id
),
users_matching AS (
  SELECT au.group_id, BOOLOR_AGG((au_users_of_acct_software.user_id IS NOT NULL)) AS any_user, BOOLAND_AGG((au_users_of_acct_software.user_id IS NOT NULL)) AS all_users
  FROM "_PLAN_ACCOUNT_USERS" AS au
  LEFT JOIN users_of_acct_software AS au_users_of_acct_software ON au_users_of_acct_software.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM "_PLAN_LOGGED_IN_ACCOUNT_EVENTS" AS entity
LEFT JOIN users_matching AS entity_users_matching ON entity_users_matching.group_id = entity.group_id
LEFT JOIN "_RUN_ACCT_SOFTWARE" AS entity_acct_software ON entity_acct_software.group_id = entity.group_id
WHERE ((COALESCE(entity.n_acct_event_group_context, 0) >= 10)
  AND NOT COALESCE(entity_users_matching.any_user, FALSE)
  AND (entity_acct_software.group_id IS NULL));

-- audience passthrough (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_PASSTHROUGH" AS
WITH
users_of_acct_software AS (
  SELECT DISTINCT au.user_id
  FROM "_PLAN_ACCOUNT_USERS" AS au
  JOIN "_RUN_ACCT_SOFTWARE" AS m ON m.group_id = au.group_id
)
SELECT entity.user_id
FROM "_PLAN_USER_TRAITS" AS entity
LEFT JOIN users_of_acct_software AS entity_users_of_acct_software ON entity_users_of_acct_software.user_id = entity.user_id
WHERE ((entity_users_of_acct_software.user_id IS NOT NULL)
  AND COALESCE(CAST(entity.trait_role AS VARCHAR) = 'admin', FALSE));
