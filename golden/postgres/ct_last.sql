-- roster computed_trait ct_last (user), postgres
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."timestamp", e."page_path" AS value
  FROM "main"."page_viewed" AS e
  WHERE e.event_text = 'Page Viewed'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."timestamp" <= CAST($1 AS TIMESTAMP)
  UNION ALL
  SELECT e.id, e.user_id, e."timestamp", e."page_path" AS value
  FROM "main"."screen_viewed" AS e
  WHERE e.event_text = 'Screen Viewed'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."timestamp" <= CAST($1 AS TIMESTAMP)
),
entity_values AS (
  SELECT e.user_id AS user_id, (array_agg(e.value ORDER BY e."timestamp" DESC NULLS FIRST, (CAST(e.id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE e.value IS NOT NULL))[1] AS value
  FROM matching_events AS e
  GROUP BY e.user_id
)
SELECT user_id, value AS "ct_last"
FROM entity_values
WHERE value IS NOT NULL
