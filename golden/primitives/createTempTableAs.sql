-- duckdb
CREATE OR REPLACE TEMPORARY TABLE "_run_x" AS
SELECT 1
-- postgres
DROP TABLE IF EXISTS pg_temp."_run_x"
-- postgres
CREATE TEMPORARY TABLE pg_temp."_run_x" AS
SELECT 1
-- postgres
ANALYZE pg_temp."_run_x"
-- snowflake
CREATE OR REPLACE TEMPORARY TABLE "_RUN_X" AS
SELECT 1
