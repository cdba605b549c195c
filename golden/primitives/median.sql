-- duckdb
median(x)
-- postgres
percentile_cont(0.5) WITHIN GROUP (ORDER BY x)
-- snowflake
MEDIAN(x)
