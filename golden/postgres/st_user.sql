-- roster sql_trait st_user (user), postgres
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
SELECT user_id, count(*) AS lifetime_orders, sum(total) AS lifetime_value
FROM "main"."order_completed"
WHERE "timestamp" <= CAST($1 AS TIMESTAMP) AND user_id IS NOT NULL
GROUP BY user_id
