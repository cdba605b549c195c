-- roster audience op_within_last (user), postgres
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
WHERE COALESCE((date_trunc('milliseconds', CASE WHEN CAST(entity.value AS TEXT) ~ '^((000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29)([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$' THEN CAST(CAST(regexp_replace(CAST(entity.value AS TEXT), '(\.[0-9]{6})[0-9]+', '\1') AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP) END) > CAST($1 AS TIMESTAMP) - INTERVAL '7 days' AND date_trunc('milliseconds', CASE WHEN CAST(entity.value AS TEXT) ~ '^((000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29)([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$' THEN CAST(CAST(regexp_replace(CAST(entity.value AS TEXT), '(\.[0-9]{6})[0-9]+', '\1') AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP) END) <= CAST($1 AS TIMESTAMP)), FALSE)
