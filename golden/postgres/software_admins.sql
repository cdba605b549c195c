-- roster audience software_admins (user), postgres
-- Admins of at least one Software account (the account audience passes through to its users).
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: active_users_30d, software_accounts (in a run, that run's; run alone, the last committed ones in the state schema)
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
user_trait_role AS (
  SELECT user_id, (array_agg("role" ORDER BY "timestamp" DESC NULLS FIRST, (CAST(id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE "role" IS NOT NULL))[1] AS value
  FROM "main"."identifies"
  WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  GROUP BY user_id
),
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "main"."groups"
  WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT group_id, user_id FROM "roster"."active_users_30d" WHERE CAST(user_id AS VARCHAR) <> ''
),
users_of_software_accounts AS (
  SELECT DISTINCT au.user_id
  FROM account_users AS au
  JOIN "roster"."software_accounts" AS m ON m.group_id = au.group_id
)
SELECT entity.user_id
FROM user_trait_role AS entity
LEFT JOIN users_of_software_accounts AS entity_users_of_software_accounts ON entity_users_of_software_accounts.user_id = entity.user_id
WHERE (COALESCE((CAST(entity.value AS TEXT) COLLATE "C") = 'admin', FALSE)
  AND (entity_users_of_software_accounts.user_id IS NOT NULL))
