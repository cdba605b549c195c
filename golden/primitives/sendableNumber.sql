-- duckdb
CASE WHEN isfinite(x) THEN x END
-- duckdb
x
-- postgres
CASE WHEN x IN ('Infinity', '-Infinity', 'NaN') THEN NULL ELSE x END
-- postgres
CASE WHEN CAST(x AS TEXT) IN ('Infinity', '-Infinity', 'NaN') THEN NULL ELSE x END
-- snowflake
CASE WHEN x IN (CAST('NaN' AS FLOAT), CAST('inf' AS FLOAT), CAST('-inf' AS FLOAT)) THEN NULL ELSE x END
-- snowflake
x
