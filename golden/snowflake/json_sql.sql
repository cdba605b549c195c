-- roster sql_trait json_sql (user), snowflake
-- parameter as_of: the run's instant (UTC)
SELECT user_id, count(*) AS json_sql FROM (SELECT * FROM "RAW"."EVENTS" QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY "TIMESTAMP") = 1) WHERE "timestamp" <= CAST(:1 AS TIMESTAMP_NTZ) AND user_id IS NOT NULL GROUP BY user_id
