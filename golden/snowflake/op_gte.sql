-- roster audience op_gte (user), snowflake
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
WITH
user_trait_plan AS (
  SELECT user_id, ARRAY_AGG("PLAN") WITHIN GROUP (ORDER BY "TIMESTAMP" DESC NULLS FIRST, id DESC NULLS FIRST)[0] AS value
  FROM "MAIN"."IDENTIFIES"
  WHERE CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  GROUP BY user_id
)
SELECT entity.user_id
FROM user_trait_plan AS entity
WHERE COALESCE(CASE WHEN LENGTH(CAST(entity.value AS VARCHAR)) <= 1000 AND REGEXP_LIKE(CAST(entity.value AS VARCHAR), '^[ \\t\\n\\r\\f\\v]*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \\t\\n\\r\\f\\v]*$') AND ABS(TRY_CAST(CAST(entity.value AS VARCHAR) AS DOUBLE)) < CAST('inf' AS DOUBLE) THEN TRY_CAST(CAST(entity.value AS VARCHAR) AS DOUBLE) END >= CAST(2.5 AS DOUBLE), FALSE)
