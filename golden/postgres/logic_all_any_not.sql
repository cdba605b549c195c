-- roster audience logic_all_any_not (user), postgres
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: ct_event_counter, op_eq, st_user (in a run, that run's; run alone, the last committed ones in the state schema)
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
user_trait_role AS (
  SELECT user_id, (array_agg("role" ORDER BY "timestamp" DESC NULLS FIRST, (CAST(id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE "role" IS NOT NULL))[1] AS value
  FROM "main"."identifies"
  WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  GROUP BY user_id
),
user_trait_st_user_lifetime AS (
  SELECT user_id, (array_agg("st_user_lifetime" ORDER BY "timestamp" DESC NULLS FIRST, (CAST(id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE "st_user_lifetime" IS NOT NULL))[1] AS value
  FROM "main"."identifies"
  WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  GROUP BY user_id
)
SELECT entity.user_id
FROM "roster"."st_user" AS entity
LEFT JOIN user_trait_role AS entity_user_trait_role ON entity_user_trait_role.user_id = entity.user_id
LEFT JOIN user_trait_st_user_lifetime AS entity_user_trait_st_user_lifetime ON entity_user_trait_st_user_lifetime.user_id = entity.user_id
LEFT JOIN "roster"."op_eq" AS entity_op_eq ON entity_op_eq.user_id = entity.user_id
LEFT JOIN "roster"."ct_event_counter" AS entity_ct_event_counter ON entity_ct_event_counter.user_id = entity.user_id
WHERE ((COALESCE((CAST(entity_user_trait_role.value AS TEXT) COLLATE "C") = 'admin', FALSE)
  OR (entity_user_trait_st_user_lifetime.value IS NOT NULL))
  AND NOT (entity_op_eq.user_id IS NOT NULL)
  AND COALESCE(CASE WHEN length(CAST(entity."lifetime_value" AS TEXT)) <= 200 AND CAST(entity."lifetime_value" AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,2})?[ \t\n\r\f\v]*$' THEN CAST(CAST(entity."lifetime_value" AS TEXT) AS DOUBLE PRECISION) WHEN length(CAST(entity."lifetime_value" AS TEXT)) <= 1000 AND CAST(entity."lifetime_value" AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$' THEN CASE WHEN abs(CAST(CAST(entity."lifetime_value" AS TEXT) AS NUMERIC)) >= power(CAST(2 AS NUMERIC), 1024) - power(CAST(2 AS NUMERIC), 970) THEN NULL WHEN abs(CAST(CAST(entity."lifetime_value" AS TEXT) AS NUMERIC)) * power(CAST(2 AS NUMERIC), 1075) <= 1 THEN CAST(0 AS DOUBLE PRECISION) ELSE CAST(CAST(entity."lifetime_value" AS TEXT) AS DOUBLE PRECISION) END END >= 100, FALSE)
  AND COALESCE(COALESCE(entity_ct_event_counter."ct_event_counter", 0) >= 3, FALSE))
