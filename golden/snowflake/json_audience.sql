-- roster audience json_audience (user), snowflake
-- parameter as_of: the run's instant (UTC)
WITH
user_trait_plan AS (
  SELECT user_id, ARRAY_AGG(CAST(GET(traits, 'plan') AS VARCHAR)) WITHIN GROUP (ORDER BY "TIMESTAMP" DESC, id DESC)[0] AS value
  FROM (SELECT * FROM "RAW"."IDENTIFIES" QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY "TIMESTAMP") = 1) AS "IDENTIFIES"
  WHERE user_id IS NOT NULL AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  GROUP BY user_id
),
event_order_completed AS (
  SELECT e.user_id, count(*) AS n
  FROM (
    SELECT e.id, e.user_id, e."TIMESTAMP"
    FROM (SELECT * FROM "RAW"."EVENTS" QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY "TIMESTAMP") = 1) AS e
    WHERE e.event = 'Order Completed'
      AND e.user_id IS NOT NULL
      AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
      AND COALESCE(CASE WHEN LENGTH(CAST(CAST(GET(e.properties, 'total') AS VARCHAR) AS VARCHAR)) <= 1000 AND REGEXP_LIKE(CAST(CAST(GET(e.properties, 'total') AS VARCHAR) AS VARCHAR), '^[ \\t\\n\\r\\f\\v]*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \\t\\n\\r\\f\\v]*$') AND ABS(TRY_CAST(CAST(CAST(GET(e.properties, 'total') AS VARCHAR) AS VARCHAR) AS DOUBLE)) < CAST('inf' AS DOUBLE) THEN TRY_CAST(CAST(CAST(GET(e.properties, 'total') AS VARCHAR) AS VARCHAR) AS DOUBLE) END > 10, FALSE)
  ) AS e
  GROUP BY e.user_id
),
user_trait_json_first_user AS (
  SELECT user_id, ARRAY_AGG(CAST(GET(traits, 'json_first_user') AS VARCHAR)) WITHIN GROUP (ORDER BY "TIMESTAMP" DESC, id DESC)[0] AS value
  FROM (SELECT * FROM "RAW"."IDENTIFIES" QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY "TIMESTAMP") = 1) AS "IDENTIFIES"
  WHERE user_id IS NOT NULL AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  GROUP BY user_id
)
SELECT entity.user_id
FROM user_trait_plan AS entity
LEFT JOIN event_order_completed AS entity_event_order_completed ON entity_event_order_completed.user_id = entity.user_id
LEFT JOIN user_trait_json_first_user AS entity_user_trait_json_first_user ON entity_user_trait_json_first_user.user_id = entity.user_id
WHERE (COALESCE(CAST(entity.value AS VARCHAR) = 'pro', FALSE)
  AND (COALESCE(entity_event_order_completed.n, 0) >= 2)
  AND (entity_user_trait_json_first_user.value IS NOT NULL))
