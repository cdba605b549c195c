-- roster computed_trait ct_aggregation_min (user), postgres
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."timestamp", e."total" AS value
  FROM "main"."order_completed" AS e
  WHERE e.event_text = 'Order Completed'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."timestamp" <= CAST($1 AS TIMESTAMP)
    AND COALESCE((CAST(e."currency" AS TEXT) COLLATE "C") IN ('USD', 'EUR'), FALSE)
),
entity_values AS (
  SELECT e.user_id AS user_id, min(CASE WHEN length(CAST(e.value AS TEXT)) <= 200 AND CAST(e.value AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,2})?[ \t\n\r\f\v]*$' THEN CAST(CAST(e.value AS TEXT) AS DOUBLE PRECISION) WHEN length(CAST(e.value AS TEXT)) <= 1000 AND CAST(e.value AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$' THEN CASE WHEN abs(CAST(CAST(e.value AS TEXT) AS NUMERIC)) >= power(CAST(2 AS NUMERIC), 1024) - power(CAST(2 AS NUMERIC), 970) THEN NULL WHEN abs(CAST(CAST(e.value AS TEXT) AS NUMERIC)) * power(CAST(2 AS NUMERIC), 1075) <= 1 THEN CAST(0 AS DOUBLE PRECISION) ELSE CAST(CAST(e.value AS TEXT) AS DOUBLE PRECISION) END END) AS value
  FROM matching_events AS e
  GROUP BY e.user_id
)
SELECT user_id, CASE WHEN value IS NULL OR value = 0 OR value IN ('Infinity', '-Infinity', 'NaN') THEN value ELSE CAST(CASE WHEN round(2 * CAST(value AS NUMERIC), CAST(11 - floor(log(abs(value))) AS INTEGER)) = 2 * CAST(value AS NUMERIC) AND round(CAST(value AS NUMERIC), CAST(11 - floor(log(abs(value))) AS INTEGER)) <> CAST(value AS NUMERIC) AND abs(value) < abs(CAST(CAST(value AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(value AS NUMERIC), CAST(11 - floor(log(abs(value))) AS INTEGER)) ELSE round(CAST(value AS NUMERIC), CAST(11 - floor(log(abs(value))) AS INTEGER)) END AS DOUBLE PRECISION) END AS "ct_aggregation_min"
FROM entity_values
WHERE value IS NOT NULL
