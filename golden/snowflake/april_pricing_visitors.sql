-- roster audience april_pricing_visitors (user), snowflake
-- Users who looked at the pricing page at least twice in April 2024 (the spring campaign).
-- parameter as_of: the run's instant (UTC)
-- reads this run's results of: active_users_30d
WITH
event_page_viewed AS (
  SELECT e.user_id, count(*) AS n
  FROM (
    SELECT e.id, e.user_id, e."TIMESTAMP"
    FROM "MAIN"."PAGE_VIEWED" AS e
    WHERE e.event_text = 'Page Viewed'
      AND e.user_id IS NOT NULL
      AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
      AND e."TIMESTAMP" >= CAST('2024-04-01 00:00:00.000' AS TIMESTAMP_NTZ)
      AND e."TIMESTAMP" < CAST('2024-05-01 00:00:00.000' AS TIMESTAMP_NTZ)
      AND COALESCE(CAST(e."PATH" AS VARCHAR) = '/pricing', FALSE)
  ) AS e
  GROUP BY e.user_id
),
all_users AS (
  SELECT DISTINCT user_id FROM "MAIN"."TRACKS" WHERE user_id IS NOT NULL AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION
  SELECT DISTINCT user_id FROM "MAIN"."IDENTIFIES" WHERE user_id IS NOT NULL AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION
  SELECT DISTINCT user_id FROM "MAIN"."GROUPS" WHERE user_id IS NOT NULL AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION
  SELECT DISTINCT user_id FROM "ROSTER"."ACTIVE_USERS_30D" WHERE user_id IS NOT NULL
)
SELECT entity.user_id
FROM all_users AS entity
LEFT JOIN event_page_viewed AS entity_event_page_viewed ON entity_event_page_viewed.user_id = entity.user_id
WHERE (COALESCE(entity_event_page_viewed.n, 0) >= 2)
