-- duckdb
CAST('{"plan": "pro"}' AS JSON)
-- postgres
CAST('{"plan": "pro"}' AS JSONB)
-- snowflake
PARSE_JSON('{"plan": "pro"}')
