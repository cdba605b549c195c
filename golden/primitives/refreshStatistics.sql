-- duckdb
(none)
-- postgres
ANALYZE "roster"."_changes", "roster"."_account_users"
-- snowflake
(none)
