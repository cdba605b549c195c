-- roster audience op_list_eq (user), snowflake
-- parameter as_of: the run's instant (UTC)
-- reads this run's results of: ct_unique_list
SELECT entity.user_id
FROM "ROSTER"."CT_UNIQUE_LIST" AS entity
WHERE COALESCE(COALESCE(entity."CT_UNIQUE_LIST", ARRAY_CONSTRUCT()) = ARRAY_CONSTRUCT('dashboards', 'reports'), FALSE)
