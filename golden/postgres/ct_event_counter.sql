-- roster computed_trait ct_event_counter (user), postgres
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."timestamp"
  FROM "main"."logged_in" AS e
  WHERE e.event_text = 'Logged In'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."timestamp" <= CAST($1 AS TIMESTAMP)
    AND e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '30 days'
)
SELECT e.user_id AS user_id, count(*) AS "ct_event_counter"
FROM matching_events AS e
GROUP BY e.user_id
