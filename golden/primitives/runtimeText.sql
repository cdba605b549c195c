-- duckdb
CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN regexp_replace(CAST(x AS VARCHAR), '\.0$', '') ELSE CAST(x AS VARCHAR) END
-- postgres
(CAST(x AS TEXT) COLLATE "C")
-- snowflake
CAST(x AS VARCHAR)
