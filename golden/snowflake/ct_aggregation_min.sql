-- roster computed_trait ct_aggregation_min (user), snowflake
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."TIMESTAMP", e."TOTAL" AS value
  FROM "MAIN"."ORDER_COMPLETED" AS e
  WHERE e.event_text = 'Order Completed'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
    AND COALESCE(CAST(e."CURRENCY" AS VARCHAR) IN ('USD', 'EUR'), FALSE)
),
entity_values AS (
  SELECT e.user_id AS user_id, min(CASE WHEN LENGTH(CAST(e.value AS VARCHAR)) <= 1000 AND REGEXP_LIKE(CAST(e.value AS VARCHAR), '^[ \\t\\n\\r\\f\\v]*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \\t\\n\\r\\f\\v]*$') AND ABS(TRY_CAST(CAST(e.value AS VARCHAR) AS DOUBLE)) < CAST('inf' AS DOUBLE) THEN TRY_CAST(CAST(e.value AS VARCHAR) AS DOUBLE) END) AS value
  FROM matching_events AS e
  GROUP BY e.user_id
)
SELECT user_id, CASE WHEN value IS NULL OR value = 0 THEN value ELSE ROUND(value, 11 - FLOOR(LOG(10, ABS(value)))) END AS "CT_AGGREGATION_MIN"
FROM entity_values
WHERE value IS NOT NULL
