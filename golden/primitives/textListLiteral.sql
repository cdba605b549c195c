-- duckdb
['a', 'b''c']
-- duckdb
CAST([] AS VARCHAR[])
-- postgres
CAST(ARRAY['a', 'b''c'] AS TEXT[])
-- postgres
CAST(ARRAY[] AS TEXT[])
-- snowflake
ARRAY_CONSTRUCT('a', 'b''c')
-- snowflake
ARRAY_CONSTRUCT()
