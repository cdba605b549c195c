-- roster computed_trait first_landing_page (account), snowflake
-- The first page any of the account's users viewed (skipping views without a path).
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: active_users_30d (in a run, that run's; run alone, the last committed ones in the state schema)
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."TIMESTAMP", e."PATH" AS value
  FROM "MAIN"."PAGE_VIEWED" AS e
  WHERE e.event_text = 'Page Viewed'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
),
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "MAIN"."GROUPS"
  WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION
  SELECT DISTINCT group_id, user_id FROM "ROSTER"."ACTIVE_USERS_30D" WHERE CAST(user_id AS VARCHAR) <> ''
),
entity_values AS (
  SELECT au.group_id AS group_id, ARRAY_AGG(e.value) WITHIN GROUP (ORDER BY e."TIMESTAMP", e.id)[0] AS value
  FROM matching_events AS e
  JOIN account_users AS au ON au.user_id = e.user_id
  GROUP BY au.group_id
)
SELECT group_id, value AS "FIRST_LANDING_PAGE"
FROM entity_values
WHERE value IS NOT NULL
