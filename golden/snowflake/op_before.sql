-- roster audience op_before (user), snowflake
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
WHERE COALESCE(date_trunc('milliseconds', CASE WHEN REGEXP_LIKE(CAST(entity.value AS VARCHAR), '^((000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29)([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$') THEN CAST(CONVERT_TIMEZONE('UTC', TRY_TO_TIMESTAMP_TZ(REGEXP_REPLACE(UPPER(CAST(entity.value AS VARCHAR)), '(\\.[0-9]{6})[0-9]+', '\\1'))) AS TIMESTAMP_NTZ) END) < CAST('2024-01-01 00:00:00.000' AS TIMESTAMP_NTZ), FALSE)
