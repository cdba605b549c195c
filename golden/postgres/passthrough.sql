-- roster audience passthrough (user), postgres
-- parameter as_of: the run's instant (UTC)
-- reads this run's results of: acct_software, st_account_members, st_state, st_user
WITH
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "main"."groups"
  WHERE group_id IS NOT NULL AND user_id IS NOT NULL AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT group_id, user_id FROM "roster"."st_account_members" WHERE user_id IS NOT NULL
),
users_of_acct_software AS (
  SELECT DISTINCT au.user_id
  FROM account_users AS au
  JOIN "roster"."acct_software" AS m ON m.group_id = au.group_id
),
user_trait_role AS (
  SELECT user_id, (array_agg("role" ORDER BY "timestamp" DESC, id DESC) FILTER (WHERE "role" IS NOT NULL))[1] AS value
  FROM "main"."identifies"
  WHERE user_id IS NOT NULL AND "timestamp" <= CAST($1 AS TIMESTAMP)
  GROUP BY user_id
),
all_users AS (
  SELECT DISTINCT user_id FROM "main"."tracks" WHERE user_id IS NOT NULL AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT user_id FROM "main"."identifies" WHERE user_id IS NOT NULL AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT user_id FROM "main"."groups" WHERE user_id IS NOT NULL AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT user_id FROM "roster"."st_account_members" WHERE user_id IS NOT NULL
  UNION
  SELECT DISTINCT user_id FROM "roster"."st_state" WHERE user_id IS NOT NULL
  UNION
  SELECT DISTINCT user_id FROM "roster"."st_user" WHERE user_id IS NOT NULL
)
SELECT entity.user_id
FROM all_users AS entity
LEFT JOIN users_of_acct_software AS entity_users_of_acct_software ON entity_users_of_acct_software.user_id = entity.user_id
LEFT JOIN user_trait_role AS entity_user_trait_role ON entity_user_trait_role.user_id = entity.user_id
WHERE ((entity_users_of_acct_software.user_id IS NOT NULL)
  AND COALESCE((CAST(entity_user_trait_role.value AS TEXT) COLLATE "C") = 'admin', FALSE))
