-- duckdb
ends_with(x, 'a')
-- postgres
(right(x, length('a')) = 'a')
-- snowflake
ENDSWITH(x, 'a')
