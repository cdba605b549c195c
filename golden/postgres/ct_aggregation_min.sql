-- roster computed_trait ct_aggregation_min (user), postgres
-- parameter as_of: the run's instant (UTC)
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."timestamp", e."total" AS value
  FROM "main"."order_completed" AS e
  WHERE e.event_text = 'Order Completed'
    AND e.user_id IS NOT NULL
    AND e."timestamp" <= CAST($1 AS TIMESTAMP)
    AND COALESCE((CAST(e."currency" AS TEXT) COLLATE "C") IN ('USD', 'EUR'), FALSE)
),
entity_values AS (
  SELECT e.user_id AS user_id, min(CASE WHEN CAST(e.value AS TEXT) ~ '^\s*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$' THEN CAST(CAST(e.value AS TEXT) AS DOUBLE PRECISION) END) AS value
  FROM matching_events AS e
  GROUP BY e.user_id
)
SELECT user_id, CASE WHEN value IS NULL OR value = 0 OR value IN ('Infinity', '-Infinity', 'NaN') THEN value ELSE CAST(round(CAST(value AS NUMERIC), CAST(11 - floor(log(abs(value))) AS INTEGER)) AS DOUBLE PRECISION) END AS "ct_aggregation_min"
FROM entity_values
WHERE value IS NOT NULL
