-- roster audience op_within_last (user), duckdb
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
WHERE COALESCE((CASE WHEN typeof(entity_user_trait_plan.value) IN ('TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'TIMESTAMP WITH TIME ZONE', 'DATE') THEN CASE WHEN year(TRY_CAST(entity_user_trait_plan.value AS TIMESTAMP)) BETWEEN 1 AND 9999 THEN TRY_CAST(entity_user_trait_plan.value AS TIMESTAMP) END WHEN regexp_full_match(CAST(entity_user_trait_plan.value AS VARCHAR), '^((000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29)([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(Z|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$') THEN CAST(TRY_CAST(regexp_replace(CAST(entity_user_trait_plan.value AS VARCHAR), '^(.{16})([Z+-])', '\1:00\2') AS TIMESTAMPTZ) AS TIMESTAMP) END > CAST($as_of AS TIMESTAMP) - INTERVAL 7 DAY AND CASE WHEN typeof(entity_user_trait_plan.value) IN ('TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'TIMESTAMP WITH TIME ZONE', 'DATE') THEN CASE WHEN year(TRY_CAST(entity_user_trait_plan.value AS TIMESTAMP)) BETWEEN 1 AND 9999 THEN TRY_CAST(entity_user_trait_plan.value AS TIMESTAMP) END WHEN regexp_full_match(CAST(entity_user_trait_plan.value AS VARCHAR), '^((000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29)([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(Z|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$') THEN CAST(TRY_CAST(regexp_replace(CAST(entity_user_trait_plan.value AS VARCHAR), '^(.{16})([Z+-])', '\1:00\2') AS TIMESTAMPTZ) AS TIMESTAMP) END <= CAST($as_of AS TIMESTAMP)), FALSE)
