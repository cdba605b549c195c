-- duckdb
CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN regexp_replace(CAST(x AS VARCHAR), '\.0$', '') WHEN typeof(x) LIKE 'TIMESTAMP%' OR typeof(x) = 'DATE' THEN strftime(CAST(TRY_CAST(CAST(x AS VARCHAR) AS TIMESTAMPTZ) AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ') ELSE CAST(x AS VARCHAR) END
-- postgres
CASE WHEN pg_typeof(x) IN (CAST('timestamp without time zone' AS REGTYPE), CAST('timestamp with time zone' AS REGTYPE), CAST('date' AS REGTYPE)) THEN to_char(CAST(CAST(x AS TEXT) AS TIMESTAMP WITH TIME ZONE) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ELSE CAST(x AS TEXT) END
-- snowflake
CAST(x AS VARCHAR)
