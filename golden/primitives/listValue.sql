-- duckdb
-- DOUBLE
CASE WHEN x = 0 THEN '0' WHEN isfinite(x) THEN regexp_replace(regexp_replace(CAST(to_json(list_transform([x], lambda round12_value: CASE WHEN isfinite(round12_value) AND round12_value <> 0 THEN list_transform([printf('%.14e', abs(round12_value))], lambda round12_digits: CAST(CASE WHEN round12_value < 0 THEN '-' ELSE '' END || CAST(CASE WHEN substr(round12_digits, 14, 3) = '500' AND abs(round12_value) < CAST(round12_digits AS DOUBLE) THEN trunc(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) ELSE round(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) END AS VARCHAR) || 'e' || split_part(round12_digits, 'e', 2) AS DOUBLE))[1] ELSE round12_value END)[1]) AS VARCHAR), '\.0$', ''), 'e([0-9])', 'e+\1') END
-- duckdb
-- double precision
CASE WHEN x = 0 THEN '0' WHEN isfinite(x) THEN regexp_replace(regexp_replace(CAST(to_json(list_transform([x], lambda round12_value: CASE WHEN isfinite(round12_value) AND round12_value <> 0 THEN list_transform([printf('%.14e', abs(round12_value))], lambda round12_digits: CAST(CASE WHEN round12_value < 0 THEN '-' ELSE '' END || CAST(CASE WHEN substr(round12_digits, 14, 3) = '500' AND abs(round12_value) < CAST(round12_digits AS DOUBLE) THEN trunc(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) ELSE round(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) END AS VARCHAR) || 'e' || split_part(round12_digits, 'e', 2) AS DOUBLE))[1] ELSE round12_value END)[1]) AS VARCHAR), '\.0$', ''), 'e([0-9])', 'e+\1') END
-- duckdb
-- FLOAT
CASE WHEN CAST(CAST(x AS VARCHAR) AS DOUBLE) = 0 THEN '0' WHEN isfinite(CAST(CAST(x AS VARCHAR) AS DOUBLE)) THEN regexp_replace(regexp_replace(CAST(to_json(list_transform([CAST(CAST(x AS VARCHAR) AS DOUBLE)], lambda round12_value: CASE WHEN isfinite(round12_value) AND round12_value <> 0 THEN list_transform([printf('%.14e', abs(round12_value))], lambda round12_digits: CAST(CASE WHEN round12_value < 0 THEN '-' ELSE '' END || CAST(CASE WHEN substr(round12_digits, 14, 3) = '500' AND abs(round12_value) < CAST(round12_digits AS DOUBLE) THEN trunc(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) ELSE round(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) END AS VARCHAR) || 'e' || split_part(round12_digits, 'e', 2) AS DOUBLE))[1] ELSE round12_value END)[1]) AS VARCHAR), '\.0$', ''), 'e([0-9])', 'e+\1') END
-- duckdb
-- real
CASE WHEN CAST(CAST(x AS VARCHAR) AS DOUBLE) = 0 THEN '0' WHEN isfinite(CAST(CAST(x AS VARCHAR) AS DOUBLE)) THEN regexp_replace(regexp_replace(CAST(to_json(list_transform([CAST(CAST(x AS VARCHAR) AS DOUBLE)], lambda round12_value: CASE WHEN isfinite(round12_value) AND round12_value <> 0 THEN list_transform([printf('%.14e', abs(round12_value))], lambda round12_digits: CAST(CASE WHEN round12_value < 0 THEN '-' ELSE '' END || CAST(CASE WHEN substr(round12_digits, 14, 3) = '500' AND abs(round12_value) < CAST(round12_digits AS DOUBLE) THEN trunc(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) ELSE round(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) END AS VARCHAR) || 'e' || split_part(round12_digits, 'e', 2) AS DOUBLE))[1] ELSE round12_value END)[1]) AS VARCHAR), '\.0$', ''), 'e([0-9])', 'e+\1') END
-- duckdb
-- TIMESTAMP
strftime(CAST(CASE WHEN isfinite(x) AND year(x) BETWEEN 1 AND 9999 THEN x END AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ')
-- duckdb
-- timestamp with time zone
strftime(CAST(CASE WHEN isfinite(x) AND year(x) BETWEEN 1 AND 9999 THEN x END AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ')
-- duckdb
-- DATE
strftime(CAST(CASE WHEN isfinite(x) AND year(x) BETWEEN 1 AND 9999 THEN x END AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ')
-- duckdb
-- VARCHAR
x
-- duckdb
-- character(3)
CAST(x AS VARCHAR)
-- duckdb
-- BIGINT
CAST(x AS VARCHAR)
-- postgres
-- DOUBLE
(CAST(x AS TEXT) COLLATE "C")
-- postgres
-- double precision
CASE WHEN x IN ('Infinity', '-Infinity', 'NaN') THEN NULL WHEN x = 0 THEN '0' WHEN abs(CASE WHEN round(2 * CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) = 2 * CAST(x AS NUMERIC) AND round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) <> CAST(x AS NUMERIC) AND abs(x) < abs(CAST(CAST(x AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) ELSE round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) END) >= 0.000001 AND abs(CASE WHEN round(2 * CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) = 2 * CAST(x AS NUMERIC) AND round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) <> CAST(x AS NUMERIC) AND abs(x) < abs(CAST(CAST(x AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) ELSE round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) END) < 1e21 THEN CAST(trim_scale(CASE WHEN round(2 * CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) = 2 * CAST(x AS NUMERIC) AND round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) <> CAST(x AS NUMERIC) AND abs(x) < abs(CAST(CAST(x AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) ELSE round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) END) AS TEXT) WHEN abs(x) < 2.2250738585072014e-308 THEN regexp_replace(CAST(CASE WHEN x IS NULL OR x = 0 OR x IN ('Infinity', '-Infinity', 'NaN') THEN x ELSE CAST(CASE WHEN round(2 * CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) = 2 * CAST(x AS NUMERIC) AND round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) <> CAST(x AS NUMERIC) AND abs(x) < abs(CAST(CAST(x AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) ELSE round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) END AS DOUBLE PRECISION) END AS TEXT), 'e([+-])0*', 'e\1') ELSE regexp_replace(regexp_replace(trim(to_char(CASE WHEN round(2 * CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) = 2 * CAST(x AS NUMERIC) AND round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) <> CAST(x AS NUMERIC) AND abs(x) < abs(CAST(CAST(x AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) ELSE round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) END, '9.99999999999EEEE')), '\.?0+e', 'e'), 'e([+-])0*', 'e\1') END
-- postgres
-- FLOAT
CASE WHEN x IN ('Infinity', '-Infinity', 'NaN') THEN NULL WHEN x = 0 THEN '0' WHEN abs(CASE WHEN round(2 * CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) = 2 * CAST(x AS NUMERIC) AND round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) <> CAST(x AS NUMERIC) AND abs(x) < abs(CAST(CAST(x AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) ELSE round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) END) >= 0.000001 AND abs(CASE WHEN round(2 * CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) = 2 * CAST(x AS NUMERIC) AND round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) <> CAST(x AS NUMERIC) AND abs(x) < abs(CAST(CAST(x AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) ELSE round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) END) < 1e21 THEN CAST(trim_scale(CASE WHEN round(2 * CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) = 2 * CAST(x AS NUMERIC) AND round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) <> CAST(x AS NUMERIC) AND abs(x) < abs(CAST(CAST(x AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) ELSE round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) END) AS TEXT) WHEN abs(x) < 2.2250738585072014e-308 THEN regexp_replace(CAST(CASE WHEN x IS NULL OR x = 0 OR x IN ('Infinity', '-Infinity', 'NaN') THEN x ELSE CAST(CASE WHEN round(2 * CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) = 2 * CAST(x AS NUMERIC) AND round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) <> CAST(x AS NUMERIC) AND abs(x) < abs(CAST(CAST(x AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) ELSE round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) END AS DOUBLE PRECISION) END AS TEXT), 'e([+-])0*', 'e\1') ELSE regexp_replace(regexp_replace(trim(to_char(CASE WHEN round(2 * CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) = 2 * CAST(x AS NUMERIC) AND round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) <> CAST(x AS NUMERIC) AND abs(x) < abs(CAST(CAST(x AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) ELSE round(CAST(x AS NUMERIC), CAST(11 - floor(log(abs(x))) AS INTEGER)) END, '9.99999999999EEEE')), '\.?0+e', 'e'), 'e([+-])0*', 'e\1') END
-- postgres
-- real
CASE WHEN CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) IN ('Infinity', '-Infinity', 'NaN') THEN NULL WHEN CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) = 0 THEN '0' WHEN abs(CASE WHEN round(2 * CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC), CAST(11 - floor(log(abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)))) AS INTEGER)) = 2 * CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC) AND round(CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC), CAST(11 - floor(log(abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)))) AS INTEGER)) <> CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC) AND abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)) < abs(CAST(CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC), CAST(11 - floor(log(abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)))) AS INTEGER)) ELSE round(CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC), CAST(11 - floor(log(abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)))) AS INTEGER)) END) >= 0.000001 AND abs(CASE WHEN round(2 * CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC), CAST(11 - floor(log(abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)))) AS INTEGER)) = 2 * CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC) AND round(CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC), CAST(11 - floor(log(abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)))) AS INTEGER)) <> CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC) AND abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)) < abs(CAST(CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC), CAST(11 - floor(log(abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)))) AS INTEGER)) ELSE round(CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC), CAST(11 - floor(log(abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)))) AS INTEGER)) END) < 1e21 THEN CAST(trim_scale(CASE WHEN round(2 * CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC), CAST(11 - floor(log(abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)))) AS INTEGER)) = 2 * CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC) AND round(CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC), CAST(11 - floor(log(abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)))) AS INTEGER)) <> CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC) AND abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)) < abs(CAST(CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC), CAST(11 - floor(log(abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)))) AS INTEGER)) ELSE round(CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC), CAST(11 - floor(log(abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)))) AS INTEGER)) END) AS TEXT) WHEN abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)) < 2.2250738585072014e-308 THEN regexp_replace(CAST(CASE WHEN CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) IS NULL OR CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) = 0 OR CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) IN ('Infinity', '-Infinity', 'NaN') THEN CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) ELSE CAST(CASE WHEN round(2 * CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC), CAST(11 - floor(log(abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)))) AS INTEGER)) = 2 * CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC) AND round(CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC), CAST(11 - floor(log(abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)))) AS INTEGER)) <> CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC) AND abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)) < abs(CAST(CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC), CAST(11 - floor(log(abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)))) AS INTEGER)) ELSE round(CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC), CAST(11 - floor(log(abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)))) AS INTEGER)) END AS DOUBLE PRECISION) END AS TEXT), 'e([+-])0*', 'e\1') ELSE regexp_replace(regexp_replace(trim(to_char(CASE WHEN round(2 * CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC), CAST(11 - floor(log(abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)))) AS INTEGER)) = 2 * CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC) AND round(CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC), CAST(11 - floor(log(abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)))) AS INTEGER)) <> CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC) AND abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)) < abs(CAST(CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC) AS DOUBLE PRECISION)) THEN trunc(CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC), CAST(11 - floor(log(abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)))) AS INTEGER)) ELSE round(CAST(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) AS NUMERIC), CAST(11 - floor(log(abs(CAST(CAST(x AS TEXT) AS DOUBLE PRECISION)))) AS INTEGER)) END, '9.99999999999EEEE')), '\.?0+e', 'e'), 'e([+-])0*', 'e\1') END
-- postgres
-- TIMESTAMP
to_char(CASE WHEN isfinite(x) AND extract(year FROM x) BETWEEN 1 AND 9999 THEN x END, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
-- postgres
-- timestamp with time zone
to_char(CASE WHEN isfinite(x) AND extract(year FROM x) BETWEEN 1 AND 9999 THEN x END AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
-- postgres
-- DATE
to_char(CASE WHEN isfinite(x) AND extract(year FROM x) BETWEEN 1 AND 9999 THEN x END, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
-- postgres
-- VARCHAR
x
-- postgres
-- character(3)
(CAST(x AS TEXT) COLLATE "C")
-- postgres
-- BIGINT
(CAST(x AS TEXT) COLLATE "C")
-- snowflake
-- DOUBLE
CASE WHEN x = 0 THEN '0' WHEN NOT (ABS(x) < CAST('inf' AS DOUBLE)) THEN NULL WHEN ABS(x) >= 9.999999999995e-7 AND ABS(x) < 9.999999999995e20 THEN REGEXP_REPLACE(TO_VARCHAR(ROUND(CAST(x AS NUMBER(38, 17)), 11 - FLOOR(LOG(10, ABS(x))))), '(\\.[0-9]*[1-9])0+$|\\.0+$', '\\1') ELSE REGEXP_REPLACE(LOWER(TO_VARCHAR(CASE WHEN x IS NULL OR x = 0 THEN x ELSE ROUND(x, 11 - FLOOR(LOG(10, ABS(x)))) END)), 'e([+-])0*', 'e\\1') END
-- snowflake
-- double precision
CASE WHEN x = 0 THEN '0' WHEN NOT (ABS(x) < CAST('inf' AS DOUBLE)) THEN NULL WHEN ABS(x) >= 9.999999999995e-7 AND ABS(x) < 9.999999999995e20 THEN REGEXP_REPLACE(TO_VARCHAR(ROUND(CAST(x AS NUMBER(38, 17)), 11 - FLOOR(LOG(10, ABS(x))))), '(\\.[0-9]*[1-9])0+$|\\.0+$', '\\1') ELSE REGEXP_REPLACE(LOWER(TO_VARCHAR(CASE WHEN x IS NULL OR x = 0 THEN x ELSE ROUND(x, 11 - FLOOR(LOG(10, ABS(x)))) END)), 'e([+-])0*', 'e\\1') END
-- snowflake
-- FLOAT
CASE WHEN x = 0 THEN '0' WHEN NOT (ABS(x) < CAST('inf' AS DOUBLE)) THEN NULL WHEN ABS(x) >= 9.999999999995e-7 AND ABS(x) < 9.999999999995e20 THEN REGEXP_REPLACE(TO_VARCHAR(ROUND(CAST(x AS NUMBER(38, 17)), 11 - FLOOR(LOG(10, ABS(x))))), '(\\.[0-9]*[1-9])0+$|\\.0+$', '\\1') ELSE REGEXP_REPLACE(LOWER(TO_VARCHAR(CASE WHEN x IS NULL OR x = 0 THEN x ELSE ROUND(x, 11 - FLOOR(LOG(10, ABS(x)))) END)), 'e([+-])0*', 'e\\1') END
-- snowflake
-- real
CASE WHEN x = 0 THEN '0' WHEN NOT (ABS(x) < CAST('inf' AS DOUBLE)) THEN NULL WHEN ABS(x) >= 9.999999999995e-7 AND ABS(x) < 9.999999999995e20 THEN REGEXP_REPLACE(TO_VARCHAR(ROUND(CAST(x AS NUMBER(38, 17)), 11 - FLOOR(LOG(10, ABS(x))))), '(\\.[0-9]*[1-9])0+$|\\.0+$', '\\1') ELSE REGEXP_REPLACE(LOWER(TO_VARCHAR(CASE WHEN x IS NULL OR x = 0 THEN x ELSE ROUND(x, 11 - FLOOR(LOG(10, ABS(x)))) END)), 'e([+-])0*', 'e\\1') END
-- snowflake
-- TIMESTAMP
TO_CHAR(CAST(CONVERT_TIMEZONE('UTC', CAST(CASE WHEN YEAR(x) BETWEEN 1 AND 9999 THEN x END AS TIMESTAMP_TZ)) AS TIMESTAMP_NTZ), 'YYYY-MM-DD"T"HH24:MI:SS.FF3"Z"')
-- snowflake
-- timestamp with time zone
TO_CHAR(CAST(CONVERT_TIMEZONE('UTC', CAST(CASE WHEN YEAR(x) BETWEEN 1 AND 9999 THEN x END AS TIMESTAMP_TZ)) AS TIMESTAMP_NTZ), 'YYYY-MM-DD"T"HH24:MI:SS.FF3"Z"')
-- snowflake
-- DATE
TO_CHAR(CAST(CONVERT_TIMEZONE('UTC', CAST(CASE WHEN YEAR(x) BETWEEN 1 AND 9999 THEN x END AS TIMESTAMP_TZ)) AS TIMESTAMP_NTZ), 'YYYY-MM-DD"T"HH24:MI:SS.FF3"Z"')
-- snowflake
-- VARCHAR
x
-- snowflake
-- character(3)
CAST(x AS VARCHAR)
-- snowflake
-- BIGINT
CAST(x AS VARCHAR)
