-- duckdb
$as_of
-- postgres
$1
-- snowflake
:1
