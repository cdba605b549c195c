-- duckdb
first(x ORDER BY ts, id) FILTER (WHERE x IS NOT NULL)
-- postgres
(array_agg(x ORDER BY ts, id) FILTER (WHERE x IS NOT NULL))[1]
-- snowflake
ARRAY_AGG(x) WITHIN GROUP (ORDER BY ts, id)[0]
