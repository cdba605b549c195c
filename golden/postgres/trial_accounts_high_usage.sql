-- roster audience trial_accounts_high_usage (account), postgres
-- Trial accounts where someone used features at least 5 times in the last 14 days; ready for a sales touch.
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: active_users_30d (in a run, that run's; run alone, the last committed ones in the state schema)
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
account_trait_plan AS (
  SELECT group_id, (array_agg("plan" ORDER BY "timestamp" DESC NULLS FIRST, (CAST(id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE "plan" IS NOT NULL))[1] AS value
  FROM "main"."groups"
  WHERE CAST(group_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  GROUP BY group_id
),
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "main"."groups"
  WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT group_id, user_id FROM "roster"."active_users_30d" WHERE CAST(user_id AS VARCHAR) <> ''
),
event_feature_used AS (
  SELECT e.user_id, count(*) AS n
  FROM (
    SELECT e.id, e.user_id, e."timestamp"
    FROM "main"."feature_used" AS e
    WHERE e.event_text = 'Feature Used'
      AND CAST(e.user_id AS VARCHAR) <> ''
      AND e."timestamp" <= CAST($1 AS TIMESTAMP)
      AND e."timestamp" > CAST($1 AS TIMESTAMP) - INTERVAL '14 days'
  ) AS e
  GROUP BY e.user_id
),
users_matching AS (
  SELECT au.group_id, bool_or((COALESCE(au_event_feature_used.n, 0) >= 5)) AS any_user, bool_and((COALESCE(au_event_feature_used.n, 0) >= 5)) AS all_users
  FROM account_users AS au
  LEFT JOIN event_feature_used AS au_event_feature_used ON au_event_feature_used.user_id = au.user_id
  GROUP BY au.group_id
)
SELECT entity.group_id
FROM account_trait_plan AS entity
LEFT JOIN users_matching AS entity_users_matching ON entity_users_matching.group_id = entity.group_id
WHERE (COALESCE((CAST(entity.value AS TEXT) COLLATE "C") = 'trial', FALSE)
  AND COALESCE(entity_users_matching.any_user, FALSE))
