-- roster audience op_list_eq (user), duckdb
-- no parameter
-- reads the results of: ct_unique_list (in a run, that run's; run alone, the last committed ones in the state schema)
SELECT entity.user_id
FROM "roster"."ct_unique_list" AS entity
WHERE COALESCE(COALESCE(entity."ct_unique_list", CAST([] AS VARCHAR[])) = ['dashboards', 'reports'], FALSE)
