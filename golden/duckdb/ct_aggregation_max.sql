-- roster computed_trait ct_aggregation_max (user), duckdb
-- parameter as_of: the run's instant (UTC)
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."timestamp", e."total" AS value
  FROM "main"."order_completed" AS e
  WHERE e.event_text = 'Order Completed'
    AND e.user_id IS NOT NULL
    AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
    AND COALESCE(CAST(e."currency" AS VARCHAR) IN ('USD', 'EUR'), FALSE)
),
entity_values AS (
  SELECT e.user_id AS user_id, max(TRY_CAST(e.value AS DOUBLE)) AS value
  FROM matching_events AS e
  GROUP BY e.user_id
)
SELECT user_id, CASE WHEN value IS NULL OR value = 0 OR isinf(value) OR isnan(value) THEN value ELSE round(value, CAST(11 - floor(log10(abs(value))) AS INTEGER)) END AS "ct_aggregation_max"
FROM entity_values
WHERE value IS NOT NULL
