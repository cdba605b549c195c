-- roster computed_trait ct_last (user), snowflake
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
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
WHERE value IS NOT NULL
