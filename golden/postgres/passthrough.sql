-- roster audience passthrough (user), postgres
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
users_of_acct_software AS (
  SELECT DISTINCT au.user_id
  FROM account_users AS au
  JOIN "roster"."acct_software" AS m ON m.group_id = au.group_id
),
user_trait_role AS (
  SELECT user_id, (array_agg("role" ORDER BY "timestamp" DESC NULLS FIRST, (CAST(id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE "role" IS NOT NULL))[1] AS value
  FROM "main"."identifies"
  WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  GROUP BY user_id
)
SELECT entity.user_id
FROM user_trait_role AS entity
LEFT JOIN users_of_acct_software AS entity_users_of_acct_software ON entity_users_of_acct_software.user_id = entity.user_id
WHERE ((entity_users_of_acct_software.user_id IS NOT NULL)
  AND COALESCE((CAST(entity.value AS TEXT) COLLATE "C") = 'admin', FALSE))
