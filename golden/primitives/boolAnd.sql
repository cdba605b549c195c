-- duckdb
bool_and(ok)
-- postgres
bool_and(ok)
-- snowflake
BOOLAND_AGG(ok)
