-- roster audience op_before (user), duckdb
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
WHERE COALESCE(date_trunc('milliseconds', CASE WHEN typeof(entity.value) IN ('TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'TIMESTAMP WITH TIME ZONE', 'DATE') THEN CASE WHEN year(TRY_CAST(entity.value AS TIMESTAMP)) BETWEEN 1 AND 9999 THEN TRY_CAST(entity.value AS TIMESTAMP) END WHEN regexp_full_match(CAST(entity.value AS VARCHAR), '^((000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29)([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$') THEN CAST(TRY_CAST(regexp_replace(upper(CAST(entity.value AS VARCHAR)), '^(.{16})([Z+-])', '\1:00\2') AS TIMESTAMPTZ) AS TIMESTAMP) END) < TIMESTAMP '2024-01-01 00:00:00.000', FALSE)
