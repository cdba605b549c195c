-- roster computed_trait ct_group_context (account), snowflake
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: st_account_members (in a run, that run's; run alone, the last committed ones in the state schema)
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."TIMESTAMP", e."CONTEXT_GROUP_ID" AS context_group_id
  FROM "MAIN"."FEATURE_USED" AS e
  WHERE e.event_text = 'Feature Used'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
    AND e."TIMESTAMP" > DATEADD(week, -2, CAST(:1 AS TIMESTAMP_NTZ))
),
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "MAIN"."GROUPS"
  WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION
  SELECT DISTINCT group_id, user_id FROM "ROSTER"."ST_ACCOUNT_MEMBERS" WHERE CAST(user_id AS VARCHAR) <> ''
)
SELECT au.group_id AS group_id, count(*) AS "CT_GROUP_CONTEXT"
FROM matching_events AS e
JOIN account_users AS au ON au.user_id = e.user_id AND e.context_group_id = au.group_id
GROUP BY au.group_id
