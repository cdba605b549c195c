-- roster audience fully_engaged_accounts (account), postgres
-- Accounts where every user logged in and used a feature in the last 14 days (never true for an account without users).
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: active_users_30d (in a run, that run's; run alone, the last committed ones in the state schema)
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "main"."groups"
  WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT group_id, user_id FROM "roster"."active_users_30d" WHERE CAST(user_id AS VARCHAR) <> ''
),
event_logged_in AS (
  SELECT e.user_id, count(*) AS n
  FROM (
    SELECT e.id, e.user_id, e."timestamp"
    FROM "main"."logged_in" AS e
    WHERE e.event_text = 'Logged In'
      AND CAST(e.user_id AS VARCHAR) <> ''
      AND e."timestamp" <= CAST($1 AS TIMESTAMP)
      AND e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '14 days'
  ) AS e
  GROUP BY e.user_id
),
event_feature_used AS (
  SELECT e.user_id, count(*) AS n
  FROM (
    SELECT e.id, e.user_id, e."timestamp"
    FROM "main"."feature_used" AS e
    WHERE e.event_text = 'Feature Used'
      AND CAST(e.user_id AS VARCHAR) <> ''
      AND e."timestamp" <= CAST($1 AS TIMESTAMP)
      AND e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '14 days'
  ) AS e
  GROUP BY e.user_id
),
users_matching AS (
  SELECT au.group_id, bool_or(((COALESCE(au_event_logged_in.n, 0) >= 1)
    AND (COALESCE(au_event_feature_used.n, 0) >= 1))) AS any_user, bool_and(((COALESCE(au_event_logged_in.n, 0) >= 1)
    AND (COALESCE(au_event_feature_used.n, 0) >= 1))) AS all_users
  FROM account_users AS au
  LEFT JOIN event_logged_in AS au_event_logged_in ON au_event_logged_in.user_id = au.user_id
  LEFT JOIN event_feature_used AS au_event_feature_used ON au_event_feature_used.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM users_matching AS entity
WHERE COALESCE(entity.all_users, FALSE)
