-- duckdb
CREATE OR REPLACE TABLE s.t AS
SELECT 1
-- postgres
DELETE FROM s.t
-- postgres
INSERT INTO s.t
SELECT 1
-- snowflake
DELETE FROM s.t
-- snowflake
INSERT INTO s.t
SELECT 1
