-- roster computed_trait ct_unique_list_count (account), snowflake
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: st_account_members (in a run, that run's; run alone, the last committed ones in the state schema)
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."TIMESTAMP", e."FEATURE_NAME" AS value
  FROM "MAIN"."FEATURE_USED" AS e
  WHERE e.event_text = 'Feature Used'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
    AND e."TIMESTAMP" > DATEADD(minute, -90, CAST(:1 AS TIMESTAMP_NTZ))
),
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "MAIN"."GROUPS"
  WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION
  SELECT DISTINCT group_id, user_id FROM "ROSTER"."ST_ACCOUNT_MEMBERS" WHERE CAST(user_id AS VARCHAR) <> ''
),
entity_values AS (
  SELECT au.group_id AS group_id, count(DISTINCT CAST(e.value AS VARCHAR)) AS value
  FROM matching_events AS e
  JOIN account_users AS au ON au.user_id = e.user_id
  GROUP BY au.group_id
)
SELECT group_id, value AS "CT_UNIQUE_LIST_COUNT"
FROM entity_values
WHERE value > 0
