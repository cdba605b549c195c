-- roster audience op_list_contains (user), snowflake
-- parameter as_of: the run's instant (UTC)
-- reads this run's results of: ct_unique_list
SELECT entity.user_id
FROM "ROSTER"."CT_UNIQUE_LIST" AS entity
WHERE COALESCE(ARRAY_CONTAINS(TO_VARIANT('api'), COALESCE(entity."CT_UNIQUE_LIST", ARRAY_CONSTRUCT())), FALSE)
