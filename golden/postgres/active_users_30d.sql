-- roster sql_trait active_users_30d (account), postgres
-- Distinct users with any event in the last 30 days, per account. It returns one row per (account, member), so it also associates those users with the account, exactly as their group calls do.
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
-- One row per (account, member): every row associates its user with the account, so only
-- users who joined through a group call are returned. The count repeats on each row of an
-- account (one value per group_id). An empty id is no id, as roster reads group calls: a row
-- with one would fail this trait's shape check.
WITH members AS (
  SELECT DISTINCT group_id, user_id
  FROM "main"."groups"
  WHERE user_id <> '' AND group_id <> '' AND timestamp <= CAST($1 AS TIMESTAMP)
),
active AS (
  SELECT DISTINCT user_id
  FROM "main"."tracks"
  WHERE user_id <> ''
    AND timestamp > CAST($1 AS TIMESTAMP) - INTERVAL '30 days'
    AND timestamp <= CAST($1 AS TIMESTAMP)
)
SELECT
  m.group_id,
  m.user_id,
  count(a.user_id) OVER (PARTITION BY m.group_id) AS active_users_30d
FROM members m
LEFT JOIN active a ON a.user_id = m.user_id
