-- duckdb
CAST([] AS VARCHAR[])
-- postgres
CAST(ARRAY[] AS TEXT[])
-- snowflake
ARRAY_CONSTRUCT()
