-- duckdb
CAST(x AS VARCHAR)
-- postgres
(CAST(x AS TEXT) COLLATE "C")
-- snowflake
CAST(x AS VARCHAR)
