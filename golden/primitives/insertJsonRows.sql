-- duckdb
(none: rows go in as VALUES)
-- postgres
INSERT INTO main.tracks SELECT * FROM json_populate_recordset(CAST(NULL AS main.tracks), CAST($1 AS JSON))
-- snowflake
(none: rows go in as VALUES)
