-- duckdb
temp.main."_run_x"
-- postgres
pg_temp."_run_x"
-- snowflake
"_RUN_X"
