-- roster audience logic_all_any_not (user), duckdb
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: ct_event_counter, op_eq, st_user (in a run, that run's; run alone, the last committed ones in the state schema)
WITH
user_trait_role AS (
  SELECT user_id, first("role" ORDER BY "timestamp" DESC NULLS FIRST, id DESC NULLS FIRST) FILTER (WHERE "role" IS NOT NULL) AS value
  FROM "main"."identifies"
  WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($as_of AS TIMESTAMP)
  GROUP BY user_id
),
user_trait_st_user_lifetime AS (
  SELECT user_id, first("st_user_lifetime" ORDER BY "timestamp" DESC NULLS FIRST, id DESC NULLS FIRST) FILTER (WHERE "st_user_lifetime" IS NOT NULL) AS value
  FROM "main"."identifies"
  WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($as_of AS TIMESTAMP)
  GROUP BY user_id
)
SELECT entity.user_id
FROM "roster"."st_user" AS entity
LEFT JOIN user_trait_role AS entity_user_trait_role ON entity_user_trait_role.user_id = entity.user_id
LEFT JOIN user_trait_st_user_lifetime AS entity_user_trait_st_user_lifetime ON entity_user_trait_st_user_lifetime.user_id = entity.user_id
LEFT JOIN "roster"."op_eq" AS entity_op_eq ON entity_op_eq.user_id = entity.user_id
LEFT JOIN "roster"."ct_event_counter" AS entity_ct_event_counter ON entity_ct_event_counter.user_id = entity.user_id
WHERE ((COALESCE(CAST(entity_user_trait_role.value AS VARCHAR) = 'admin', FALSE)
  OR (entity_user_trait_st_user_lifetime.value IS NOT NULL))
  AND NOT (entity_op_eq.user_id IS NOT NULL)
  AND COALESCE(CASE WHEN typeof(entity."lifetime_value") IN ('DOUBLE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT') THEN CASE WHEN isfinite(TRY_CAST(entity."lifetime_value" AS DOUBLE)) THEN TRY_CAST(entity."lifetime_value" AS DOUBLE) END WHEN length(CAST(entity."lifetime_value" AS VARCHAR)) <= 1000 AND regexp_full_match(CAST(entity."lifetime_value" AS VARCHAR), '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$') AND isfinite(TRY_CAST(CAST(entity."lifetime_value" AS VARCHAR) AS DOUBLE)) THEN TRY_CAST(CAST(entity."lifetime_value" AS VARCHAR) AS DOUBLE) END >= 100, FALSE)
  AND COALESCE(COALESCE(entity_ct_event_counter."ct_event_counter", 0) >= 3, FALSE))
