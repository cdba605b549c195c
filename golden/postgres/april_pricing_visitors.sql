-- roster audience april_pricing_visitors (user), postgres
-- Users who looked at the pricing page at least twice in April 2024 (the spring campaign).
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
event_page_viewed AS (
  SELECT e.user_id, count(*) AS n
  FROM (
    SELECT e.id, e.user_id, e."timestamp"
    FROM "main"."page_viewed" AS e
    WHERE e.event_text = 'Page Viewed'
      AND CAST(e.user_id AS VARCHAR) <> ''
      AND e."timestamp" <= CAST($1 AS TIMESTAMP)
      AND e."timestamp" >= TIMESTAMP '2024-04-01 00:00:00.000'
      AND e."timestamp" < TIMESTAMP '2024-05-01 00:00:00.000'
      AND COALESCE((CAST(e."path" AS TEXT) COLLATE "C") = '/pricing', FALSE)
  ) AS e
  GROUP BY e.user_id
)
SELECT entity.user_id
FROM event_page_viewed AS entity
WHERE (COALESCE(entity.n, 0) >= 2)
