-- roster audience high_feature_adoption (user), duckdb
-- Users who have tried at least 4 of the 6 features; candidates for the beta programme.
-- no parameter
-- reads the results of: feature_count (in a run, that run's; run alone, the last committed ones in the state schema)
SELECT entity.user_id
FROM "roster"."feature_count" AS entity
WHERE COALESCE(COALESCE(entity."feature_count", 0) >= 4, FALSE)
