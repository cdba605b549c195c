-- roster audience users_group_context (account), snowflake
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: st_account_members (in a run, that run's; run alone, the last committed ones in the state schema)
WITH
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "MAIN"."GROUPS"
  WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION
  SELECT DISTINCT group_id, user_id FROM "ROSTER"."ST_ACCOUNT_MEMBERS" WHERE CAST(user_id AS VARCHAR) <> ''
),
event_in_account_logged_in AS (
  SELECT e.user_id, e.context_group_id AS group_id, count(*) AS n
  FROM (
    SELECT e.id, e.user_id, e."TIMESTAMP", e."CONTEXT_GROUP_ID" AS context_group_id
    FROM "MAIN"."LOGGED_IN" AS e
    WHERE e.event_text = 'Logged In'
      AND CAST(e.user_id AS VARCHAR) <> ''
      AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
      AND e."TIMESTAMP" > DATEADD(day, -30, CAST(:1 AS TIMESTAMP_NTZ))
  ) AS e
  WHERE e.context_group_id IS NOT NULL
  GROUP BY e.user_id, e.context_group_id
),
user_trait_role AS (
  SELECT user_id, ARRAY_AGG("ROLE") WITHIN GROUP (ORDER BY "TIMESTAMP" DESC NULLS FIRST, id DESC NULLS FIRST)[0] AS value
  FROM "MAIN"."IDENTIFIES"
  WHERE CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  GROUP BY user_id
),
users_matching AS (
  SELECT au.group_id, BOOLOR_AGG(((COALESCE(au_event_in_account_logged_in.n, 0) >= 2)
    AND COALESCE(CAST(au_user_trait_role.value AS VARCHAR) = 'admin', FALSE))) AS any_user, BOOLAND_AGG(((COALESCE(au_event_in_account_logged_in.n, 0) >= 2)
    AND COALESCE(CAST(au_user_trait_role.value AS VARCHAR) = 'admin', FALSE))) AS all_users
  FROM account_users AS au
  LEFT JOIN event_in_account_logged_in AS au_event_in_account_logged_in ON au_event_in_account_logged_in.user_id = au.user_id AND au_event_in_account_logged_in.group_id = au.group_id
  LEFT JOIN user_trait_role AS au_user_trait_role ON au_user_trait_role.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM users_matching AS entity
WHERE COALESCE(entity.any_user, FALSE)
