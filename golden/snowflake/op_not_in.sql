-- roster audience op_not_in (user), snowflake
-- parameter as_of: the run's instant (UTC)
-- reads this run's results of: st_account_members, st_state, st_user
WITH
user_trait_plan AS (
  SELECT user_id, ARRAY_AGG("PLAN") WITHIN GROUP (ORDER BY "TIMESTAMP" DESC, id DESC)[0] AS value
  FROM "MAIN"."IDENTIFIES"
  WHERE user_id IS NOT NULL AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  GROUP BY user_id
),
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
LEFT JOIN user_trait_plan AS entity_user_trait_plan ON entity_user_trait_plan.user_id = entity.user_id
WHERE COALESCE(CASE WHEN LENGTH(CAST(entity_user_trait_plan.value AS VARCHAR)) <= 1000 AND REGEXP_LIKE(CAST(entity_user_trait_plan.value AS VARCHAR), '^[ \\t\\n\\r\\f\\v]*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \\t\\n\\r\\f\\v]*$') AND ABS(TRY_CAST(CAST(entity_user_trait_plan.value AS VARCHAR) AS DOUBLE)) < CAST('inf' AS DOUBLE) THEN TRY_CAST(CAST(entity_user_trait_plan.value AS VARCHAR) AS DOUBLE) END NOT IN (1, 2), FALSE)
