-- roster sql_trait st_user (user), duckdb
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
SELECT user_id, count(*) AS lifetime_orders, sum(total) AS lifetime_value
FROM "main"."order_completed"
WHERE "timestamp" <= CAST($as_of AS TIMESTAMP) AND user_id IS NOT NULL
GROUP BY user_id
