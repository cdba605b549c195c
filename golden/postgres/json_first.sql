-- roster computed_trait json_first (account), postgres
-- parameter as_of: the run's instant (UTC)
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."timestamp", nullif(CAST(e.properties AS JSONB) -> 'path/with~odd''chars', CAST('null' AS JSONB)) AS value
  FROM (SELECT DISTINCT ON (id) * FROM "raw"."events" ORDER BY id, "timestamp") AS e
  WHERE e.event = 'Page Viewed'
    AND e.user_id IS NOT NULL
    AND e."timestamp" <= CAST($1 AS TIMESTAMP)
),
account_users AS (
  SELECT DISTINCT group_id, user_id FROM (SELECT DISTINCT ON (id) * FROM "raw"."groups" ORDER BY id, "timestamp") AS "groups"
  WHERE group_id IS NOT NULL AND user_id IS NOT NULL AND "timestamp" <= CAST($1 AS TIMESTAMP)
),
entity_values AS (
  SELECT au.group_id AS group_id, (array_agg(e.value ORDER BY e."timestamp", e.id) FILTER (WHERE e.value IS NOT NULL))[1] AS value
  FROM matching_events AS e
  JOIN account_users AS au ON au.user_id = e.user_id
  GROUP BY au.group_id
)
SELECT group_id, value AS "json_first"
FROM entity_values
WHERE value IS NOT NULL
