-- duckdb
json_type(v) = 'VARCHAR'
-- postgres
jsonb_typeof(v) = 'string'
-- snowflake
IS_VARCHAR(v)
