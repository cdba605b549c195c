-- roster audience hostile_values (user), snowflake
-- Values that must be matched exactly: quotes, backslashes, comments, semicolons, newlines, emoji
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
WITH
user_trait_name AS (
  SELECT user_id, ARRAY_AGG("NAME") WITHIN GROUP (ORDER BY "TIMESTAMP" DESC NULLS FIRST, id DESC NULLS FIRST)[0] AS value
  FROM "MAIN"."IDENTIFIES"
  WHERE CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  GROUP BY user_id
),
event_it_s_quoted AS (
  SELECT e.user_id, count(*) AS n
  FROM (
    SELECT e.id, e.user_id, e."TIMESTAMP"
    FROM "MAIN"."IT_S_QUOTED" AS e
    WHERE e.event_text = 'It''s "quoted" 🚀'
      AND CAST(e.user_id AS VARCHAR) <> ''
      AND e."TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
      AND COALESCE(CAST(e."WEIRD_PROP_S" AS VARCHAR) = replace('line1~line2', '~', chr(10)), FALSE)
  ) AS e
  GROUP BY e.user_id
),
candidates AS (
  SELECT user_id FROM user_trait_name
  UNION
  SELECT user_id FROM event_it_s_quoted
)
SELECT entity.user_id
FROM candidates AS entity
LEFT JOIN user_trait_name AS entity_user_trait_name ON entity_user_trait_name.user_id = entity.user_id
LEFT JOIN event_it_s_quoted AS entity_event_it_s_quoted ON entity_event_it_s_quoted.user_id = entity.user_id
WHERE (COALESCE(CAST(entity_user_trait_name.value AS VARCHAR) = 'O''Brien "Bobby"; DROP TABLE users; --', FALSE)
  OR COALESCE(STARTSWITH(CAST(entity_user_trait_name.value AS VARCHAR), '/* not a comment */ \\ back'), FALSE)
  OR (COALESCE(entity_event_it_s_quoted.n, 0) >= 1))
