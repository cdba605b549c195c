-- roster audience op_not_exists (user), postgres
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: st_account_members, st_state, st_user (in a run, that run's; run alone, the last committed ones in the state schema)
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
user_trait_plan AS (
  SELECT user_id, (array_agg("plan" ORDER BY "timestamp" DESC NULLS FIRST, (CAST(id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE "plan" IS NOT NULL))[1] AS value
  FROM "main"."identifies"
  WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  GROUP BY user_id
),
all_users AS (
  SELECT DISTINCT user_id FROM "main"."tracks" WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT user_id FROM "main"."identifies" WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT user_id FROM "main"."groups" WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT user_id FROM "roster"."st_account_members" WHERE CAST(user_id AS VARCHAR) <> ''
  UNION
  SELECT DISTINCT user_id FROM "roster"."st_state" WHERE CAST(user_id AS VARCHAR) <> ''
  UNION
  SELECT DISTINCT user_id FROM "roster"."st_user" WHERE CAST(user_id AS VARCHAR) <> ''
)
SELECT entity.user_id
FROM all_users AS entity
LEFT JOIN user_trait_plan AS entity_user_trait_plan ON entity_user_trait_plan.user_id = entity.user_id
WHERE (entity_user_trait_plan.value IS NULL)
