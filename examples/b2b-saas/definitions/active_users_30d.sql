-- One row per (account, member): every row associates its user with the account, so only
-- users who joined through a group call are returned. The count repeats on each row of an
-- account (one value per group_id).
WITH members AS (
  SELECT DISTINCT group_id, user_id
  FROM {{source "groups"}}
  WHERE user_id IS NOT NULL AND timestamp <= {{as_of}}
),
active AS (
  SELECT DISTINCT user_id
  FROM {{source "tracks"}}
  WHERE user_id IS NOT NULL
    AND timestamp > {{as_of}} - INTERVAL '30 days'
    AND timestamp <= {{as_of}}
)
SELECT
  m.group_id,
  m.user_id,
  count(a.user_id) OVER (PARTITION BY m.group_id) AS active_users_30d
FROM members m
LEFT JOIN active a ON a.user_id = m.user_id
