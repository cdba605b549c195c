-- roster computed_trait ct_most_frequent_account (account), postgres
-- the feature an account's users use most (its users' counts summed)
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: st_account_members (in a run, that run's; run alone, the last committed ones in the state schema)
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."timestamp", e."feature_name" AS value
  FROM "main"."feature_used" AS e
  WHERE e.event_text = 'Feature Used'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."timestamp" <= CAST($1 AS TIMESTAMP)
),
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "main"."groups"
  WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT group_id, user_id FROM "roster"."st_account_members" WHERE CAST(user_id AS VARCHAR) <> ''
),
value_counts AS (
  SELECT au.group_id AS group_id, e.value, count(*) AS n
  FROM matching_events AS e
  JOIN account_users AS au ON au.user_id = e.user_id
  WHERE e.value IS NOT NULL
  GROUP BY au.group_id, e.value
),
ranked_values AS (
  SELECT group_id, value,
    row_number() OVER (PARTITION BY group_id ORDER BY n DESC, (CAST(value AS TEXT) COLLATE "C")) AS rank
  FROM value_counts
  WHERE n >= 2
)
SELECT group_id, value AS "ct_most_frequent_account"
FROM ranked_values
WHERE rank = 1
