-- duckdb
-- then, read-only:
-- duckdb
CREATE OR REPLACE TEMPORARY TABLE "_raw_x" AS
SELECT 1
-- postgres
DROP TABLE IF EXISTS pg_temp."_raw_x"
-- postgres
CREATE TEMPORARY TABLE "_raw_x" AS
SELECT 1
WITH NO DATA
-- postgres
-- then, read-only:
-- postgres
INSERT INTO pg_temp."_raw_x"
SELECT 1
-- snowflake
-- then, read-only:
-- snowflake
CREATE OR REPLACE TEMPORARY TABLE "_RAW_X" AS
SELECT 1
