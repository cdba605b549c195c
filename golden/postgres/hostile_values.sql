-- roster audience hostile_values (user), postgres
-- Values that must be matched exactly: quotes, backslashes, comments, semicolons, newlines, emoji
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
user_trait_name AS (
  SELECT user_id, (array_agg("name" ORDER BY "timestamp" DESC NULLS FIRST, (CAST(id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE "name" IS NOT NULL))[1] AS value
  FROM "main"."identifies"
  WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  GROUP BY user_id
),
event_it_s_quoted AS (
  SELECT e.user_id, count(*) AS n
  FROM (
    SELECT e.id, e.user_id, e."timestamp"
    FROM "main"."it_s_quoted" AS e
    WHERE e.event_text = 'It''s "quoted" 🚀'
      AND CAST(e.user_id AS VARCHAR) <> ''
      AND e."timestamp" <= CAST($1 AS TIMESTAMP)
      AND COALESCE((CAST(e."weird_prop_s" AS TEXT) COLLATE "C") = replace('line1~line2', '~', chr(10)), FALSE)
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
WHERE (COALESCE((CAST(entity_user_trait_name.value AS TEXT) COLLATE "C") = 'O''Brien "Bobby"; DROP TABLE users; --', FALSE)
  OR COALESCE(starts_with((CAST(entity_user_trait_name.value AS TEXT) COLLATE "C"), '/* not a comment */ \ back'), FALSE)
  OR (COALESCE(entity_event_it_s_quoted.n, 0) >= 1))
