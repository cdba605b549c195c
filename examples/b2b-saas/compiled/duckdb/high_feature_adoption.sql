-- roster audience high_feature_adoption (user), duckdb
-- Users who have tried at least 4 of the 6 features; candidates for the beta programme.
-- parameter as_of: the run's instant (UTC)
-- reads this run's results of: feature_count
SELECT entity.user_id
FROM "roster"."feature_count" AS entity
WHERE COALESCE(COALESCE(entity."feature_count", 0) >= 4, FALSE)
