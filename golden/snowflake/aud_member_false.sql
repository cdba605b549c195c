-- roster audience aud_member_false (user), snowflake
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: op_eq, st_account_members, st_state, st_user (in a run, that run's; run alone, the last committed ones in the state schema)
WITH
all_users AS (
  SELECT DISTINCT user_id FROM "MAIN"."TRACKS" WHERE CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION
  SELECT DISTINCT user_id FROM "MAIN"."IDENTIFIES" WHERE CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION
  SELECT DISTINCT user_id FROM "MAIN"."GROUPS" WHERE CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION
  SELECT DISTINCT user_id FROM "ROSTER"."ST_ACCOUNT_MEMBERS" WHERE CAST(user_id AS VARCHAR) <> ''
  UNION
  SELECT DISTINCT user_id FROM "ROSTER"."ST_STATE" WHERE CAST(user_id AS VARCHAR) <> ''
  UNION
  SELECT DISTINCT user_id FROM "ROSTER"."ST_USER" WHERE CAST(user_id AS VARCHAR) <> ''
)
SELECT entity.user_id
FROM all_users AS entity
LEFT JOIN "ROSTER"."OP_EQ" AS entity_op_eq ON entity_op_eq.user_id = entity.user_id
WHERE (entity_op_eq.user_id IS NULL)
