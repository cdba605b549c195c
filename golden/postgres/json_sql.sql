-- roster sql_trait json_sql (user), postgres
-- parameter as_of: the run's instant (UTC)
SELECT user_id, count(*) AS json_sql FROM (SELECT DISTINCT ON (id) * FROM "raw"."events" ORDER BY id, "timestamp") WHERE "timestamp" <= CAST($1 AS TIMESTAMP) AND user_id IS NOT NULL GROUP BY user_id
