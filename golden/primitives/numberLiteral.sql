-- duckdb
42
-- duckdb
CAST(2.5 AS DOUBLE)
-- postgres
42
-- postgres
CAST(2.5 AS DOUBLE PRECISION)
-- snowflake
42
-- snowflake
CAST(2.5 AS DOUBLE)
