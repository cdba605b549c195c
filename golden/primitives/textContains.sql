-- duckdb
contains(x, 'a')
-- postgres
(strpos(x, 'a') > 0)
-- snowflake
CONTAINS(x, 'a')
