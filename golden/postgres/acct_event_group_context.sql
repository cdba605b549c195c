-- roster audience acct_event_group_context (account), postgres
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: acct_software, st_account_members (in a run, that run's; run alone, the last committed ones in the state schema)
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "main"."groups"
  WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT group_id, user_id FROM "roster"."st_account_members" WHERE CAST(user_id AS VARCHAR) <> ''
),
event_logged_in AS (
  SELECT au.group_id, count(*) AS n
  FROM (
    SELECT e.id, e.user_id, e."timestamp", e."context_group_id" AS context_group_id
    FROM "main"."logged_in" AS e
    WHERE e.event_text = 'Logged In'
      AND CAST(e.user_id AS VARCHAR) <> ''
      AND e."timestamp" <= CAST($1 AS TIMESTAMP)
  ) AS e
  JOIN account_users AS au ON au.user_id = e.user_id AND e.context_group_id = au.group_id
  GROUP BY au.group_id
),
users_of_acct_software AS (
  SELECT DISTINCT au.user_id
  FROM account_users AS au
  JOIN "roster"."acct_software" AS m ON m.group_id = au.group_id
),
users_matching AS (
  SELECT au.group_id, bool_or((au_users_of_acct_software.user_id IS NOT NULL)) AS any_user, bool_and((au_users_of_acct_software.user_id IS NOT NULL)) AS all_users
  FROM account_users AS au
  LEFT JOIN users_of_acct_software AS au_users_of_acct_software ON au_users_of_acct_software.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM event_logged_in AS entity
LEFT JOIN users_matching AS entity_users_matching ON entity_users_matching.group_id = entity.group_id
LEFT JOIN "roster"."acct_software" AS entity_acct_software ON entity_acct_software.group_id = entity.group_id
WHERE ((COALESCE(entity.n, 0) >= 10)
  AND NOT COALESCE(entity_users_matching.any_user, FALSE)
  AND (entity_acct_software.group_id IS NULL))
