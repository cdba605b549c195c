-- duckdb
TRY_CAST(x AS DOUBLE)
-- postgres
CASE WHEN CAST(x AS TEXT) ~ '^\s*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$' THEN CAST(CAST(x AS TEXT) AS DOUBLE PRECISION) END
-- snowflake
TRY_CAST(CAST(x AS VARCHAR) AS DOUBLE)
