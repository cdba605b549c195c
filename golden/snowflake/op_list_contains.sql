-- roster audience op_list_contains (user), snowflake
-- parameter as_of: the run's instant (UTC)
-- reads this run's results of: ct_unique_list, st_account_members, st_state, st_user
WITH
all_users AS (
  SELECT DISTINCT user_id FROM "MAIN"."TRACKS" WHERE user_id IS NOT NULL AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION
  SELECT DISTINCT user_id FROM "MAIN"."IDENTIFIES" WHERE user_id IS NOT NULL AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION
  SELECT DISTINCT user_id FROM "MAIN"."GROUPS" WHERE user_id IS NOT NULL AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION
  SELECT DISTINCT user_id FROM "ROSTER"."ST_ACCOUNT_MEMBERS" WHERE user_id IS NOT NULL
  UNION
  SELECT DISTINCT user_id FROM "ROSTER"."ST_STATE" WHERE user_id IS NOT NULL
  UNION
  SELECT DISTINCT user_id FROM "ROSTER"."ST_USER" WHERE user_id IS NOT NULL
)
SELECT entity.user_id
FROM all_users AS entity
LEFT JOIN "ROSTER"."CT_UNIQUE_LIST" AS entity_ct_unique_list ON entity_ct_unique_list.user_id = entity.user_id
WHERE COALESCE(ARRAY_CONTAINS(TO_VARIANT('api'), COALESCE(entity_ct_unique_list."CT_UNIQUE_LIST", ARRAY_CONSTRUCT())), FALSE)
