-- duckdb
CASE WHEN isfinite(x) AND x <> 0 THEN CAST(CAST(round(CAST(split_part(printf('%.14e', x), 'e', 1) AS DECIMAL(16, 14)), 11) AS VARCHAR) || 'e' || split_part(printf('%.14e', x), 'e', 2) AS DOUBLE) ELSE x END
-- postgres
CASE WHEN x IS NULL OR x = 0 OR x IN ('Infinity', '-Infinity', 'NaN') THEN x ELSE CAST(round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) AS DOUBLE PRECISION) END
-- snowflake
CASE WHEN x IS NULL OR x = 0 THEN x ELSE ROUND(x, 11 - FLOOR(LOG(10, ABS(x)))) END
