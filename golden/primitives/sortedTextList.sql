-- duckdb
list(x ORDER BY x) FILTER (WHERE x IS NOT NULL)
-- postgres
array_agg(x ORDER BY x) FILTER (WHERE x IS NOT NULL)
-- snowflake
CASE WHEN COUNT(x) > 0 THEN ARRAY_AGG(x) WITHIN GROUP (ORDER BY x) END
