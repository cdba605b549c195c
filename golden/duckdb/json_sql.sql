-- roster sql_trait json_sql (user), duckdb
-- parameter as_of: the run's instant (UTC)
SELECT user_id, count(*) AS json_sql FROM (SELECT * FROM "raw"."events" QUALIFY row_number() OVER (PARTITION BY id ORDER BY "timestamp") = 1) WHERE "timestamp" <= CAST($as_of AS TIMESTAMP) AND user_id IS NOT NULL GROUP BY user_id
