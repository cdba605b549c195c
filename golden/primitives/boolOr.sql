-- duckdb
bool_or(ok)
-- postgres
bool_or(ok)
-- snowflake
BOOLOR_AGG(ok)
