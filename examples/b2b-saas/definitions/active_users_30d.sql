-- One row per (account, member): every row associates its user with the account, so only
-- users who joined through a group call are returned. The count repeats on each row of an
-- account (one value per group_id). An empty id is no id, as roster reads group calls: a row
-- with one would fail this trait's shape check.
WITH members AS (
  SELECT DISTINCT group_id, user_id
  FROM {{source "groups"}}
  WHERE user_id <> '' AND group_id <> '' AND timestamp <= {{as_of}}
),
active AS (
  SELECT DISTINCT user_id
  FROM {{source "tracks"}}
  WHERE user_id <> ''
    AND timestamp > {{as_of}} - INTERVAL '30 days'
    AND timestamp <= {{as_of}}
)
SELECT
  m.group_id,
  m.user_id,
  count(a.user_id) OVER (PARTITION BY m.group_id) AS active_users_30d
FROM members m
LEFT JOIN active a ON a.user_id = m.user_id
