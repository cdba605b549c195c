-- roster audience op_gt (user), postgres
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
user_trait_plan AS (
  SELECT user_id, (array_agg("plan" ORDER BY "timestamp" DESC NULLS FIRST, (CAST(id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE "plan" IS NOT NULL))[1] AS value
  FROM "main"."identifies"
  WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  GROUP BY user_id
)
SELECT entity.user_id
FROM user_trait_plan AS entity
WHERE COALESCE(CASE WHEN length(CAST(entity.value AS TEXT)) <= 200 AND CAST(entity.value AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,2})?[ \t\n\r\f\v]*$' THEN CAST(CAST(entity.value AS TEXT) AS DOUBLE PRECISION) WHEN length(CAST(entity.value AS TEXT)) <= 1000 AND CAST(entity.value AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$' THEN CASE WHEN abs(CAST(CAST(entity.value AS TEXT) AS NUMERIC)) >= power(CAST(2 AS NUMERIC), 1024) - power(CAST(2 AS NUMERIC), 970) THEN NULL WHEN abs(CAST(CAST(entity.value AS TEXT) AS NUMERIC)) * power(CAST(2 AS NUMERIC), 1075) <= 1 THEN CAST(0 AS DOUBLE PRECISION) ELSE CAST(CAST(entity.value AS TEXT) AS DOUBLE PRECISION) END END > 10, FALSE)
