-- roster computed_trait avg_nps (account), snowflake
-- Average NPS score (0-10) over every survey the account's users submitted.
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: active_users_30d (in a run, that run's; run alone, the last committed ones in the state schema)
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."TIMESTAMP", e."SCORE" AS value
  FROM "MAIN"."NPS_SURVEY_SUBMITTED" AS e
  WHERE e.event_text = 'NPS Survey Submitted'
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
  SELECT au.group_id AS group_id, sum(CASE WHEN LENGTH(CAST(e.value AS VARCHAR)) <= 1000 AND REGEXP_LIKE(CAST(e.value AS VARCHAR), '^[ \\t\\n\\r\\f\\v]*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \\t\\n\\r\\f\\v]*$') AND ABS(TRY_CAST(CAST(e.value AS VARCHAR) AS DOUBLE)) < CAST('inf' AS DOUBLE) THEN TRY_CAST(CAST(e.value AS VARCHAR) AS DOUBLE) END) / NULLIF(count(CASE WHEN LENGTH(CAST(e.value AS VARCHAR)) <= 1000 AND REGEXP_LIKE(CAST(e.value AS VARCHAR), '^[ \\t\\n\\r\\f\\v]*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \\t\\n\\r\\f\\v]*$') AND ABS(TRY_CAST(CAST(e.value AS VARCHAR) AS DOUBLE)) < CAST('inf' AS DOUBLE) THEN TRY_CAST(CAST(e.value AS VARCHAR) AS DOUBLE) END), 0) AS value
  FROM matching_events AS e
  JOIN account_users AS au ON au.user_id = e.user_id
  GROUP BY au.group_id
)
SELECT group_id, CASE WHEN value IS NULL OR value = 0 THEN value ELSE ROUND(value, 11 - FLOOR(LOG(10, ABS(value)))) END AS "AVG_NPS"
FROM entity_values
WHERE value IS NOT NULL
