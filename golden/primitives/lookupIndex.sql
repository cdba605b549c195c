-- duckdb
(none)
-- postgres
CREATE INDEX ON pg_temp."_delivery_changes" ("ref")
-- snowflake
(none)
