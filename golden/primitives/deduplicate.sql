-- duckdb
(SELECT * FROM t QUALIFY row_number() OVER (PARTITION BY id ORDER BY "timestamp") = 1)
-- postgres
(SELECT DISTINCT ON (id) * FROM t ORDER BY id, "timestamp")
-- snowflake
(SELECT * FROM t QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY "TIMESTAMP") = 1)
