-- roster run plan corpus-json, snowflake: the whole run, sharing work between definitions.
-- parameter as_of: the run's instant (UTC)
-- Each definition ends in its scratch table with the rows its standalone query gives.

-- the users of each account: group calls and associating SQL traits
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_ACCOUNT_USERS" AS
SELECT DISTINCT group_id, user_id FROM (SELECT * FROM "RAW"."GROUPS" QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY "TIMESTAMP") = 1) AS "GROUPS"
WHERE group_id IS NOT NULL AND user_id IS NOT NULL AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ);

-- user features: one pass over the events of raw.events
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_EVENTS_USERS" AS
SELECT
  e.user_id,
  ARRAY_AGG(CASE WHEN e.event = 'Page Viewed' THEN IFF(IS_NULL_VALUE(GET(e.properties, 'path/with~odd''chars')), NULL, GET(e.properties, 'path/with~odd''chars')) END) WITHIN GROUP (ORDER BY e."TIMESTAMP", e.id)[0] AS first_1, -- json_first
  min(CASE WHEN e.event = 'Page Viewed' AND IFF(IS_NULL_VALUE(GET(e.properties, 'path/with~odd''chars')), NULL, GET(e.properties, 'path/with~odd''chars')) IS NOT NULL THEN e."TIMESTAMP" END) AS first_ts_2, -- json_first
  ARRAY_AGG(CASE WHEN e.event = 'Page Viewed' AND IFF(IS_NULL_VALUE(GET(e.properties, 'path/with~odd''chars')), NULL, GET(e.properties, 'path/with~odd''chars')) IS NOT NULL THEN e.id END) WITHIN GROUP (ORDER BY e."TIMESTAMP", e.id)[0] AS first_id_3, -- json_first
  COUNT_IF(e.event = 'Order Completed' AND COALESCE(CASE WHEN LENGTH(CAST(CAST(GET(e.properties, 'total') AS VARCHAR) AS VARCHAR)) <= 1000 AND REGEXP_LIKE(CAST(CAST(GET(e.properties, 'total') AS VARCHAR) AS VARCHAR), '^[ \\t\\n\\r\\f\\v]*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \\t\\n\\r\\f\\v]*$') AND ABS(TRY_CAST(CAST(CAST(GET(e.properties, 'total') AS VARCHAR) AS VARCHAR) AS DOUBLE)) < CAST('inf' AS DOUBLE) THEN TRY_CAST(CAST(CAST(GET(e.properties, 'total') AS VARCHAR) AS VARCHAR) AS DOUBLE) END > 10, FALSE)) AS n_4 -- json_audience
FROM (SELECT * FROM "RAW"."EVENTS" QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY "TIMESTAMP") = 1) AS e
WHERE e.user_id IS NOT NULL
  AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  AND (e.event = 'Page Viewed'
    OR e.event = 'Order Completed')
GROUP BY e.user_id;

-- account features folded from the user features of the events of raw.events
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_EVENTS_ACCOUNTS" AS
SELECT
  au.group_id,
  ARRAY_AGG(f.first_1) WITHIN GROUP (ORDER BY f.first_ts_2, f.first_id_3)[0] AS first_1 -- json_first
FROM "_PLAN_EVENTS_USERS" AS f
JOIN "_PLAN_ACCOUNT_USERS" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;

-- computed_trait json_first (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_RUN_JSON_FIRST" AS
SELECT group_id, first_1 AS "JSON_FIRST"
FROM "_PLAN_EVENTS_ACCOUNTS"
WHERE first_1 IS NOT NULL;

-- sql_trait json_sql (user): user SQL, shape-checked by the run
CREATE OR REPLACE TEMPORARY TABLE "_RUN_JSON_SQL" AS
WITH "ROSTER_SOURCE_EVENTS" AS (SELECT * FROM "RAW"."EVENTS" QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY "TIMESTAMP") = 1)
SELECT * FROM (
SELECT user_id, count(*) AS json_sql FROM "ROSTER_SOURCE_EVENTS" WHERE "timestamp" <= CAST(:1 AS TIMESTAMP_NTZ) AND user_id IS NOT NULL GROUP BY user_id
) AS sql_trait_rows;

-- the latest non-null value of each custom trait over identify calls (SPEC 3)
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_USER_TRAITS" AS
SELECT
  user_id,
  ARRAY_AGG(CAST(GET(traits, 'plan') AS VARCHAR)) WITHIN GROUP (ORDER BY "TIMESTAMP" DESC, id DESC)[0] AS trait_plan,
  ARRAY_AGG(CAST(GET(traits, 'json_first_user') AS VARCHAR)) WITHIN GROUP (ORDER BY "TIMESTAMP" DESC, id DESC)[0] AS trait_json_first_user
FROM (SELECT * FROM "RAW"."IDENTIFIES" QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY "TIMESTAMP") = 1) AS "IDENTIFIES"
WHERE user_id IS NOT NULL AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
GROUP BY user_id;

-- every user (SPEC 3): events, identify and group calls, SQL traits
CREATE OR REPLACE TEMPORARY TABLE "_PLAN_ALL_USERS" AS
SELECT user_id FROM (SELECT * FROM "RAW"."EVENTS" QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY "TIMESTAMP") = 1) AS "EVENTS" WHERE user_id IS NOT NULL AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
UNION
SELECT user_id FROM (SELECT * FROM "RAW"."IDENTIFIES" QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY "TIMESTAMP") = 1) AS "IDENTIFIES" WHERE user_id IS NOT NULL AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
UNION
SELECT user_id FROM (SELECT * FROM "RAW"."GROUPS" QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY "TIMESTAMP") = 1) AS "GROUPS" WHERE user_id IS NOT NULL AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
UNION
SELECT user_id FROM "_RUN_JSON_SQL" WHERE user_id IS NOT NULL;

-- audience json_audience (user)
CREATE OR REPLACE TEMPORARY TABLE "_RUN_JSON_AUDIENCE" AS
SELECT entity.user_id
FROM "_PLAN_ALL_USERS" AS entity
LEFT JOIN "_PLAN_USER_TRAITS" AS entity_plan_user_traits ON entity_plan_user_traits.user_id = entity.user_id
LEFT JOIN "_PLAN_EVENTS_USERS" AS entity_events_users ON entity_events_users.user_id = entity.user_id
WHERE (COALESCE(CAST(entity_plan_user_traits.trait_plan AS VARCHAR) = 'pro', FALSE)
  AND (COALESCE(entity_events_users.n_4, 0) >= 2)
  AND (entity_plan_user_traits.trait_json_first_user IS NOT NULL));
