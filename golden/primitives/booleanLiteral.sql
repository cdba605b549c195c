-- duckdb
TRUE
-- duckdb
FALSE
-- postgres
TRUE
-- postgres
FALSE
-- snowflake
TRUE
-- snowflake
FALSE
