-- duckdb
CAST($as_of AS TIMESTAMP)
-- postgres
CAST($1 AS TIMESTAMP)
-- snowflake
CAST(:1 AS TIMESTAMP_NTZ)
