-- roster audience count_gt (user), postgres
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
event_logged_in AS (
  SELECT e.user_id, count(*) AS n
  FROM (
    SELECT e.id, e.user_id, e."timestamp"
    FROM "main"."logged_in" AS e
    WHERE e.event_text = 'Logged In'
      AND CAST(e.user_id AS VARCHAR) <> ''
      AND e."timestamp" <= CAST($1 AS TIMESTAMP)
      AND e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '30 days'
  ) AS e
  GROUP BY e.user_id
)
SELECT entity.user_id
FROM event_logged_in AS entity
WHERE (COALESCE(entity.n, 0) > 3)
