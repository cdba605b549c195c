-- roster audience users_any (account), snowflake
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: op_eq, st_account_members (in a run, that run's; run alone, the last committed ones in the state schema)
WITH
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "MAIN"."GROUPS"
  WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION
  SELECT DISTINCT group_id, user_id FROM "ROSTER"."ST_ACCOUNT_MEMBERS" WHERE CAST(user_id AS VARCHAR) <> ''
),
event_feature_used AS (
  SELECT e.user_id, count(*) AS n
  FROM (
    SELECT e.id, e.user_id, e."TIMESTAMP"
    FROM "MAIN"."FEATURE_USED" AS e
    WHERE e.event_text = 'Feature Used'
      AND CAST(e.user_id AS VARCHAR) <> ''
      AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
      AND e."TIMESTAMP" > DATEADD(day, -14, CAST(:1 AS TIMESTAMP_NTZ))
      AND COALESCE(CAST(e."FEATURE_NAME" AS VARCHAR) = 'reports', FALSE)
  ) AS e
  GROUP BY e.user_id
),
users_matching AS (
  SELECT au.group_id, BOOLOR_AGG(((COALESCE(au_event_feature_used.n, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS any_user, BOOLAND_AGG(((COALESCE(au_event_feature_used.n, 0) >= 5)
    AND (au_op_eq.user_id IS NOT NULL))) AS all_users
  FROM account_users AS au
  LEFT JOIN event_feature_used AS au_event_feature_used ON au_event_feature_used.user_id = au.user_id
  LEFT JOIN "ROSTER"."OP_EQ" AS au_op_eq ON au_op_eq.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM users_matching AS entity
WHERE COALESCE(entity.any_user, FALSE)
