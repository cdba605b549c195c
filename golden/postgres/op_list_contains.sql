-- roster audience op_list_contains (user), postgres
-- parameter as_of: the run's instant (UTC)
-- reads this run's results of: ct_unique_list
SELECT entity.user_id
FROM "roster"."ct_unique_list" AS entity
WHERE COALESCE(('api' = ANY(COALESCE(entity."ct_unique_list", CAST(ARRAY[] AS TEXT[])))), FALSE)
