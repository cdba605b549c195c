-- roster audience logic_all_any_not (user), snowflake
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: ct_event_counter, op_eq, st_user (in a run, that run's; run alone, the last committed ones in the state schema)
WITH
user_trait_role AS (
  SELECT user_id, ARRAY_AGG("ROLE") WITHIN GROUP (ORDER BY "TIMESTAMP" DESC NULLS FIRST, id DESC NULLS FIRST)[0] AS value
  FROM "MAIN"."IDENTIFIES"
  WHERE CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  GROUP BY user_id
),
user_trait_st_user_lifetime AS (
  SELECT user_id, ARRAY_AGG("ST_USER_LIFETIME") WITHIN GROUP (ORDER BY "TIMESTAMP" DESC NULLS FIRST, id DESC NULLS FIRST)[0] AS value
  FROM "MAIN"."IDENTIFIES"
  WHERE CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  GROUP BY user_id
)
SELECT entity.user_id
FROM "ROSTER"."ST_USER" AS entity
LEFT JOIN user_trait_role AS entity_user_trait_role ON entity_user_trait_role.user_id = entity.user_id
LEFT JOIN user_trait_st_user_lifetime AS entity_user_trait_st_user_lifetime ON entity_user_trait_st_user_lifetime.user_id = entity.user_id
LEFT JOIN "ROSTER"."OP_EQ" AS entity_op_eq ON entity_op_eq.user_id = entity.user_id
LEFT JOIN "ROSTER"."CT_EVENT_COUNTER" AS entity_ct_event_counter ON entity_ct_event_counter.user_id = entity.user_id
WHERE ((COALESCE(CAST(entity_user_trait_role.value AS VARCHAR) = 'admin', FALSE)
  OR (entity_user_trait_st_user_lifetime.value IS NOT NULL))
  AND NOT (entity_op_eq.user_id IS NOT NULL)
  AND COALESCE(CASE WHEN LENGTH(CAST(entity."LIFETIME_VALUE" AS VARCHAR)) <= 1000 AND REGEXP_LIKE(CAST(entity."LIFETIME_VALUE" AS VARCHAR), '^[ \\t\\n\\r\\f\\v]*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \\t\\n\\r\\f\\v]*$') AND ABS(TRY_CAST(CAST(entity."LIFETIME_VALUE" AS VARCHAR) AS DOUBLE)) < CAST('inf' AS DOUBLE) THEN TRY_CAST(CAST(entity."LIFETIME_VALUE" AS VARCHAR) AS DOUBLE) END >= 100, FALSE)
  AND COALESCE(COALESCE(entity_ct_event_counter."CT_EVENT_COUNTER", 0) >= 3, FALSE))
