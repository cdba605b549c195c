-- roster computed_trait ct_event_counter (user), snowflake
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."TIMESTAMP"
  FROM "MAIN"."LOGGED_IN" AS e
  WHERE e.event_text = 'Logged In'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
    AND e."TIMESTAMP" > DATEADD(day, -30, CAST(:1 AS TIMESTAMP_NTZ))
)
SELECT e.user_id AS user_id, count(*) AS "CT_EVENT_COUNTER"
FROM matching_events AS e
GROUP BY e.user_id
