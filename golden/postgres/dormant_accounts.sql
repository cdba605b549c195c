-- roster audience dormant_accounts (account), postgres
-- Accounts where no user logged in within 60 days (accounts without users included).
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
      AND e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '60 days'
  ) AS e
  GROUP BY e.user_id
),
users_matching AS (
  SELECT au.group_id, bool_or((COALESCE(au_event_logged_in.n, 0) >= 1)) AS any_user, bool_and((COALESCE(au_event_logged_in.n, 0) >= 1)) AS all_users
  FROM account_users AS au
  LEFT JOIN event_logged_in AS au_event_logged_in ON au_event_logged_in.user_id = au.user_id
  GROUP BY au.group_id
),
all_accounts AS (
  SELECT DISTINCT group_id FROM "main"."groups" WHERE CAST(group_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT group_id FROM "roster"."active_users_30d"
)
SELECT entity.group_id
FROM all_accounts AS entity
LEFT JOIN users_matching AS entity_users_matching ON entity_users_matching.group_id = entity.group_id
WHERE NOT COALESCE(entity_users_matching.any_user, FALSE)
