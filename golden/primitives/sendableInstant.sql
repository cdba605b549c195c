-- duckdb
CASE WHEN isfinite(t) AND year(t) BETWEEN 1 AND 9999 THEN t END
-- postgres
CASE WHEN isfinite(t) AND extract(year FROM t) BETWEEN 1 AND 9999 THEN t END
-- snowflake
CASE WHEN YEAR(t) BETWEEN 1 AND 9999 THEN t END
