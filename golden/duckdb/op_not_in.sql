-- roster audience op_not_in (user), duckdb
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
WHERE COALESCE(CASE WHEN typeof(entity.value) IN ('DOUBLE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT') THEN CASE WHEN isfinite(TRY_CAST(entity.value AS DOUBLE)) THEN TRY_CAST(entity.value AS DOUBLE) END WHEN length(CAST(entity.value AS VARCHAR)) <= 1000 AND regexp_full_match(CAST(entity.value AS VARCHAR), '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$') AND isfinite(TRY_CAST(CAST(entity.value AS VARCHAR) AS DOUBLE)) THEN TRY_CAST(CAST(entity.value AS VARCHAR) AS DOUBLE) END NOT IN (1, 2), FALSE)
