-- roster computed_trait ct_unique_list (user), snowflake
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."TIMESTAMP", e."FEATURE_NAME" AS value
  FROM "MAIN"."FEATURE_USED" AS e
  WHERE e.event_text = 'Feature Used'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
    AND COALESCE(NOT CONTAINS(CAST(e."FEATURE_NAME" AS VARCHAR), 'beta'), FALSE)
),
entity_values AS (
  SELECT e.user_id AS user_id, CASE WHEN COUNT(e.value) > 0 THEN ARRAY_AGG(DISTINCT CAST(e.value AS VARCHAR)) WITHIN GROUP (ORDER BY CAST(e.value AS VARCHAR)) END AS value
  FROM matching_events AS e
  GROUP BY e.user_id
)
SELECT user_id, value AS "CT_UNIQUE_LIST"
FROM entity_values
WHERE value IS NOT NULL
