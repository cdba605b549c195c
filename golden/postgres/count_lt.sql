-- roster audience count_lt (user), postgres
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: st_account_members, st_state, st_user (in a run, that run's; run alone, the last committed ones in the state schema)
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
),
all_users AS (
  SELECT DISTINCT user_id FROM "main"."tracks" WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT user_id FROM "main"."identifies" WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT user_id FROM "main"."groups" WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT user_id FROM "roster"."st_account_members" WHERE CAST(user_id AS VARCHAR) <> ''
  UNION
  SELECT DISTINCT user_id FROM "roster"."st_state" WHERE CAST(user_id AS VARCHAR) <> ''
  UNION
  SELECT DISTINCT user_id FROM "roster"."st_user" WHERE CAST(user_id AS VARCHAR) <> ''
)
SELECT entity.user_id
FROM all_users AS entity
LEFT JOIN event_logged_in AS entity_event_logged_in ON entity_event_logged_in.user_id = entity.user_id
WHERE (COALESCE(entity_event_logged_in.n, 0) < 2)
