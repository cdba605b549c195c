-- duckdb
sum(x) FILTER (WHERE ok)
-- postgres
sum(x) FILTER (WHERE ok)
-- snowflake
sum(IFF(ok, x, NULL))
