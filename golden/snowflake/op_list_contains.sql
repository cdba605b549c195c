-- roster audience op_list_contains (user), snowflake
-- no parameter
-- reads the results of: ct_unique_list (in a run, that run's; run alone, the last committed ones in the state schema)
SELECT entity.user_id
FROM "ROSTER"."CT_UNIQUE_LIST" AS entity
WHERE COALESCE(ARRAY_CONTAINS(TO_VARIANT('api'), COALESCE(entity."CT_UNIQUE_LIST", ARRAY_CONSTRUCT())), FALSE)
