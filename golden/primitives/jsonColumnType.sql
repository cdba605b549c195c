-- duckdb
JSON
-- postgres
JSONB
-- snowflake
VARIANT
