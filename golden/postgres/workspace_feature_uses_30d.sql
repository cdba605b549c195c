-- roster computed_trait workspace_feature_uses_30d (account), postgres
-- Feature uses in the last 30 days sent from this account's workspace (context_group_id), so a user in two accounts only counts where they actually worked.
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: active_users_30d (in a run, that run's; run alone, the last committed ones in the state schema)
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."timestamp", e."context_group_id" AS context_group_id
  FROM "main"."feature_used" AS e
  WHERE e.event_text = 'Feature Used'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."timestamp" <= CAST($1 AS TIMESTAMP)
    AND e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '30 days'
),
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "main"."groups"
  WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT group_id, user_id FROM "roster"."active_users_30d" WHERE CAST(user_id AS VARCHAR) <> ''
)
SELECT au.group_id AS group_id, count(*) AS "workspace_feature_uses_30d"
FROM matching_events AS e
JOIN account_users AS au ON au.user_id = e.user_id AND e.context_group_id = au.group_id
GROUP BY au.group_id
