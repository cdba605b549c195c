-- roster computed_trait ct_most_frequent (user), postgres
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."timestamp", e."feature_name" AS value
  FROM "main"."feature_used" AS e
  WHERE e.event_text = 'Feature Used'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."timestamp" <= CAST($1 AS TIMESTAMP)
),
value_counts AS (
  SELECT e.user_id AS user_id, e.value, count(*) AS n
  FROM matching_events AS e
  WHERE e.value IS NOT NULL
  GROUP BY e.user_id, e.value
),
ranked_values AS (
  SELECT user_id, value,
    row_number() OVER (PARTITION BY user_id ORDER BY n DESC, (CAST(value AS TEXT) COLLATE "C")) AS rank
  FROM value_counts
  WHERE n >= 3
)
SELECT user_id, value AS "ct_most_frequent"
FROM ranked_values
WHERE rank = 1
