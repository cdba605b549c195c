-- duckdb
row_number() OVER ()
-- postgres
row_number() OVER ()
-- snowflake
SEQ8()
