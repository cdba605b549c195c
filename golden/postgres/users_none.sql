-- roster audience users_none (account), postgres
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: op_eq, st_account_members (in a run, that run's; run alone, the last committed ones in the state schema)
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "main"."groups"
  WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT group_id, user_id FROM "roster"."st_account_members" WHERE CAST(user_id AS VARCHAR) <> ''
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
      AND COALESCE((CAST(e."feature_name" AS TEXT) COLLATE "C") = 'reports', FALSE)
  ) AS e
  GROUP BY e.user_id
),
users_matching AS (
  SELECT au.group_id, bool_or(((COALESCE(au_event_feature_used.n, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS any_user, bool_and(((COALESCE(au_event_feature_used.n, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS all_users
  FROM account_users AS au
  LEFT JOIN event_feature_used AS au_event_feature_used ON au_event_feature_used.user_id = au.user_id
  LEFT JOIN "roster"."op_eq" AS au_op_eq ON au_op_eq.user_id = au.user_id
  GROUP BY au.group_id
),
all_accounts AS (
  SELECT DISTINCT group_id FROM "main"."groups" WHERE CAST(group_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT group_id FROM "roster"."st_account_members"
)
SELECT entity.group_id
FROM all_accounts AS entity
LEFT JOIN users_matching AS entity_users_matching ON entity_users_matching.group_id = entity.group_id
WHERE NOT COALESCE(entity_users_matching.any_user, FALSE)
