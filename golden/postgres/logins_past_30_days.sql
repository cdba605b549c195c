-- roster computed_trait logins_past_30_days (account), postgres
-- Logins by all of the account's users in the 30 days before the run.
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: active_users_30d (in a run, that run's; run alone, the last committed ones in the state schema)
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."timestamp"
  FROM "main"."logged_in" AS e
  WHERE e.event_text = 'Logged In'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."timestamp" <= CAST($1 AS TIMESTAMP)
    AND e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '30 days'
),
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "main"."groups"
  WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT group_id, user_id FROM "roster"."active_users_30d" WHERE CAST(user_id AS VARCHAR) <> ''
)
SELECT au.group_id AS group_id, count(*) AS "logins_past_30_days"
FROM matching_events AS e
JOIN account_users AS au ON au.user_id = e.user_id
GROUP BY au.group_id
