-- roster sql_trait json_sql (user), snowflake
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
WITH "ROSTER_SOURCE_EVENTS" AS (SELECT * FROM "RAW"."EVENTS" QUALIFY "ID" IS NULL OR ROW_NUMBER() OVER (PARTITION BY "ID" ORDER BY "TIMESTAMP", TO_VARCHAR(OBJECT_CONSTRUCT_KEEP_NULL(*))) = 1)
SELECT * FROM (
SELECT user_id, count(*) AS json_sql FROM "ROSTER_SOURCE_EVENTS" WHERE "timestamp" <= CAST(:1 AS TIMESTAMP_NTZ) AND user_id IS NOT NULL GROUP BY user_id
) AS sql_trait_rows
