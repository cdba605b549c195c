-- roster computed_trait json_first (account), duckdb
-- parameter as_of: the run's instant (UTC)
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."timestamp", nullif(json_extract(e.properties, '/path~1with~0odd''chars'), CAST('null' AS JSON)) AS value
  FROM (SELECT * FROM "raw"."events" QUALIFY row_number() OVER (PARTITION BY id ORDER BY "timestamp") = 1) AS e
  WHERE e.event = 'Page Viewed'
    AND e.user_id IS NOT NULL
    AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
),
account_users AS (
  SELECT DISTINCT group_id, user_id FROM (SELECT * FROM "raw"."groups" QUALIFY row_number() OVER (PARTITION BY id ORDER BY "timestamp") = 1) AS "groups"
  WHERE group_id IS NOT NULL AND user_id IS NOT NULL AND "timestamp" <= CAST($as_of AS TIMESTAMP)
),
entity_values AS (
  SELECT au.group_id AS group_id, first(e.value ORDER BY e."timestamp", e.id) FILTER (WHERE e.value IS NOT NULL) AS value
  FROM matching_events AS e
  JOIN account_users AS au ON au.user_id = e.user_id
  GROUP BY au.group_id
)
SELECT group_id, value AS "json_first"
FROM entity_values
WHERE value IS NOT NULL
