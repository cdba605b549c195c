-- duckdb
CASE WHEN isfinite(x) AND x <> 0 THEN CAST(CASE WHEN x < 0 THEN '-' ELSE '' END || CAST(CASE WHEN substr(printf('%.14e', abs(x)), 14, 3) = '500' AND abs(x) < CAST(printf('%.14e', abs(x)) AS DOUBLE) THEN trunc(CAST(split_part(printf('%.14e', abs(x)), 'e', 1) AS DECIMAL(16, 14)), 11) ELSE round(CAST(split_part(printf('%.14e', abs(x)), 'e', 1) AS DECIMAL(16, 14)), 11) END AS VARCHAR) || 'e' || split_part(printf('%.14e', abs(x)), 'e', 2) AS DOUBLE) ELSE x END
-- postgres
CASE WHEN x IS NULL OR x = 0 OR x IN ('Infinity', '-Infinity', 'NaN') THEN x ELSE CAST(CASE WHEN round(2 * CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) = 2 * CAST(x AS NUMERIC) AND round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) <> CAST(x AS NUMERIC) AND abs(x) < abs(CAST(CAST(x AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) ELSE round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) END AS DOUBLE PRECISION) END
-- snowflake
CASE WHEN x IS NULL OR x = 0 THEN x ELSE ROUND(x, 11 - FLOOR(LOG(10, ABS(x)))) END
