-- roster sql_trait st_user (user), snowflake
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
SELECT user_id, count(*) AS lifetime_orders, sum(total) AS lifetime_value
FROM "MAIN"."ORDER_COMPLETED"
WHERE "timestamp" <= CAST(:1 AS TIMESTAMP_NTZ) AND user_id IS NOT NULL
GROUP BY user_id
