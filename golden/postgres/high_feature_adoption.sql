-- roster audience high_feature_adoption (user), postgres
-- Users who have tried at least 4 of the 6 features; candidates for the beta programme.
-- parameter as_of: the run's instant (UTC)
-- reads this run's results of: active_users_30d, feature_count
WITH
all_users AS (
  SELECT DISTINCT user_id FROM "main"."tracks" WHERE user_id IS NOT NULL AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT user_id FROM "main"."identifies" WHERE user_id IS NOT NULL AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT user_id FROM "main"."groups" WHERE user_id IS NOT NULL AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT user_id FROM "roster"."active_users_30d" WHERE user_id IS NOT NULL
)
SELECT entity.user_id
FROM all_users AS entity
LEFT JOIN "roster"."feature_count" AS entity_feature_count ON entity_feature_count.user_id = entity.user_id
WHERE COALESCE(COALESCE(entity_feature_count."feature_count", 0) >= 4, FALSE)
