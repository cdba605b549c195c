-- duckdb
CASE WHEN isfinite(TRY_CAST(x AS TIMESTAMP)) AND year(TRY_CAST(x AS TIMESTAMP)) BETWEEN 1 AND 9999 THEN CAST(to_json(strftime(CAST(x AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ')) AS VARCHAR) END
-- duckdb
CASE WHEN isfinite(x) THEN CAST(to_json(x) AS VARCHAR) END
-- duckdb
CAST(to_json(x) AS VARCHAR)
-- postgres
CASE WHEN isfinite(x) AND extract(year FROM x) BETWEEN 1 AND 9999 THEN CAST(to_jsonb(to_char(x, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) AS TEXT) END
-- postgres
CAST(to_jsonb(x) AS TEXT)
-- postgres
CAST(to_jsonb(x) AS TEXT)
-- snowflake
TO_JSON(TO_VARIANT(TO_CHAR(CAST(CONVERT_TIMEZONE('UTC', CAST(x AS TIMESTAMP_TZ)) AS TIMESTAMP_NTZ), 'YYYY-MM-DD"T"HH24:MI:SS.FF3"Z"')))
-- snowflake
TO_JSON(TO_VARIANT(x))
-- snowflake
TO_JSON(TO_VARIANT(x))
