-- roster audience json_audience (user), postgres
-- parameter as_of: the run's instant (UTC)
WITH
user_trait_plan AS (
  SELECT user_id, (array_agg((traits ->> 'plan') ORDER BY "timestamp" DESC, (CAST(id AS TEXT) COLLATE "C") DESC) FILTER (WHERE (traits ->> 'plan') IS NOT NULL))[1] AS value
  FROM (SELECT DISTINCT ON (id) * FROM "raw"."identifies" ORDER BY id, "timestamp") AS "identifies"
  WHERE user_id IS NOT NULL AND "timestamp" <= CAST($1 AS TIMESTAMP)
  GROUP BY user_id
),
event_order_completed AS (
  SELECT e.user_id, count(*) AS n
  FROM (
    SELECT e.id, e.user_id, e."timestamp"
    FROM (SELECT DISTINCT ON (id) * FROM "raw"."events" ORDER BY id, "timestamp") AS e
    WHERE e.event = 'Order Completed'
      AND e.user_id IS NOT NULL
      AND e."timestamp" <= CAST($1 AS TIMESTAMP)
      AND COALESCE(CASE WHEN length(CAST((e.properties ->> 'total') AS TEXT)) <= 200 AND CAST((e.properties ->> 'total') AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,2})?[ \t\n\r\f\v]*$' THEN CAST(CAST((e.properties ->> 'total') AS TEXT) AS DOUBLE PRECISION) WHEN length(CAST((e.properties ->> 'total') AS TEXT)) <= 1000 AND CAST((e.properties ->> 'total') AS TEXT) ~ '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$' THEN CASE WHEN abs(CAST(CAST((e.properties ->> 'total') AS TEXT) AS NUMERIC)) >= power(CAST(2 AS NUMERIC), 1024) - power(CAST(2 AS NUMERIC), 970) THEN NULL WHEN abs(CAST(CAST((e.properties ->> 'total') AS TEXT) AS NUMERIC)) * power(CAST(2 AS NUMERIC), 1075) <= 1 THEN CAST(0 AS DOUBLE PRECISION) ELSE CAST(CAST((e.properties ->> 'total') AS TEXT) AS DOUBLE PRECISION) END END > 10, FALSE)
  ) AS e
  GROUP BY e.user_id
),
user_trait_json_first_user AS (
  SELECT user_id, (array_agg((traits ->> 'json_first_user') ORDER BY "timestamp" DESC, (CAST(id AS TEXT) COLLATE "C") DESC) FILTER (WHERE (traits ->> 'json_first_user') IS NOT NULL))[1] AS value
  FROM (SELECT DISTINCT ON (id) * FROM "raw"."identifies" ORDER BY id, "timestamp") AS "identifies"
  WHERE user_id IS NOT NULL AND "timestamp" <= CAST($1 AS TIMESTAMP)
  GROUP BY user_id
)
SELECT entity.user_id
FROM user_trait_plan AS entity
LEFT JOIN event_order_completed AS entity_event_order_completed ON entity_event_order_completed.user_id = entity.user_id
LEFT JOIN user_trait_json_first_user AS entity_user_trait_json_first_user ON entity_user_trait_json_first_user.user_id = entity.user_id
WHERE (COALESCE((CAST(entity.value AS TEXT) COLLATE "C") = 'pro', FALSE)
  AND (COALESCE(entity_event_order_completed.n, 0) >= 2)
  AND (entity_user_trait_json_first_user.value IS NOT NULL))
