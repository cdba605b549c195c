-- roster computed_trait json_first (account), snowflake
-- parameter as_of: the run's instant (UTC)
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."TIMESTAMP", IFF(IS_NULL_VALUE(GET(e.properties, 'path/with~odd''chars')), NULL, GET(e.properties, 'path/with~odd''chars')) AS value
  FROM (SELECT * FROM "RAW"."EVENTS" QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY "TIMESTAMP") = 1) AS e
  WHERE e.event = 'Page Viewed'
    AND e.user_id IS NOT NULL
    AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
),
account_users AS (
  SELECT DISTINCT group_id, user_id FROM (SELECT * FROM "RAW"."GROUPS" QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY "TIMESTAMP") = 1) AS "GROUPS"
  WHERE group_id IS NOT NULL AND user_id IS NOT NULL AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
),
entity_values AS (
  SELECT au.group_id AS group_id, ARRAY_AGG(e.value) WITHIN GROUP (ORDER BY e."TIMESTAMP", e.id)[0] AS value
  FROM matching_events AS e
  JOIN account_users AS au ON au.user_id = e.user_id
  GROUP BY au.group_id
)
SELECT group_id, value AS "JSON_FIRST"
FROM entity_values
WHERE value IS NOT NULL
