-- roster audience op_list_eq (user), postgres
-- no parameter
-- reads the results of: ct_unique_list (in a run, that run's; run alone, the last committed ones in the state schema)
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
SELECT entity.user_id
FROM "roster"."ct_unique_list" AS entity
WHERE COALESCE(COALESCE(entity."ct_unique_list", CAST(ARRAY[] AS TEXT[])) = CAST(ARRAY['dashboards', 'reports'] AS TEXT[]), FALSE)
