-- duckdb
starts_with(x, 'a')
-- postgres
starts_with(x, 'a')
-- snowflake
STARTSWITH(x, 'a')
