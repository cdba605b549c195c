-- roster audience users_group_context (account), postgres
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: st_account_members (in a run, that run's; run alone, the last committed ones in the state schema)
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "main"."groups"
  WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT group_id, user_id FROM "roster"."st_account_members" WHERE CAST(user_id AS VARCHAR) <> ''
),
event_in_account_logged_in AS (
  SELECT e.user_id, e.context_group_id AS group_id, count(*) AS n
  FROM (
    SELECT e.id, e.user_id, e."timestamp", e."context_group_id" AS context_group_id
    FROM "main"."logged_in" AS e
    WHERE e.event_text = 'Logged In'
      AND CAST(e.user_id AS VARCHAR) <> ''
      AND e."timestamp" <= CAST($1 AS TIMESTAMP)
      AND e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '30 days'
  ) AS e
  WHERE e.context_group_id IS NOT NULL
  GROUP BY e.user_id, e.context_group_id
),
user_trait_role AS (
  SELECT user_id, (array_agg("role" ORDER BY "timestamp" DESC NULLS FIRST, (CAST(id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE "role" IS NOT NULL))[1] AS value
  FROM "main"."identifies"
  WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  GROUP BY user_id
),
users_matching AS (
  SELECT au.group_id, bool_or(((COALESCE(au_event_in_account_logged_in.n, 0) >= 2)
    AND COALESCE((CAST(au_user_trait_role.value AS TEXT) COLLATE "C") = 'admin', FALSE))) AS any_user, bool_and(((COALESCE(au_event_in_account_logged_in.n, 0) >= 2)
    AND COALESCE((CAST(au_user_trait_role.value AS TEXT) COLLATE "C") = 'admin', FALSE))) AS all_users
  FROM account_users AS au
  LEFT JOIN event_in_account_logged_in AS au_event_in_account_logged_in ON au_event_in_account_logged_in.user_id = au.user_id AND au_event_in_account_logged_in.group_id = au.group_id
  LEFT JOIN user_trait_role AS au_user_trait_role ON au_user_trait_role.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM users_matching AS entity
WHERE COALESCE(entity.any_user, FALSE)
