-- roster audience op_list_eq (user), postgres
-- no parameter
-- reads the results of: ct_unique_list (in a run, that run's; run alone, the last committed ones in the state schema)
SELECT entity.user_id
FROM "roster"."ct_unique_list" AS entity
WHERE COALESCE(COALESCE(entity."ct_unique_list", CAST(ARRAY[] AS TEXT[])) = CAST(ARRAY['dashboards', 'reports'] AS TEXT[]), FALSE)
