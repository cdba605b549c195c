-- duckdb
nullif(json_extract(j, '/total'), CAST('null' AS JSON))
-- duckdb
nullif(json_extract(j, '/odd~1~0''key'), CAST('null' AS JSON))
-- duckdb
nullif(json_extract(j, '$."0"'), CAST('null' AS JSON))
-- postgres
nullif(CAST(j AS JSONB) -> 'total', CAST('null' AS JSONB))
-- postgres
nullif(CAST(j AS JSONB) -> 'odd/~''key', CAST('null' AS JSONB))
-- postgres
nullif(CAST(j AS JSONB) -> '0', CAST('null' AS JSONB))
-- snowflake
IFF(IS_NULL_VALUE(GET(j, 'total')), NULL, GET(j, 'total'))
-- snowflake
IFF(IS_NULL_VALUE(GET(j, 'odd/~''key')), NULL, GET(j, 'odd/~''key'))
-- snowflake
IFF(IS_NULL_VALUE(GET(j, '0')), NULL, GET(j, '0'))
