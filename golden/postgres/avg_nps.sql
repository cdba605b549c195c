-- roster computed_trait avg_nps (account), postgres
-- Average NPS score (0-10) over every survey the account's users submitted.
-- parameter as_of: the run's instant (UTC)
-- reads this run's results of: active_users_30d
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."timestamp", e."score" AS value
  FROM "main"."nps_survey_submitted" AS e
  WHERE e.event_text = 'NPS Survey Submitted'
    AND e.user_id IS NOT NULL
    AND e."timestamp" <= CAST($1 AS TIMESTAMP)
),
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "main"."groups"
  WHERE group_id IS NOT NULL AND user_id IS NOT NULL AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT group_id, user_id FROM "roster"."active_users_30d" WHERE user_id IS NOT NULL
),
entity_values AS (
  SELECT au.group_id AS group_id, avg(CASE WHEN CAST(e.value AS TEXT) ~ '^\s*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$' THEN CAST(CAST(e.value AS TEXT) AS DOUBLE PRECISION) END) AS value
  FROM matching_events AS e
  JOIN account_users AS au ON au.user_id = e.user_id
  GROUP BY au.group_id
)
SELECT group_id, CASE WHEN value IS NULL OR value = 0 OR value IN ('Infinity', '-Infinity', 'NaN') THEN value ELSE CAST(round(CAST(value AS NUMERIC), CAST(11 - floor(log(abs(value))) AS INTEGER)) AS DOUBLE PRECISION) END AS "avg_nps"
FROM entity_values
WHERE value IS NOT NULL
