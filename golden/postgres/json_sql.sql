-- roster sql_trait json_sql (user), postgres
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH "roster_source_events" AS (SELECT * FROM "raw"."events" AS r WHERE id IS NULL UNION ALL (SELECT DISTINCT ON (id) * FROM "raw"."events" AS r WHERE id IS NOT NULL ORDER BY id, "timestamp", CAST(row_to_json(r) AS TEXT) COLLATE "C"))
SELECT * FROM (
SELECT user_id, count(*) AS json_sql FROM "roster_source_events" WHERE "timestamp" <= CAST($1 AS TIMESTAMP) AND user_id IS NOT NULL GROUP BY user_id
) AS sql_trait_rows
