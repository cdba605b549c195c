-- duckdb
CASE WHEN isinf(x) THEN error('value out of range: overflow') ELSE TRUE END
-- postgres
(none)
-- snowflake
(none)
