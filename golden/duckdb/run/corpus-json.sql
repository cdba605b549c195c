-- roster run plan corpus-json, duckdb: the whole run, sharing work between definitions.
-- parameter as_of: the run's instant (UTC)
-- Each definition ends in its scratch table with the rows its standalone query gives.

-- the users of each account: group calls and associating SQL traits
CREATE OR REPLACE TEMPORARY TABLE "_plan_account_users" AS
SELECT DISTINCT group_id, user_id FROM (SELECT * FROM "raw"."groups" QUALIFY row_number() OVER (PARTITION BY id ORDER BY "timestamp") = 1) AS "groups"
WHERE group_id IS NOT NULL AND user_id IS NOT NULL AND "timestamp" <= CAST($as_of AS TIMESTAMP);

-- user features: one pass over the events of raw.events
CREATE OR REPLACE TEMPORARY TABLE "_plan_events_users" AS
SELECT
  e.user_id,
  first(CASE WHEN e.event = 'Page Viewed' THEN nullif(json_extract(e.properties, '/path~1with~0odd''chars'), CAST('null' AS JSON)) END ORDER BY e."timestamp", e.id) FILTER (WHERE CASE WHEN e.event = 'Page Viewed' THEN nullif(json_extract(e.properties, '/path~1with~0odd''chars'), CAST('null' AS JSON)) END IS NOT NULL) AS first_1, -- json_first
  min(CASE WHEN e.event = 'Page Viewed' AND nullif(json_extract(e.properties, '/path~1with~0odd''chars'), CAST('null' AS JSON)) IS NOT NULL THEN e."timestamp" END) AS first_ts_2, -- json_first
  first(CASE WHEN e.event = 'Page Viewed' AND nullif(json_extract(e.properties, '/path~1with~0odd''chars'), CAST('null' AS JSON)) IS NOT NULL THEN e.id END ORDER BY e."timestamp", e.id) FILTER (WHERE CASE WHEN e.event = 'Page Viewed' AND nullif(json_extract(e.properties, '/path~1with~0odd''chars'), CAST('null' AS JSON)) IS NOT NULL THEN e.id END IS NOT NULL) AS first_id_3, -- json_first
  count(*) FILTER (WHERE e.event = 'Order Completed' AND COALESCE(CASE WHEN typeof(json_extract_string(e.properties, '/total')) IN ('DOUBLE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT') THEN CASE WHEN isfinite(TRY_CAST(json_extract_string(e.properties, '/total') AS DOUBLE)) THEN TRY_CAST(json_extract_string(e.properties, '/total') AS DOUBLE) END WHEN length(CAST(json_extract_string(e.properties, '/total') AS VARCHAR)) <= 1000 AND regexp_full_match(CAST(json_extract_string(e.properties, '/total') AS VARCHAR), '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$') AND isfinite(TRY_CAST(CAST(json_extract_string(e.properties, '/total') AS VARCHAR) AS DOUBLE)) THEN TRY_CAST(CAST(json_extract_string(e.properties, '/total') AS VARCHAR) AS DOUBLE) END > 10, FALSE)) AS n_4 -- json_audience
FROM (SELECT * FROM "raw"."events" QUALIFY row_number() OVER (PARTITION BY id ORDER BY "timestamp") = 1) AS e
WHERE e.user_id IS NOT NULL
  AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
  AND (e.event = 'Page Viewed'
    OR e.event = 'Order Completed')
GROUP BY e.user_id;

-- account features folded from the user features of the events of raw.events
CREATE OR REPLACE TEMPORARY TABLE "_plan_events_accounts" AS
SELECT
  au.group_id,
  first(f.first_1 ORDER BY f.first_ts_2, f.first_id_3) FILTER (WHERE f.first_1 IS NOT NULL) AS first_1 -- json_first
FROM temp.main."_plan_events_users" AS f
JOIN temp.main."_plan_account_users" AS au ON au.user_id = f.user_id
GROUP BY au.group_id;

-- computed_trait json_first (account): read off the event features
CREATE OR REPLACE TEMPORARY TABLE "_run_json_first" AS
SELECT group_id, first_1 AS "json_first"
FROM temp.main."_plan_events_accounts"
WHERE first_1 IS NOT NULL;

-- sql_trait json_sql (user): user SQL, shape-checked by the run
CREATE OR REPLACE TEMPORARY TABLE "_run_json_sql" AS
WITH "roster_source_events" AS (SELECT * FROM "raw"."events" QUALIFY row_number() OVER (PARTITION BY id ORDER BY "timestamp") = 1)
SELECT * FROM (
SELECT user_id, count(*) AS json_sql FROM "roster_source_events" WHERE "timestamp" <= CAST($as_of AS TIMESTAMP) AND user_id IS NOT NULL GROUP BY user_id
) AS sql_trait_rows;

-- the latest non-null value of each custom trait over identify calls (SPEC 3)
CREATE OR REPLACE TEMPORARY TABLE "_plan_user_traits" AS
SELECT
  user_id,
  first(json_extract_string(traits, '/plan') ORDER BY "timestamp" DESC, id DESC) FILTER (WHERE json_extract_string(traits, '/plan') IS NOT NULL) AS trait_plan,
  first(json_extract_string(traits, '/json_first_user') ORDER BY "timestamp" DESC, id DESC) FILTER (WHERE json_extract_string(traits, '/json_first_user') IS NOT NULL) AS trait_json_first_user
FROM (SELECT * FROM "raw"."identifies" QUALIFY row_number() OVER (PARTITION BY id ORDER BY "timestamp") = 1) AS "identifies"
WHERE user_id IS NOT NULL AND "timestamp" <= CAST($as_of AS TIMESTAMP)
GROUP BY user_id;

-- every user (SPEC 3): events, identify and group calls, SQL traits
CREATE OR REPLACE TEMPORARY TABLE "_plan_all_users" AS
SELECT user_id FROM (SELECT * FROM "raw"."events" QUALIFY row_number() OVER (PARTITION BY id ORDER BY "timestamp") = 1) AS "events" WHERE user_id IS NOT NULL AND "timestamp" <= CAST($as_of AS TIMESTAMP)
UNION
SELECT user_id FROM (SELECT * FROM "raw"."identifies" QUALIFY row_number() OVER (PARTITION BY id ORDER BY "timestamp") = 1) AS "identifies" WHERE user_id IS NOT NULL AND "timestamp" <= CAST($as_of AS TIMESTAMP)
UNION
SELECT user_id FROM (SELECT * FROM "raw"."groups" QUALIFY row_number() OVER (PARTITION BY id ORDER BY "timestamp") = 1) AS "groups" WHERE user_id IS NOT NULL AND "timestamp" <= CAST($as_of AS TIMESTAMP)
UNION
SELECT user_id FROM temp.main."_run_json_sql" WHERE user_id IS NOT NULL;

-- audience json_audience (user)
CREATE OR REPLACE TEMPORARY TABLE "_run_json_audience" AS
SELECT entity.user_id
FROM temp.main."_plan_all_users" AS entity
LEFT JOIN temp.main."_plan_user_traits" AS entity_plan_user_traits ON entity_plan_user_traits.user_id = entity.user_id
LEFT JOIN temp.main."_plan_events_users" AS entity_events_users ON entity_events_users.user_id = entity.user_id
WHERE (COALESCE(CAST(entity_plan_user_traits.trait_plan AS VARCHAR) = 'pro', FALSE)
  AND (COALESCE(entity_events_users.n_4, 0) >= 2)
  AND (entity_plan_user_traits.trait_json_first_user IS NOT NULL));
