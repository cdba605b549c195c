-- roster run plan corpus-json, postgres: the whole run, sharing work between definitions.
-- parameter as_of: the run's instant (UTC)
-- Each definition ends in its scratch table with the rows its standalone query gives.

-- the users of each account: group calls and associating SQL traits
DROP TABLE IF EXISTS pg_temp."_plan_account_users";
CREATE TEMPORARY TABLE pg_temp."_plan_account_users" AS
SELECT DISTINCT group_id, user_id FROM (SELECT DISTINCT ON (id) * FROM "raw"."groups" ORDER BY id, "timestamp") AS "groups"
WHERE group_id IS NOT NULL AND user_id IS NOT NULL AND "timestamp" <= CAST($1 AS TIMESTAMP);

-- user features: one pass over the events of raw.events
DROP TABLE IF EXISTS pg_temp."_plan_events_users";
CREATE TEMPORARY TABLE pg_temp."_plan_events_users" AS
SELECT
  e.user_id,
  (array_agg(CASE WHEN e.event = 'Page Viewed' THEN nullif(CAST(e.properties AS JSONB) -> 'path/with~odd''chars', CAST('null' AS JSONB)) END ORDER BY e."timestamp", e.id) FILTER (WHERE CASE WHEN e.event = 'Page Viewed' THEN nullif(CAST(e.properties AS JSONB) -> 'path/with~odd''chars', CAST('null' AS JSONB)) END IS NOT NULL))[1] AS first_1, -- json_first
  min(CASE WHEN e.event = 'Page Viewed' AND nullif(CAST(e.properties AS JSONB) -> 'path/with~odd''chars', CAST('null' AS JSONB)) IS NOT NULL THEN e."timestamp" END) AS first_ts_2, -- json_first
  (array_agg(CASE WHEN e.event = 'Page Viewed' AND nullif(CAST(e.properties AS JSONB) -> 'path/with~odd''chars', CAST('null' AS JSONB)) IS NOT NULL THEN e.id END ORDER BY e."timestamp", e.id) FILTER (WHERE CASE WHEN e.event = 'Page Viewed' AND nullif(CAST(e.properties AS JSONB) -> 'path/with~odd''chars', CAST('null' AS JSONB)) IS NOT NULL THEN e.id END IS NOT NULL))[1] AS first_id_3, -- json_first
  count(*) FILTER (WHERE e.event = 'Order Completed' AND COALESCE(CASE WHEN length(CAST((e.properties ->> 'total') AS TEXT)) <= 200 AND CAST((e.properties ->> 'total') AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,2})?[ \t\n\r\f\v]*$' THEN CAST(CAST((e.properties ->> 'total') AS TEXT) AS DOUBLE PRECISION) WHEN length(CAST((e.properties ->> 'total') AS TEXT)) <= 1000 AND CAST((e.properties ->> 'total') AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$' THEN CASE WHEN abs(CAST(CAST((e.properties ->> 'total') AS TEXT) AS NUMERIC)) >= power(CAST(2 AS NUMERIC), 1024) - power(CAST(2 AS NUMERIC), 970) THEN NULL WHEN abs(CAST(CAST((e.properties ->> 'total') AS TEXT) AS NUMERIC)) * power(CAST(2 AS NUMERIC), 1075) <= 1 THEN CAST(0 AS DOUBLE PRECISION) ELSE CAST(CAST((e.properties ->> 'total') AS TEXT) AS DOUBLE PRECISION) END END > 10, FALSE)) AS n_4 -- json_audience
FROM (SELECT DISTINCT ON (id) * FROM "raw"."events" ORDER BY id, "timestamp") AS e
WHERE e.user_id IS NOT NULL
  AND e."timestamp" <= CAST($1 AS TIMESTAMP)
  AND (e.event = 'Page Viewed'
    OR e.event = 'Order Completed')
GROUP BY e.user_id;

-- account features folded from the user features of the events of raw.events
DROP TABLE IF EXISTS pg_temp."_plan_events_accounts";
CREATE TEMPORARY TABLE pg_temp."_plan_events_accounts" AS
SELECT
  au.group_id,
  (array_agg(f.first_1 ORDER BY f.first_ts_2, f.first_id_3) FILTER (WHERE f.first_1 IS NOT NULL))[1] AS first_1 -- json_first
FROM pg_temp."_plan_events_users" AS f
JOIN pg_temp."_plan_account_users" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;

-- computed_trait json_first (account): read off the event features
DROP TABLE IF EXISTS pg_temp."_run_json_first";
CREATE TEMPORARY TABLE pg_temp."_run_json_first" AS
SELECT group_id, first_1 AS "json_first"
FROM pg_temp."_plan_events_accounts"
WHERE first_1 IS NOT NULL;

-- sql_trait json_sql (user): user SQL, shape-checked by the run
DROP TABLE IF EXISTS pg_temp."_run_json_sql";
CREATE TEMPORARY TABLE pg_temp."_run_json_sql" AS
WITH "roster_source_events" AS (SELECT DISTINCT ON (id) * FROM "raw"."events" ORDER BY id, "timestamp")
SELECT * FROM (
SELECT user_id, count(*) AS json_sql FROM "roster_source_events" WHERE "timestamp" <= CAST($1 AS TIMESTAMP) AND user_id IS NOT NULL GROUP BY user_id
) AS sql_trait_rows;

-- the latest non-null value of each custom trait over identify calls (SPEC 3)
DROP TABLE IF EXISTS pg_temp."_plan_user_traits";
CREATE TEMPORARY TABLE pg_temp."_plan_user_traits" AS
SELECT
  user_id,
  (array_agg((traits ->> 'plan') ORDER BY "timestamp" DESC, id DESC) FILTER (WHERE (traits ->> 'plan') IS NOT NULL))[1] AS trait_plan,
  (array_agg((traits ->> 'json_first_user') ORDER BY "timestamp" DESC, id DESC) FILTER (WHERE (traits ->> 'json_first_user') IS NOT NULL))[1] AS trait_json_first_user
FROM (SELECT DISTINCT ON (id) * FROM "raw"."identifies" ORDER BY id, "timestamp") AS "identifies"
WHERE user_id IS NOT NULL AND "timestamp" <= CAST($1 AS TIMESTAMP)
GROUP BY user_id;

-- every user (SPEC 3): events, identify and group calls, SQL traits
DROP TABLE IF EXISTS pg_temp."_plan_all_users";
CREATE TEMPORARY TABLE pg_temp."_plan_all_users" AS
SELECT user_id FROM (SELECT DISTINCT ON (id) * FROM "raw"."events" ORDER BY id, "timestamp") AS "events" WHERE user_id IS NOT NULL AND "timestamp" <= CAST($1 AS TIMESTAMP)
UNION
SELECT user_id FROM (SELECT DISTINCT ON (id) * FROM "raw"."identifies" ORDER BY id, "timestamp") AS "identifies" WHERE user_id IS NOT NULL AND "timestamp" <= CAST($1 AS TIMESTAMP)
UNION
SELECT user_id FROM (SELECT DISTINCT ON (id) * FROM "raw"."groups" ORDER BY id, "timestamp") AS "groups" WHERE user_id IS NOT NULL AND "timestamp" <= CAST($1 AS TIMESTAMP)
UNION
SELECT user_id FROM pg_temp."_run_json_sql" WHERE user_id IS NOT NULL;

-- audience json_audience (user)
DROP TABLE IF EXISTS pg_temp."_run_json_audience";
CREATE TEMPORARY TABLE pg_temp."_run_json_audience" AS
SELECT entity.user_id
FROM pg_temp."_plan_all_users" AS entity
LEFT JOIN pg_temp."_plan_user_traits" AS entity_plan_user_traits ON entity_plan_user_traits.user_id = entity.user_id
LEFT JOIN pg_temp."_plan_events_users" AS entity_events_users ON entity_events_users.user_id = entity.user_id
WHERE (COALESCE((CAST(entity_plan_user_traits.trait_plan AS TEXT) COLLATE "C") = 'pro', FALSE)
  AND (COALESCE(entity_events_users.n_4, 0) >= 2)
  AND (entity_plan_user_traits.trait_json_first_user IS NOT NULL));
