-- roster audience power_users (user), snowflake
-- Users who logged in 20 times or more in the last 30 days, outside at-risk accounts (those get the champion playbook instead).
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: active_users_30d, at_risk_accounts (in a run, that run's; run alone, the last committed ones in the state schema)
WITH
event_logged_in AS (
  SELECT e.user_id, count(*) AS n
  FROM (
    SELECT e.id, e.user_id, e."TIMESTAMP"
    FROM "MAIN"."LOGGED_IN" AS e
    WHERE e.event_text = 'Logged In'
      AND CAST(e.user_id AS VARCHAR) <> ''
      AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
      AND e."TIMESTAMP" > DATEADD(day, -30, CAST(:1 AS TIMESTAMP_NTZ))
  ) AS e
  GROUP BY e.user_id
),
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "MAIN"."GROUPS"
  WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION
  SELECT DISTINCT group_id, user_id FROM "ROSTER"."ACTIVE_USERS_30D" WHERE CAST(user_id AS VARCHAR) <> ''
),
users_of_at_risk_accounts AS (
  SELECT DISTINCT au.user_id
  FROM account_users AS au
  JOIN "ROSTER"."AT_RISK_ACCOUNTS" AS m ON m.group_id = au.group_id
)
SELECT entity.user_id
FROM event_logged_in AS entity
LEFT JOIN users_of_at_risk_accounts AS entity_users_of_at_risk_accounts ON entity_users_of_at_risk_accounts.user_id = entity.user_id
WHERE ((COALESCE(entity.n, 0) >= 20)
  AND NOT (entity_users_of_at_risk_accounts.user_id IS NOT NULL))
