-- duckdb
json_extract_string(v, '$')
-- postgres
(v #>> '{}')
-- snowflake
CAST(v AS VARCHAR)
