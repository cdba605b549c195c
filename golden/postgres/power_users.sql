-- roster audience power_users (user), postgres
-- Users who logged in 20 times or more in the last 30 days, outside at-risk accounts (those get the champion playbook instead).
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: active_users_30d, at_risk_accounts (in a run, that run's; run alone, the last committed ones in the state schema)
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
event_logged_in AS (
  SELECT e.user_id, count(*) AS n
  FROM (
    SELECT e.id, e.user_id, e."timestamp"
    FROM "main"."logged_in" AS e
    WHERE e.event_text = 'Logged In'
      AND CAST(e.user_id AS VARCHAR) <> ''
      AND e."timestamp" <= CAST($1 AS TIMESTAMP)
      AND e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '30 days'
  ) AS e
  GROUP BY e.user_id
),
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "main"."groups"
  WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT group_id, user_id FROM "roster"."active_users_30d" WHERE CAST(user_id AS VARCHAR) <> ''
),
users_of_at_risk_accounts AS (
  SELECT DISTINCT au.user_id
  FROM account_users AS au
  JOIN "roster"."at_risk_accounts" AS m ON m.group_id = au.group_id
)
SELECT entity.user_id
FROM event_logged_in AS entity
LEFT JOIN users_of_at_risk_accounts AS entity_users_of_at_risk_accounts ON entity_users_of_at_risk_accounts.user_id = entity.user_id
WHERE ((COALESCE(entity.n, 0) >= 20)
  AND NOT (entity_users_of_at_risk_accounts.user_id IS NOT NULL))
