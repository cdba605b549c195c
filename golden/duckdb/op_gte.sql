-- roster audience op_gte (user), duckdb
-- parameter as_of: the run's instant (UTC)
-- reads this run's results of: st_account_members, st_state, st_user
WITH
user_trait_plan AS (
  SELECT user_id, first("plan" ORDER BY "timestamp" DESC, id DESC) FILTER (WHERE "plan" IS NOT NULL) AS value
  FROM "main"."identifies"
  WHERE user_id IS NOT NULL AND "timestamp" <= CAST($as_of AS TIMESTAMP)
  GROUP BY user_id
),
all_users AS (
  SELECT DISTINCT user_id FROM "main"."tracks" WHERE user_id IS NOT NULL AND "timestamp" <= CAST($as_of AS TIMESTAMP)
  UNION
  SELECT DISTINCT user_id FROM "main"."identifies" WHERE user_id IS NOT NULL AND "timestamp" <= CAST($as_of AS TIMESTAMP)
  UNION
  SELECT DISTINCT user_id FROM "main"."groups" WHERE user_id IS NOT NULL AND "timestamp" <= CAST($as_of AS TIMESTAMP)
  UNION
  SELECT DISTINCT user_id FROM "roster"."st_account_members" WHERE user_id IS NOT NULL
  UNION
  SELECT DISTINCT user_id FROM "roster"."st_state" WHERE user_id IS NOT NULL
  UNION
  SELECT DISTINCT user_id FROM "roster"."st_user" WHERE user_id IS NOT NULL
)
SELECT entity.user_id
FROM all_users AS entity
LEFT JOIN user_trait_plan AS entity_user_trait_plan ON entity_user_trait_plan.user_id = entity.user_id
WHERE COALESCE(CASE WHEN typeof(entity_user_trait_plan.value) IN ('DOUBLE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT') THEN CASE WHEN isfinite(TRY_CAST(entity_user_trait_plan.value AS DOUBLE)) THEN TRY_CAST(entity_user_trait_plan.value AS DOUBLE) END WHEN length(CAST(entity_user_trait_plan.value AS VARCHAR)) <= 1000 AND regexp_full_match(CAST(entity_user_trait_plan.value AS VARCHAR), '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$') AND isfinite(TRY_CAST(CAST(entity_user_trait_plan.value AS VARCHAR) AS DOUBLE)) THEN TRY_CAST(CAST(entity_user_trait_plan.value AS VARCHAR) AS DOUBLE) END >= CAST(2.5 AS DOUBLE), FALSE)
