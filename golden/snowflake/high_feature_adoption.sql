-- roster audience high_feature_adoption (user), snowflake
-- Users who have tried at least 4 of the 6 features; candidates for the beta programme.
-- parameter as_of: the run's instant (UTC)
-- reads this run's results of: active_users_30d, feature_count
WITH
all_users AS (
  SELECT DISTINCT user_id FROM "MAIN"."TRACKS" WHERE user_id IS NOT NULL AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION
  SELECT DISTINCT user_id FROM "MAIN"."IDENTIFIES" WHERE user_id IS NOT NULL AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION
  SELECT DISTINCT user_id FROM "MAIN"."GROUPS" WHERE user_id IS NOT NULL AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION
  SELECT DISTINCT user_id FROM "ROSTER"."ACTIVE_USERS_30D" WHERE user_id IS NOT NULL
)
SELECT entity.user_id
FROM all_users AS entity
LEFT JOIN "ROSTER"."FEATURE_COUNT" AS entity_feature_count ON entity_feature_count.user_id = entity.user_id
WHERE COALESCE(COALESCE(entity_feature_count."FEATURE_COUNT", 0) >= 4, FALSE)
