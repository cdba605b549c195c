-- roster audience trial_accounts_high_usage (account), snowflake
-- Trial accounts where someone used features at least 5 times in the last 14 days; ready for a sales touch.
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: active_users_30d (in a run, that run's; run alone, the last committed ones in the state schema)
WITH
account_trait_plan AS (
  SELECT group_id, ARRAY_AGG("PLAN") WITHIN GROUP (ORDER BY "TIMESTAMP" DESC NULLS FIRST, id DESC NULLS FIRST)[0] AS value
  FROM "MAIN"."GROUPS"
  WHERE CAST(group_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  GROUP BY group_id
),
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "MAIN"."GROUPS"
  WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION
  SELECT DISTINCT group_id, user_id FROM "ROSTER"."ACTIVE_USERS_30D" WHERE CAST(user_id AS VARCHAR) <> ''
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
  ) AS e
  GROUP BY e.user_id
),
users_matching AS (
  SELECT au.group_id, BOOLOR_AGG((COALESCE(au_event_feature_used.n, 0) >= 5)) AS any_user, BOOLAND_AGG((COALESCE(au_event_feature_used.n, 0) >= 5)) AS all_users
  FROM account_users AS au
  LEFT JOIN event_feature_used AS au_event_feature_used ON au_event_feature_used.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM account_trait_plan AS entity
LEFT JOIN users_matching AS entity_users_matching ON entity_users_matching.group_id = entity.group_id
WHERE (COALESCE(CAST(entity.value AS VARCHAR) = 'trial', FALSE)
  AND COALESCE(entity_users_matching.any_user, FALSE))
