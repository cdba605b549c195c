-- roster computed_trait total_revenue (account), postgres
-- Lifetime revenue in USD from orders placed by the account's users (other currencies are left out, not converted).
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: active_users_30d (in a run, that run's; run alone, the last committed ones in the state schema)
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."timestamp", e."total" AS value
  FROM "main"."order_completed" AS e
  WHERE e.event_text = 'Order Completed'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."timestamp" <= CAST($1 AS TIMESTAMP)
    AND COALESCE((CAST(e."currency" AS TEXT) COLLATE "C") = 'USD', FALSE)
),
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "main"."groups"
  WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT group_id, user_id FROM "roster"."active_users_30d" WHERE CAST(user_id AS VARCHAR) <> ''
),
entity_values AS (
  SELECT au.group_id AS group_id, sum(CASE WHEN length(CAST(e.value AS TEXT)) <= 200 AND CAST(e.value AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,2})?[ \t\n\r\f\v]*$' THEN CAST(CAST(e.value AS TEXT) AS DOUBLE PRECISION) WHEN length(CAST(e.value AS TEXT)) <= 1000 AND CAST(e.value AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$' THEN CASE WHEN abs(CAST(CAST(e.value AS TEXT) AS NUMERIC)) >= power(CAST(2 AS NUMERIC), 1024) - power(CAST(2 AS NUMERIC), 970) THEN NULL WHEN abs(CAST(CAST(e.value AS TEXT) AS NUMERIC)) * power(CAST(2 AS NUMERIC), 1075) <= 1 THEN CAST(0 AS DOUBLE PRECISION) ELSE CAST(CAST(e.value AS TEXT) AS DOUBLE PRECISION) END END) AS value
  FROM matching_events AS e
  JOIN account_users AS au ON au.user_id = e.user_id
  GROUP BY au.group_id
)
SELECT group_id, CASE WHEN value IS NULL OR value = 0 OR value IN ('Infinity', '-Infinity', 'NaN') THEN value ELSE CAST(CASE WHEN round(2 * CAST(value AS NUMERIC), CAST(11 - floor(log(abs(value))) AS INTEGER)) = 2 * CAST(value AS NUMERIC) AND round(CAST(value AS NUMERIC), CAST(11 - floor(log(abs(value))) AS INTEGER)) <> CAST(value AS NUMERIC) AND abs(value) < abs(CAST(CAST(value AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(value AS NUMERIC), CAST(11 - floor(log(abs(value))) AS INTEGER)) ELSE round(CAST(value AS NUMERIC), CAST(11 - floor(log(abs(value))) AS INTEGER)) END AS DOUBLE PRECISION) END AS "total_revenue"
FROM entity_values
WHERE value IS NOT NULL
