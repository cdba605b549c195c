-- roster computed_trait ct_first (account), postgres
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: st_account_members (in a run, that run's; run alone, the last committed ones in the state schema)
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."timestamp", e."path" AS value
  FROM "main"."page_viewed" AS e
  WHERE e.event_text = 'Page Viewed'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."timestamp" <= CAST($1 AS TIMESTAMP)
    AND e."timestamp" >= TIMESTAMP '2024-01-01 00:00:00.000'
    AND e."timestamp" < TIMESTAMP '2024-02-01 12:30:00.000'
),
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "main"."groups"
  WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT group_id, user_id FROM "roster"."st_account_members" WHERE CAST(user_id AS VARCHAR) <> ''
),
entity_values AS (
  SELECT au.group_id AS group_id, (array_agg(e.value ORDER BY e."timestamp", (CAST(e.id AS TEXT) COLLATE "C")) FILTER (WHERE e.value IS NOT NULL))[1] AS value
  FROM matching_events AS e
  JOIN account_users AS au ON au.user_id = e.user_id
  GROUP BY au.group_id
)
SELECT group_id, value AS "ct_first"
FROM entity_values
WHERE value IS NOT NULL
