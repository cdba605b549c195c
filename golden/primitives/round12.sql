-- duckdb
CASE WHEN x IS NULL OR x = 0 OR isinf(x) OR isnan(x) THEN x ELSE round(x, CAST(11 - floor(log10(abs(x))) AS INTEGER)) END
-- postgres
CASE WHEN x IS NULL OR x = 0 OR x IN ('Infinity', '-Infinity', 'NaN') THEN x ELSE CAST(round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) AS DOUBLE PRECISION) END
-- snowflake
CASE WHEN x IS NULL OR x = 0 THEN x ELSE ROUND(x, 11 - FLOOR(LOG(10, ABS(x)))) END
