-- roster audience op_list_contains (user), duckdb
-- parameter as_of: the run's instant (UTC)
-- reads this run's results of: ct_unique_list, st_account_members, st_state, st_user
WITH
all_users AS (
  SELECT DISTINCT user_id FROM "main"."tracks" WHERE user_id IS NOT NULL AND "timestamp" <= CAST($as_of AS TIMESTAMP)
  UNION
  SELECT DISTINCT user_id FROM "main"."identifies" WHERE user_id IS NOT NULL AND "timestamp" <= CAST($as_of AS TIMESTAMP)
  UNION
  SELECT DISTINCT user_id FROM "main"."groups" WHERE user_id IS NOT NULL AND "timestamp" <= CAST($as_of AS TIMESTAMP)
  UNION
  SELECT DISTINCT user_id FROM "roster"."st_account_members" WHERE user_id IS NOT NULL
  UNION
  SELECT DISTINCT user_id FROM "roster"."st_state" WHERE user_id IS NOT NULL
  UNION
  SELECT DISTINCT user_id FROM "roster"."st_user" WHERE user_id IS NOT NULL
)
SELECT entity.user_id
FROM all_users AS entity
LEFT JOIN "roster"."ct_unique_list" AS entity_ct_unique_list ON entity_ct_unique_list.user_id = entity.user_id
WHERE COALESCE(list_contains(COALESCE(entity_ct_unique_list."ct_unique_list", CAST([] AS VARCHAR[])), 'api'), FALSE)
