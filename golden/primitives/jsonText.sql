-- duckdb
json_extract_string(j, '/plan')
-- duckdb
json_extract_string(j, '/odd~1~0''key')
-- postgres
(CAST(j AS JSONB) ->> 'plan')
-- postgres
(CAST(j AS JSONB) ->> 'odd/~''key')
-- snowflake
CAST(GET(j, 'plan') AS VARCHAR)
-- snowflake
CAST(GET(j, 'odd/~''key') AS VARCHAR)
