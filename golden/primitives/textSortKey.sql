-- duckdb
x
-- postgres
x
-- snowflake
x
