-- duckdb
count(*) FILTER (WHERE ok)
-- postgres
count(*) FILTER (WHERE ok)
-- snowflake
COUNT_IF(ok)
