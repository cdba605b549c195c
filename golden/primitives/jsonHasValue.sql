-- duckdb
(v IS NOT NULL AND (NOT json_type(v) IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE') OR CASE WHEN isfinite(TRY_CAST(json_extract_string(v, '$') AS DOUBLE)) THEN TRY_CAST(json_extract_string(v, '$') AS DOUBLE) END IS NOT NULL))
-- postgres
(CASE WHEN jsonb_typeof(v) = 'number' THEN NOT (abs(CAST((v #>> '{}') AS NUMERIC)) >= power(CAST(2 AS NUMERIC), 1024) - power(CAST(2 AS NUMERIC), 970)) ELSE v IS NOT NULL END)
-- snowflake
(v IS NOT NULL AND (NOT (IS_INTEGER(v) OR IS_DECIMAL(v) OR IS_DOUBLE(v)) OR CASE WHEN LENGTH(CAST(CAST(v AS VARCHAR) AS VARCHAR)) <= 1000 AND REGEXP_LIKE(CAST(CAST(v AS VARCHAR) AS VARCHAR), '^[ \\t\\n\\r\\f\\v]*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \\t\\n\\r\\f\\v]*$') AND ABS(TRY_CAST(CAST(CAST(v AS VARCHAR) AS VARCHAR) AS DOUBLE)) < CAST('inf' AS DOUBLE) THEN TRY_CAST(CAST(CAST(v AS VARCHAR) AS VARCHAR) AS DOUBLE) END IS NOT NULL))
