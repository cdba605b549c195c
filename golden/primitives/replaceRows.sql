-- duckdb
CREATE OR REPLACE TABLE s.t AS
SELECT 1
-- postgres
DROP TABLE IF EXISTS s.t
-- postgres
CREATE TABLE s.t AS
SELECT 1
-- snowflake
DELETE FROM s.t
-- snowflake
INSERT INTO s.t
SELECT 1
