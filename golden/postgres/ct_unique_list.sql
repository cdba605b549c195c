-- roster computed_trait ct_unique_list (user), postgres
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."timestamp", e."feature_name" AS value
  FROM "main"."feature_used" AS e
  WHERE e.event_text = 'Feature Used'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."timestamp" <= CAST($1 AS TIMESTAMP)
    AND COALESCE(NOT (strpos((CAST(e."feature_name" AS TEXT) COLLATE "C"), 'beta') > 0), FALSE)
),
entity_values AS (
  SELECT e.user_id AS user_id, array_agg(DISTINCT (CAST(e.value AS TEXT) COLLATE "C") ORDER BY (CAST(e.value AS TEXT) COLLATE "C")) FILTER (WHERE e.value IS NOT NULL) AS value
  FROM matching_events AS e
  GROUP BY e.user_id
)
SELECT user_id, value AS "ct_unique_list"
FROM entity_values
WHERE value IS NOT NULL
