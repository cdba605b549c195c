-- duckdb
e.id
-- postgres
(CAST(e.id AS TEXT) COLLATE "C")
-- snowflake
e.id
