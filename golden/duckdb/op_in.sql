-- roster audience op_in (user), duckdb
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
WITH
user_trait_plan AS (
  SELECT user_id, first("plan" ORDER BY "timestamp" DESC NULLS FIRST, id DESC NULLS FIRST) FILTER (WHERE "plan" IS NOT NULL) AS value
  FROM "main"."identifies"
  WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($as_of AS TIMESTAMP)
  GROUP BY user_id
)
SELECT entity.user_id
FROM user_trait_plan AS entity
WHERE COALESCE(CAST(entity.value AS VARCHAR) IN ('a', 'bc'), FALSE)
