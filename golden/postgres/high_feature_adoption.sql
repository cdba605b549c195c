-- roster audience high_feature_adoption (user), postgres
-- Users who have tried at least 4 of the 6 features; candidates for the beta programme.
-- no parameter
-- reads the results of: feature_count (in a run, that run's; run alone, the last committed ones in the state schema)
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
SELECT entity.user_id
FROM "roster"."feature_count" AS entity
WHERE COALESCE(COALESCE(entity."feature_count", 0) >= 4, FALSE)
