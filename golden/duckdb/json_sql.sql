-- roster sql_trait json_sql (user), duckdb
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
WITH "roster_source_events" AS (SELECT * FROM "raw"."events" AS r QUALIFY id IS NULL OR row_number() OVER (PARTITION BY id ORDER BY "timestamp", CAST(to_json(r) AS VARCHAR)) = 1)
SELECT * FROM (
SELECT user_id, count(*) AS json_sql FROM "roster_source_events" WHERE "timestamp" <= CAST($as_of AS TIMESTAMP) AND user_id IS NOT NULL GROUP BY user_id
) AS sql_trait_rows
